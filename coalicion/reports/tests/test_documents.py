"""The PDF and the XLSX of the accountability report: the figures in the
extracted text (pdftotext) and in the cells are the assembled ones (the
pages'), both languages, the same bytes for the same data, and the command."""

import datetime
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from coalicion.monitoring import charts
from coalicion.reports import assembly, generation

AS_OF = datetime.date(2026, 12, 1)


def text_of(pdf: bytes) -> str:
    """The PDF's text (pdftotext, poppler-utils), whitespace collapsed."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    done = subprocess.run(  # noqa: S603 (fixed arguments)
        [pdftotext, "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode().split())


@pytest.fixture
def built(plan, known):
    period = assembly.term_period(known["term"], as_of=AS_OF)
    return generation.build(plan=plan, period=period, as_of=AS_OF, lang="es")


@pytest.fixture
def spanish():
    with translation.override("es"):
        yield


def test_the_pdf_shows_the_figures_in_spanish(built, spanish):
    pdf, _xlsx, data = built
    text = text_of(pdf)
    assert "Informe de rendición de cuentas" in text
    assert "Datos al 1 de diciembre de 2026" in text
    [poa] = data["poas"]
    assert (
        f"Plan Operativo Anual 2018: ejecución ponderada {charts.percent_text(poa['progress'])}"
        in text
    )
    assert "7,1 %" in text  # (10 + 20 ... ) rolled up: see test_assembly
    assert "Acuerdos adoptados y no cancelados: 2; cumplidos: 1 (50,0 %)." in text
    assert "8 de 18 posibles (44,4 %)" in text
    for axis in poa["axes"]:
        assert charts.percent_text(axis["progress"]) in text
    assert "Página 2 de" in text
    assert "Anexo metodológico" in text


def test_the_xlsx_cells_hold_the_same_figures(built):
    _pdf, xlsx, data = built
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    [poa] = data["poas"]
    summary = {row[0]: row[1] for row in book["Resumen"].iter_rows(min_row=2, values_only=True)}
    assert summary[poa["name"]] == pytest.approx(float(poa["progress"]) / 100)
    execution = list(book["Ejecución"].iter_rows(min_row=2, values_only=True))
    axis_rows = {row[2]: row[5] for row in execution if row[1] == "Eje"}
    assert axis_rows == {a["code"]: pytest.approx(float(a["progress"]) / 100) for a in poa["axes"]}
    participation = list(book["Participación"].iter_rows(min_row=2, values_only=True))
    assert participation[-1][1:3] == (8, 18)
    assert book["Resumen"]["B2"].number_format  # formatted sheet


def test_the_same_data_give_the_same_bytes(plan, known, built):
    pdf, xlsx, _data = built
    period = assembly.term_period(known["term"], as_of=AS_OF)
    again_pdf, again_xlsx, _ = generation.build(plan=plan, period=period, as_of=AS_OF, lang="es")
    assert again_pdf == pdf
    assert again_xlsx == xlsx


def test_the_report_in_english(plan, known):
    period = assembly.term_period(known["term"], as_of=AS_OF)
    pdf, _xlsx, _data = generation.build(
        plan=plan, period=period, as_of=AS_OF, lang="en", xlsx=False
    )
    text = text_of(pdf)
    assert "Accountability report" in text
    assert "Data as of 1 December 2026" in text
    assert "fulfilled: 1 (50.0 %)" in text


def test_the_command_writes_both_files_with_progress(plan, known, tmp_path):
    out, xlsx = tmp_path / "informe.pdf", tmp_path / "informe.xlsx"
    stdout = io.StringIO()
    call_command(
        "accountability_report",
        "--term", str(known["term"].pk), "--lang", "es", "--as-of", "2026-12-01",
        "--out", str(out), "--xlsx", str(xlsx), "--archive",
        stdout=stdout,
    )  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF")
    assert xlsx.read_bytes().startswith(b"PK")
    printed = stdout.getvalue()
    assert "PDF:" in printed and "SHA-256" in printed and "Archived" in printed


def test_the_command_takes_years_and_refuses_bad_input(plan, known, tmp_path):
    out = tmp_path / "informe.pdf"
    call_command("accountability_report", "--term", "2018-2019", "--out", str(out),
                 "--as-of", "2026-12-01", stdout=io.StringIO())  # fmt: skip
    assert "Costa Rica" in text_of(out.read_bytes())
    with pytest.raises(CommandError):
        call_command("accountability_report", "--term", "999", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("accountability_report", "--term", "2018", "--as-of", "2999-01-01",
                     "--out", str(out))  # fmt: skip


def test_the_poa_document_and_the_matrix(plan, known, client_as):
    from django.urls import reverse

    from coalicion.reports import plan_documents

    with translation.override("es"):
        data = plan_documents.poa_data(plan=plan, year=2018)
        text = text_of(plan_documents.poa_pdf(data))
        assert "Plan Operativo Anual 2018" in text and "2.1.2-1" in text
        book = openpyxl.load_workbook(io.BytesIO(plan_documents.poa_xlsx(data)))
        codes = [row[4] for row in book.active.iter_rows(min_row=2, values_only=True)]
        assert "2.1.2-1" in codes
        url = reverse("reports:matrix_pdf", args=[2018])
    response = client_as("observer").get(url, {"as_of": "2026-12-01"})
    text = text_of(response.content)
    assert "Matriz de monitoreo, POA 2018" in text
    poa = known["poa"]
    period = assembly.term_period(known["term"], as_of=AS_OF)
    with translation.override("es"):
        figures = assembly.accountability_data(plan=plan, period=period, as_of=AS_OF)
        progress = next(p["progress"] for p in figures["poas"] if p["year"] == poa.year)
        assert f"Avance: {charts.percent_text(progress)}" in text


def test_a_contributed_section_is_in_the_pdf_and_the_xlsx(plan, known):
    from decimal import Decimal

    from coalicion.core import report_sections

    def practices(*, as_of, start, end, lang):
        return {
            "title": "Buenas prácticas",
            "paragraphs": ["Prácticas registradas en el período."],
            "tables": [
                {
                    "title": "Prácticas por país",
                    "columns": ["País", "Práctica", "Avance"],
                    "widths": [1, 3, 1],
                    "rows": [["Costa Rica", "Protocolo de atención", Decimal("12.5")]],
                }
            ],
        }

    report_sections.register("accountability", key="test-practices", order=75, data=practices)
    try:
        period = assembly.term_period(known["term"], as_of=AS_OF)
        pdf, xlsx, _data = generation.build(plan=plan, period=period, as_of=AS_OF, lang="es")
    finally:
        report_sections.unregister("accountability", key="test-practices")
    text = text_of(pdf)
    assert "Buenas prácticas" in text and "Protocolo de atención" in text and "12,5" in text
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    rows = list(book["Prácticas por país"].iter_rows(values_only=True))
    assert rows == [("País", "Práctica", "Avance"), ("Costa Rica", "Protocolo de atención", 12.5)]


def test_a_period_without_operating_plans_says_so_instead_of_empty_tables(plan, known, tmp_path):
    out = tmp_path / "vacio.pdf"
    call_command(
        "accountability_report", "--from", "2024-01-01", "--to", "2025-12-31", "--lang", "es",
        "--as-of", "2026-12-01", "--out", str(out), stdout=io.StringIO(),
    )  # fmt: skip
    text = text_of(out.read_bytes())
    # The summary, the execution, the shared parts and every country's annex.
    assert text.count("Ningún plan operativo anual cae en este período.") >= 4
