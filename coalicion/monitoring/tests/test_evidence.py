"""Evidence files: accepted by content, stored outside the web root, served
only through the permission-checked, audited download view."""

import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from coalicion.audit.models import AuditEvent
from coalicion.core.tests.files import JPEG_BYTES, PDF_BYTES, PNG_BYTES
from coalicion.core.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    TEXT,
    UPLOAD_MAX_BYTES,
    XLSX,
    check_upload,
    download_name,
)
from coalicion.monitoring import actions
from coalicion.monitoring.models import Evidence, ProgressReport


@pytest.fixture(autouse=True)
def messages_in_english():
    """The functions under test are called outside a request: their messages
    come in the default language (Spanish) unless English is active."""
    with translation.override("en"):
        yield


HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def office_package(main_type: str, extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Override PartName="/word/document.xml" '
            f'ContentType="{main_type}"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def url(name, *args):
    with translation.override("es"):
        return reverse(f"monitoring:{name}", args=args)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Detection by content --------------------------------------------------------


def test_a_real_pdf_is_accepted():
    assert check_upload(upload("informe.pdf", PDF_BYTES)) == PDF


def test_images_are_recognised_by_their_content_not_their_name():
    assert check_upload(upload("foto.jpg", PNG_BYTES, "image/jpeg")) == PNG
    assert check_upload(upload("foto", JPEG_BYTES)) == JPEG


def test_a_pdf_is_recognised_even_under_another_name_and_browser_type():
    assert check_upload(upload("acta.txt", PDF_BYTES, "text/plain")) == PDF


def test_a_word_document_is_accepted():
    content = office_package(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    assert check_upload(upload("minuta.docx", content)) == DOCX


def test_a_real_excel_workbook_is_accepted():
    workbook = openpyxl.Workbook()
    workbook.active.append(["País", "Casos"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert check_upload(upload("datos.xlsx", buffer.getvalue())) == XLSX


def test_a_macro_enabled_document_is_refused():
    content = office_package(
        "application/vnd.ms-word.document.macroEnabled.main+xml",
        extra={"word/vbaProject.bin": b"\x00macro"},
    )
    with pytest.raises(ValidationError, match="not an accepted type"):
        check_upload(upload("minuta.docm", content))


def test_a_zip_archive_that_is_no_office_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", EXE_BYTES)
    with pytest.raises(ValidationError, match="not a valid Word file"):
        check_upload(upload("documento.docx", buffer.getvalue()))


def test_a_damaged_zip_is_refused():
    with pytest.raises(ValidationError, match="not a valid Word file"):
        check_upload(upload("documento.docx", b"PK\x03\x04" + b"garbage" * 20))


def test_utf8_text_and_csv_are_accepted():
    assert check_upload(upload("notas.txt", "Reunión en San José\n".encode())) == TEXT
    csv = "país;casos\nCosta Rica;12\nGuatemala;3 < 5\n".encode()
    assert check_upload(upload("casos.csv", csv, "text/csv")) == TEXT


def test_text_that_is_not_utf8_is_refused():
    with pytest.raises(ValidationError, match="not an accepted type"):
        check_upload(upload("notas.txt", "Reunión en San José".encode("latin-1")))


def test_an_html_file_named_pdf_is_refused_naming_the_file():
    with pytest.raises(ValidationError) as refused:
        check_upload(upload("informe.pdf", HTML_BYTES, "application/pdf"))
    assert refused.value.messages == [
        "The file informe.pdf is not a valid PDF file: its content is damaged or of another kind."
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
        b"\xef\xbb\xbf  <html><p>hola</p></html>",
        b"Notas\n\n<script>alert(1)</script>\n",
        b"#!/bin/sh\nrm -rf /\n",
    ],
    ids=["svg", "html-after-bom", "script-inside-text", "shell-script"],
)
def test_markup_and_scripts_passing_as_text_are_refused(content):
    with pytest.raises(ValidationError, match="not an accepted type"):
        check_upload(upload("notas.txt", content))


def test_an_oversized_file_is_refused_with_the_limit_in_the_message():
    big = upload("video.pdf", b"%PDF-" + b"0" * UPLOAD_MAX_BYTES)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        check_upload(big)
    assert refused.value.messages == [
        "The file video.pdf is too large: 20.1 MB; the limit is 20 MB."
    ]


def test_a_file_exactly_at_the_limit_is_accepted():
    padding = b"%" + b"0" * (UPLOAD_MAX_BYTES - len(PDF_BYTES) - 2) + b"\n"
    exact = upload("grande.pdf", PDF_BYTES[:9] + padding + PDF_BYTES[9:])
    assert exact.size == UPLOAD_MAX_BYTES
    assert check_upload(exact) == PDF


@pytest.mark.parametrize(
    "content",
    [EXE_BYTES, b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 32],
    ids=["windows", "linux"],
)
def test_an_executable_is_refused(content):
    with pytest.raises(ValidationError, match="not a valid PDF file"):
        check_upload(upload("informe.pdf", content, "application/pdf"))
    with pytest.raises(ValidationError, match="not an accepted type"):
        check_upload(upload("informe", content))


def test_a_text_file_named_pdf_is_refused():
    with pytest.raises(ValidationError, match=r"informe\.pdf is not a valid PDF file"):
        check_upload(upload("informe.pdf", "Informe de avance del país\n".encode()))


def test_a_file_that_only_starts_like_a_pdf_is_refused():
    fake = b"%PDF-1.4\nEste texto no es un documento PDF.\n"
    with pytest.raises(ValidationError, match="not a valid PDF file"):
        check_upload(upload("informe.pdf", fake))
    with pytest.raises(ValidationError, match="not an accepted type"):
        check_upload(upload("informe", fake))


def test_a_pdf_cut_short_is_refused():
    with pytest.raises(ValidationError, match="not a valid PDF file"):
        check_upload(upload("informe.pdf", PDF_BYTES[: len(PDF_BYTES) // 2]))


@pytest.mark.parametrize(
    "damaged",
    [
        PNG_BYTES[:-12],
        PNG_BYTES[:20] + bytes([PNG_BYTES[20] ^ 1]) + PNG_BYTES[21:],
        b"\x89PNG\r\n\x1a\nhola",
    ],
    ids=["without-end", "bad-checksum", "no-chunks"],
)
def test_a_damaged_png_is_refused(damaged):
    with pytest.raises(ValidationError, match="not a valid PNG file"):
        check_upload(upload("foto.png", damaged))


def test_a_jpeg_without_its_segments_is_refused():
    with pytest.raises(ValidationError, match="not a valid JPEG file"):
        check_upload(upload("foto.jpg", b"\xff\xd8\xff" + b"texto cualquiera"))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match=r"vacio\.pdf is empty"):
        check_upload(upload("vacio.pdf", b""))


def test_the_download_name_carries_the_extension_of_the_detected_type():
    assert download_name("informe.PDF", PDF) == "informe.PDF"
    assert download_name("informe", PDF) == "informe.pdf"
    assert download_name("lanzar.bat", TEXT) == "lanzar.bat.txt"
    assert download_name("casos.csv", TEXT) == "casos.csv"


# --- Storage outside the web root ----------------------------------------------------


def test_uploaded_files_live_outside_the_web_root():
    # The project's settings, not the temporary MEDIA_ROOT of these tests.
    from coalicion import settings as project_settings

    media = Path(project_settings.MEDIA_ROOT).resolve()
    web_roots = [Path(project_settings.STATIC_ROOT).resolve()]
    web_roots += [Path(d).resolve() for d in project_settings.STATICFILES_DIRS]
    for root in web_roots:
        assert not media.is_relative_to(root)
        assert not root.is_relative_to(media)


@pytest.fixture
def report(cr_activity, periods, users):
    return actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=50,
        narrative="Primera reunión.",
    )


@pytest.fixture
def evidence(report, users):
    return actions.attach_evidence(
        actor=users["focal_point"],
        uploaded=upload("acta de la reunión.pdf", PDF_BYTES),
        content_type=PDF,
        report=report,
    )


def test_stored_files_are_not_served_under_media(client, users, evidence):
    assert Path(evidence.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    client.force_login(users["secretariat"])
    for path in (f"/media/{evidence.file.name}", f"/es/media/{evidence.file.name}"):
        assert client.get(path).status_code == 404


# --- Upload through the report form --------------------------------------------------------


def test_evidence_uploaded_with_a_report_is_stored_with_its_detected_type(
    client, users, cr_activity, periods
):
    client.force_login(users["focal_point"])
    response = client.post(
        url("report", periods[0].pk, cr_activity.pk),
        {
            "percent": "40",
            "narrative": "Avance.",
            "version": "0",
            "action": "draft",
            "evidence": [
                upload("acta.pdf", PDF_BYTES, "text/html"),
                upload("casos.csv", b"pais,casos\nCR,3\n", "text/csv"),
            ],
        },
    )
    assert response.status_code == 302
    stored = list(Evidence.objects.order_by("original_name"))
    assert [(e.original_name, e.content_type) for e in stored] == [
        ("acta.pdf", PDF),
        ("casos.csv", TEXT),
    ]
    assert stored[0].report.activity == cr_activity
    assert stored[0].uploaded_by == users["focal_point"]
    assert stored[0].file.read() == PDF_BYTES


def test_a_refused_file_saves_nothing_and_says_which_file(client, users, cr_activity, periods):
    client.force_login(users["focal_point"])
    response = client.post(
        url("report", periods[0].pk, cr_activity.pk),
        {
            "percent": "40",
            "narrative": "Avance.",
            "version": "0",
            "action": "submit",
            "evidence": [
                upload("acta.pdf", PDF_BYTES),
                upload("programa.exe", EXE_BYTES, "application/pdf"),
            ],
        },
    )
    assert response.status_code == 200
    # The page is in Spanish (/es/).
    assert "El archivo programa.exe no es de un tipo aceptado" in response.content.decode()
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()


# --- Download -------------------------------------------------------------------------------


def test_an_internal_user_downloads_evidence_as_an_audited_attachment(client, users, evidence):
    client.force_login(users["secretariat"])
    response = client.get(url("evidence", evidence.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == PDF
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "acta%20de%20la%20reuni%C3%B3n.pdf" in response["Content-Disposition"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.user == users["secretariat"]
    assert event.target == "acta de la reunión.pdf"
    assert event.detail == {"evidence": evidence.pk}


def test_an_observer_may_download_evidence_once_the_report_is_validated(client, users, evidence):
    client.force_login(users["observer"])
    assert client.get(url("evidence", evidence.pk)).status_code == 403
    evidence.report.status = "validated"
    evidence.report.save()
    assert client.get(url("evidence", evidence.pk)).status_code == 200


def test_another_country_cannot_download_the_evidence_of_a_report_in_progress(
    client, users, evidence
):
    client.force_login(users["focal_point_other"])
    assert client.get(url("evidence", evidence.pk)).status_code == 403


def test_an_anonymous_download_goes_to_sign_in(client, evidence):
    response = client.get(url("evidence", evidence.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_an_account_without_a_role_cannot_download_evidence(client, make_user, evidence):
    client.force_login(make_user("nadie@test.invalid"))
    assert client.get(url("evidence", evidence.pk)).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_a_text_file_downloads_under_a_harmless_extension(client, users, report):
    item = actions.attach_evidence(
        actor=users["focal_point"],
        uploaded=upload("ejecutar.bat", b"echo hola\r\n"),
        content_type=check_upload(upload("ejecutar.bat", b"echo hola\r\n")),
        report=report,
    )
    client.force_login(users["focal_point"])
    response = client.get(url("evidence", item.pk))
    assert 'filename="ejecutar.bat.txt"' in response["Content-Disposition"]
    assert response["Content-Type"] == TEXT


def test_a_missing_evidence_file_is_a_404(client, users):
    client.force_login(users["secretariat"])
    assert client.get(url("evidence", 999999)).status_code == 404
