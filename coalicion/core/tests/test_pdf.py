import hashlib
import json
import logging
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from coalicion.core.pdf import TEMPLATES_DIR, PdfError, render_pdf

SAMPLE = """\
#import "/_base.typ": data, layout
#show: layout.with(title: data.title)

= #data.title

#data.body

Fecha: #data.day
"""

MARKUP = (
    "#set page(width: 1cm) *bold* _x_ $y$ <z> @ref \\ `code` ~ // not a comment "
    "/* nor this */ \"quoted\" 'single' = - + [bracket] #{1 + 1} https://example.invalid"
)
SPANISH = "¿Dónde está el acta? ¡Aprobada por unanimidad! Año, señoría: á é í ó ú ñ Á É Í Ó Ú Ñ ü"
A4_MEDIA_BOX = b"/MediaBox[0 0 595.2756 841.8898]"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copy(TEMPLATES_DIR / "_base.typ", tmp_path / "_base.typ")
    (tmp_path / "sample.typ").write_text(SAMPLE, encoding="utf-8")
    return tmp_path


def sample_data(**overrides: object) -> dict:
    return {"title": "Acta de la reunión ordinaria", "body": SPANISH, "day": "2026-03-01"} | (
        overrides
    )


def pdf_text(pdf: bytes, tmp_path: Path) -> str | None:
    """The PDF's text with all whitespace removed, or None without pdftotext (poppler-utils)."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return "".join(result.stdout.decode("utf-8").split())


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_it_renders_a_pdf(root: Path) -> None:
    pdf = render_pdf(template="sample.typ", data=sample_data(), root=root)

    assert pdf.startswith(b"%PDF-")
    assert A4_MEDIA_BOX in pdf


def test_user_text_is_printed_literally_never_run_as_markup(root: Path, tmp_path: Path) -> None:
    pdf = render_pdf(
        template="sample.typ", data=sample_data(body=MARKUP, title="*x* #y"), root=root
    )

    # `#set page(width: 1cm)` in the data did not change the page.
    assert pdf.count(b"/MediaBox") == 1
    assert A4_MEDIA_BOX in pdf
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert squeeze(MARKUP) in text
        assert "*x*#y" in text


def test_spanish_text_renders_with_the_shipped_font_and_no_warning(
    root: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="coalicion.core.pdf"):
        pdf = render_pdf(template="sample.typ", data=sample_data(), root=root)

    assert caplog.records == []
    assert b"DejaVuSans" in pdf
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert squeeze(SPANISH) in text
        assert "Actadelareuniónordinaria" in text


def test_the_same_data_gives_the_same_bytes(root: Path) -> None:
    first = render_pdf(template="sample.typ", data=sample_data(), root=root)
    second = render_pdf(template="sample.typ", data=sample_data(), root=root)

    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    # No creation or modification time is written, so a later run cannot differ either.
    assert b"CreationDate" not in first
    assert b"CreateDate" not in first
    assert b"ModDate" not in first


def test_another_process_gives_the_same_bytes(root: Path) -> None:
    # Hash seeds and thread scheduling differ between processes; the bytes must not.
    script = (
        "import hashlib, json, sys\n"
        "from pathlib import Path\n"
        "from coalicion.core.pdf import render_pdf\n"
        "data, root = json.loads(sys.argv[2]), Path(sys.argv[1])\n"
        "pdf = render_pdf(template='sample.typ', data=data, root=root)\n"
        "print(hashlib.sha256(pdf).hexdigest())\n"
    )
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "-c", script, str(root), json.dumps(sample_data())],
        capture_output=True,
        check=True,
        text=True,
    )
    here = render_pdf(template="sample.typ", data=sample_data(), root=root)

    assert result.stdout.strip() == hashlib.sha256(here).hexdigest()


def test_different_data_gives_different_bytes(root: Path) -> None:
    first = render_pdf(template="sample.typ", data=sample_data(), root=root)
    second = render_pdf(template="sample.typ", data=sample_data(body="Otro texto"), root=root)

    assert first != second


def test_dates_are_passed_as_iso_strings(root: Path, tmp_path: Path) -> None:
    pdf = render_pdf(template="sample.typ", data=sample_data(day=date(2026, 3, 1)), root=root)

    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert "Fecha:2026-03-01" in text


def test_a_compile_error_raises_pdf_error_with_typst_message(root: Path) -> None:
    (root / "broken.typ").write_text('#import "/_base.typ": data\n#data.missing\n')

    with pytest.raises(PdfError, match=r"broken\.typ") as excinfo:
        render_pdf(template="broken.typ", data={}, root=root)

    assert "missing" in str(excinfo.value)
    assert "does not contain key" in str(excinfo.value)


def test_a_missing_template_raises_pdf_error(root: Path) -> None:
    with pytest.raises(PdfError, match=r"nothing\.typ"):
        render_pdf(template="nothing.typ", data={}, root=root)


def test_a_template_outside_the_root_is_refused(root: Path) -> None:
    outside = root.parent / "outside.typ"
    outside.write_text("secret")

    with pytest.raises(PdfError):
        render_pdf(template="../outside.typ", data={}, root=root)
    with pytest.raises(PdfError):
        render_pdf(template=str(outside), data={}, root=root)


def test_typst_warnings_are_logged(root: Path, caplog: pytest.LogCaptureFixture) -> None:
    (root / "warn.typ").write_text('#text(font: "No Such Font")[hola]\n')

    with caplog.at_level(logging.WARNING, logger="coalicion.core.pdf"):
        pdf = render_pdf(template="warn.typ", data={}, root=root)

    assert pdf.startswith(b"%PDF-")
    assert "No Such Font" in caplog.text or "no such font" in caplog.text.lower()


def test_the_default_root_is_the_templates_folder() -> None:
    assert (TEMPLATES_DIR / "_base.typ").is_file()
    assert sorted(p.name for p in (TEMPLATES_DIR / "fonts").glob("*.ttf")) == [
        "DejaVuSans-Bold.ttf",
        "DejaVuSans-BoldOblique.ttf",
        "DejaVuSans-Oblique.ttf",
        "DejaVuSans.ttf",
    ]
    with pytest.raises(PdfError, match=r"no-such-template\.typ"):
        render_pdf(template="no-such-template.typ", data={})
