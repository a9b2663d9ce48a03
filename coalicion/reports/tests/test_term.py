"""The end-of-term report of the Presidency or the Secretariat: events,
representations, agreements and activities in its charge during its term."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.meetings.actions.agreements import add_follow_up, create_agreement
from coalicion.membership.models import Organ
from coalicion.plans.models import Responsible
from coalicion.reports import generation, term
from coalicion.reports.models import IssuedReport
from coalicion.reports.tests.conftest import activity
from coalicion.reports.tests.test_documents import text_of

# Today: responsible parties created by the test exist only from today on
# (a past date reads the plan as it was then, from its history).
AS_OF = timezone.localdate()


def secretariat_work(known, users, validated_report, periods):
    """An agreement of meeting 1 in the Secretariat's charge, fulfilled; POA
    activity 4.1.1-1 made the Secretariat's at 100 %."""
    secretariat = Organ.objects.get(code="secretariat")
    agreement = create_agreement(
        actor=users["secretariat"],
        event=known["meetings"][0],
        text="Preparar la estrategia de comunicación",
        responsible_kind="organ",
        organ=secretariat,
    )
    add_follow_up(actor=users["secretariat"], agreement=agreement, date=datetime.date(2018, 8, 1),
                  text="Hecho", status="fulfilled", by_secretariat=True)  # fmt: skip
    own = activity(known["poa"], "4.1.2-1")
    Responsible.objects.create(activity=own, kind="organ", organ=secretariat)
    validated_report(own, periods[1], 60)
    return agreement


def test_the_term_report_gathers_what_the_organ_was_responsible_for(
    plan, known, users, validated_report, periods
):
    agreement = secretariat_work(known, users, validated_report, periods)
    with translation.override("es"):
        data = term.term_data(plan=plan, term=known["term"], as_of=AS_OF)
    assert data["organ"] == "Secretaría Técnica"
    assert data["meetings"] == 2
    assert [a["code"] for a in data["agreements"]] == [agreement.code]
    assert (data["agreements_fulfilled"], data["agreements_rate"]) == (1, Decimal(100))
    codes = {a["code"]: a["progress"] for a in data["activities"]}
    assert codes["4.1.2-1"] == Decimal(60)
    earlier = term.term_data(plan=plan, term=known["term"], as_of=datetime.date(2018, 4, 1))
    assert earlier["meetings"] == 1
    assert [a["status"] for a in earlier["agreements"]] == ["pending"]
    assert earlier["agreements_fulfilled"] == 0


def test_the_term_report_pdf_and_xlsx(plan, known, users, validated_report, periods):
    secretariat_work(known, users, validated_report, periods)
    pdf, xlsx, _data = generation.build_term(plan=plan, term=known["term"], as_of=AS_OF, lang="es")
    text = text_of(pdf)
    assert "Informe al término del período de funciones de la Secretaría Técnica" in text
    assert (
        "Acuerdos a su cargo adoptados en el período de funciones: 1; cumplidos: 1 (100,0 %)."
        in text
    )
    assert "60,0 %" in text
    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    rows = {row[1]: row for row in book["Actividades"].iter_rows(min_row=2, values_only=True)}
    assert rows["4.1.2-1"][3] == 0.6


def test_the_presidency_issues_an_end_of_term_report_from_the_web(
    known, client_as, django_capture_on_commit_callbacks
):
    client = client_as("presidency")
    with translation.override("es"):
        url = reverse("reports:archive")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"kind": "term", "term": known["term"].pk, "as_of": "2026-12-01", "language": "en"}
        )
    report = IssuedReport.objects.get()
    assert response["Location"] == report.get_absolute_url()
    assert report.kind == IssuedReport.Kind.TERM and report.status == "done", report.error
    assert report.filename("pdf").startswith("informe-termino-periodo-")


def test_the_command_writes_the_end_of_term_reports(
    plan, known, users, validated_report, periods, tmp_path
):
    secretariat_work(known, users, validated_report, periods)
    out, xlsx = tmp_path / "termino.pdf", tmp_path / "termino.xlsx"
    stdout = io.StringIO()
    call_command(
        "accountability_report", "--end-of-term", "secretariat", "--term", "2018-2019",
        "--lang", "es", "--as-of", AS_OF.isoformat(), "--out", str(out), "--xlsx", str(xlsx),
        "--archive", stdout=stdout,
    )  # fmt: skip
    text = text_of(out.read_bytes())
    assert "Informe al término del período de funciones de la Secretaría Técnica" in text
    assert (
        "Acuerdos a su cargo adoptados en el período de funciones: 1; cumplidos: 1 (100,0 %)."
        in text
    )
    rows = openpyxl.load_workbook(xlsx)["Actividades"].iter_rows(min_row=2, values_only=True)
    assert {row[1]: row[3] for row in rows}["4.1.2-1"] == 0.6
    report = IssuedReport.objects.get()
    assert (report.kind, report.term) == (IssuedReport.Kind.TERM, known["term"])
    assert "Archived" in stdout.getvalue()

    # Without --term: the organ's latest term (Honduras's Presidency, from 2020).
    call_command("accountability_report", "--end-of-term", "presidency", "--lang", "en",
                 "--out", str(out), stdout=io.StringIO())  # fmt: skip
    text = text_of(out.read_bytes())
    assert "End-of-term report of the Presidency" in text
    assert "Honduras" in text
    # Without --lang the command speaks the interface's default language.
    with pytest.raises(
        CommandError, match="Ningún período de funciones de la Presidencia corresponde a “2018”"
    ):
        call_command("accountability_report", "--end-of-term", "presidency", "--term", "2018",
                     "--out", str(out), stdout=io.StringIO())  # fmt: skip
