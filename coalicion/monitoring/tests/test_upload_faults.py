"""A report with evidence when the file store fails (a full disk): nothing
half-written, no orphan file, no row, and the form says what happened."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from coalicion.core.tests.files import PDF_BYTES, PNG_BYTES
from coalicion.core.tests.storage import files_under, fill_disk
from coalicion.monitoring import actions
from coalicion.monitoring.models import Evidence, ProgressReport


def report_form(*files) -> dict:
    return {
        "percent": "40",
        "narrative": "Avance.",
        "version": "0",
        "action": "draft",
        "evidence": list(files),
    }


def url(period, activity) -> str:
    with translation.override("en"):
        return reverse("monitoring:report", args=[period.pk, activity.pk])


def test_a_full_disk_during_the_second_file_saves_no_report_no_evidence_and_no_file(
    client, users, cr_activity, periods, monkeypatch
):
    disk = fill_disk(monkeypatch, Evidence, succeed=1)
    client.force_login(users["focal_point"])

    response = client.post(
        url(periods[0], cr_activity),
        report_form(
            SimpleUploadedFile("acta.pdf", PDF_BYTES, "application/pdf"),
            SimpleUploadedFile("foto.png", PNG_BYTES, "image/png"),
        ),
    )

    assert response.status_code == 200
    assert len(disk.attempts) == 2  # the first file was written, the second failed
    html = response.content.decode()
    assert "The file foto.png could not be stored on the server" in html
    assert "Nothing was saved" in html
    assert "Errno" not in html and "No space left" not in html  # no internals shown
    assert not ProgressReport.objects.exists()
    assert not Evidence.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_a_full_disk_refuses_the_action_and_removes_the_half_written_file(
    users, cr_activity, periods, monkeypatch
):
    fill_disk(monkeypatch, Evidence)
    report = actions.save_report(
        actor=users["focal_point"],
        activity=cr_activity,
        period=periods[0],
        percent=50,
        narrative="Primera reunión.",
    )
    with pytest.raises(ValidationError) as refused:
        actions.attach_evidence(
            actor=users["focal_point"],
            uploaded=SimpleUploadedFile("acta.pdf", PDF_BYTES),
            content_type="application/pdf",
            report=report,
        )
    assert refused.value.error_list[0].code == "upload_not_stored"
    assert not Evidence.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_once_the_disk_has_room_again_the_same_report_is_saved_with_its_files(
    client, users, cr_activity, periods, monkeypatch
):
    fill_disk(monkeypatch, Evidence)
    client.force_login(users["focal_point"])
    pdf = SimpleUploadedFile("acta.pdf", PDF_BYTES, "application/pdf")
    assert client.post(url(periods[0], cr_activity), report_form(pdf)).status_code == 200
    monkeypatch.undo()

    pdf = SimpleUploadedFile("acta.pdf", PDF_BYTES, "application/pdf")
    assert client.post(url(periods[0], cr_activity), report_form(pdf)).status_code == 302

    evidence = Evidence.objects.get()
    assert evidence.file.read() == PDF_BYTES
    assert files_under(settings.MEDIA_ROOT) == [Path(evidence.file.path)]
