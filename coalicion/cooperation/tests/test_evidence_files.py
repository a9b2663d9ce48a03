"""Evidence files of good practices, replications and joint actions: uploaded
through their forms, checked by content (core.uploads), listed on the
record's page and downloaded only by whoever may see the record."""

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.cooperation import actions
from coalicion.cooperation.models import GoodPractice, JointAction, RecordEvidence
from coalicion.cooperation.tests.conftest import day
from coalicion.core.tests.files import PDF_BYTES, PNG_BYTES


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _download(client, evidence):
    return client.get(reverse("cooperation:record_evidence", args=[evidence.pk]))


def test_a_practice_is_registered_with_an_evidence_file(client_as, countries):
    client = client_as("focal_point")
    response = client.post(
        reverse("cooperation:practice_create"),
        {
            "title": "Unidad especializada",
            "country": countries["CR"].pk,
            "area": "investigation",
            "description": "Una unidad de la fiscalía.",
            "registered_on": "2022-04-01",
            "evidence": SimpleUploadedFile("informe.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    practice = GoodPractice.objects.get(title="Unidad especializada")
    evidence = practice.evidence_files.get()
    assert (evidence.original_name, evidence.content_type) == ("informe.pdf", "application/pdf")
    page = client.get(practice.get_absolute_url()).content.decode()
    assert reverse("cooperation:record_evidence", args=[evidence.pk]) in page
    download = _download(client_as("observer"), evidence)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_editing_a_practice_adds_files_to_the_ones_it_has(client_as, users, countries):
    practice = actions.save_practice(
        actor=users["secretariat"],
        title="Línea 800",
        country=countries["CR"],
        area="care",
        description="…",
        registered_on=day("2021-01-01"),
        evidence=[(SimpleUploadedFile("a.pdf", PDF_BYTES), "application/pdf")],
    )
    response = client_as("focal_point").post(
        reverse("cooperation:practice_edit", args=[practice.pk]),
        {
            "version": practice.version,
            "title": "Línea 800",
            "country": countries["CR"].pk,
            "area": "care",
            "description": "…",
            "registered_on": "2021-01-01",
            "evidence": SimpleUploadedFile("foto.png", PNG_BYTES),
        },
    )
    assert response.status_code == 302
    assert sorted(practice.evidence_files.values_list("original_name", flat=True)) == [
        "a.pdf",
        "foto.png",
    ]


def test_a_file_that_is_not_what_its_name_says_is_refused(client_as, countries):
    response = client_as("focal_point").post(
        reverse("cooperation:practice_create"),
        {
            "title": "Falsa",
            "country": countries["CR"].pk,
            "area": "care",
            "description": "…",
            "registered_on": "2022-04-01",
            "evidence": SimpleUploadedFile("acta.pdf", b"no soy un PDF"),
        },
    )
    assert response.status_code == 200
    assert "The file acta.pdf is not a valid PDF file" in response.content.decode()
    assert not GoodPractice.objects.filter(title="Falsa").exists()
    assert not RecordEvidence.objects.exists()


def test_a_replication_is_recorded_with_an_evidence_file(gt_practice, client_as, countries):
    client = client_as("focal_point")
    response = client.post(
        reverse("cooperation:replication_create", args=[gt_practice.pk]),
        {
            "country": countries["CR"].pk,
            "day": "2022-01-01",
            "evidence": SimpleUploadedFile("decreto.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    evidence = RecordEvidence.objects.get()
    assert evidence.replication.country == countries["CR"]
    page = client.get(gt_practice.get_absolute_url()).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert reverse("cooperation:record_evidence", args=[evidence.pk]) in page
    assert _download(client_as("focal_point_other"), evidence).status_code == 200


def test_a_joint_action_is_recorded_with_an_evidence_file(client_as, users):
    actor = actions.save_actor(
        actor=users["secretariat"], name="SICA", level="regional", kind="regional_space"
    )
    client = client_as("secretariat")
    response = client.post(
        reverse("cooperation:joint_action_create"),
        {
            "title": "Taller regional",
            "day": "2022-05-10",
            "actors": [actor.pk],
            "evidence": [
                SimpleUploadedFile("lista.pdf", PDF_BYTES),
                SimpleUploadedFile("foto.png", PNG_BYTES),
            ],
        },
    )
    assert response.status_code == 302
    action = JointAction.objects.get(title="Taller regional")
    files = list(action.evidence_files.all())
    assert [f.content_type for f in files] == ["application/pdf", "image/png"]
    page = client.get(reverse("cooperation:actors")).content.decode()
    for evidence in files:
        assert reverse("cooperation:record_evidence", args=[evidence.pk]) in page
    assert _download(client_as("presidency"), files[1]).status_code == 200


def test_evidence_files_are_not_downloaded_without_an_internal_role(
    gt_practice, users, make_user, client_as, client
):
    evidence_practice = actions.save_practice(
        actor=users["secretariat"],
        practice=gt_practice,
        version=gt_practice.version,
        title=gt_practice.title,
        country=gt_practice.country,
        area=gt_practice.area,
        description=gt_practice.description,
        registered_on=gt_practice.registered_on,
        evidence=[(SimpleUploadedFile("a.pdf", PDF_BYTES), "application/pdf")],
    )
    evidence = evidence_practice.evidence_files.get()
    assert _download(client, evidence).status_code == 302  # to the sign-in page
    outsider = client_as(make_user("nadie@test.invalid"))
    assert _download(outsider, evidence).status_code == 403
    assert _download(client_as("observer"), evidence).status_code == 200


def test_a_failed_step_keeps_no_file(gt_practice, users, countries, settings):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        actions.record_replication(
            actor=users["secretariat"],
            practice=gt_practice,
            country=countries["CR"],
            day=tomorrow,
            evidence=[(SimpleUploadedFile("a.pdf", PDF_BYTES), "application/pdf")],
        )
    with pytest.raises(ValidationError):
        actions.record_joint_action(
            actor=users["secretariat"],
            title="Sin actores",
            day=day("2022-01-01"),
            actors=[],
            evidence=[(SimpleUploadedFile("a.pdf", PDF_BYTES), "application/pdf")],
        )
    assert not RecordEvidence.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).glob("cooperation/records/*/*"))
