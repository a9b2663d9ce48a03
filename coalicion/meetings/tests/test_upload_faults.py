"""Meeting documents when the file store fails (a full disk): nothing
half-written, no orphan file, no row, and the form says what happened."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from coalicion.core.tests.files import PDF_BYTES, PNG_BYTES
from coalicion.core.tests.storage import files_under, fill_disk
from coalicion.meetings.actions.agenda import add_agenda_item
from coalicion.meetings.actions.minutes import (
    approve_minutes,
    circulate_minutes,
    draft_minutes,
)
from coalicion.meetings.models import AgendaItem, Attachment, CountryReport, Minutes
from coalicion.meetings.tests.helpers import url

pytestmark = pytest.mark.django_db


def two_files():
    return [
        SimpleUploadedFile("informe.pdf", PDF_BYTES, content_type="application/pdf"),
        SimpleUploadedFile("foto.png", PNG_BYTES, content_type="image/png"),
    ]


def test_a_full_disk_during_a_country_reports_second_file_saves_nothing(
    client, users, meeting, monkeypatch
):
    disk = fill_disk(monkeypatch, Attachment, succeed=1)
    client.force_login(users["focal_point"])

    response = client.post(
        url("country_report", meeting.pk, "CR"),
        {"summary": "Situación de prueba.", "version": "0", "attachments": two_files()},
    )

    assert response.status_code == 200
    assert len(disk.attempts) == 2
    html = response.content.decode()
    assert "The file foto.png could not be stored on the server" in html
    assert "Errno" not in html
    assert not CountryReport.objects.exists()
    assert not Attachment.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_full_disk_while_adding_an_agenda_item_with_documents_saves_nothing(
    users, meeting, monkeypatch
):
    fill_disk(monkeypatch, Attachment, succeed=1)
    items_before = AgendaItem.objects.filter(event=meeting).count()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        add_agenda_item(
            actor=users["secretariat"],
            event=meeting,
            title="Informe de la Secretaría",
            uploads=[(f, f.content_type) for f in two_files()],
        )

    assert "could not be stored" in refused.value.messages[0]
    assert AgendaItem.objects.filter(event=meeting).count() == items_before
    assert not Attachment.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_full_disk_while_freezing_the_minutes_leaves_them_circulated_and_no_pdf(
    users, meeting, make_quorate_meeting, monkeypatch
):
    minutes = draft_minutes(actor=users["secretariat"], event=meeting)
    minutes = circulate_minutes(actor=users["secretariat"], minutes=minutes)
    later = make_quorate_meeting(number=13, day="2026-06-10")
    fill_disk(monkeypatch, Minutes, field="pdf")

    with pytest.raises(ValidationError):
        approve_minutes(actor=users["presidency"], minutes=minutes, at_event=later)

    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CIRCULATED and not minutes.pdf_sha256
    assert not minutes.pdf
    assert files_under(settings.MEDIA_ROOT) == []
