"""An instrument's evidence when the file store fails (a full disk): no
instrument, no stage entry, no evidence row and no file is left."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from coalicion.cooperation import actions
from coalicion.cooperation.models import Instrument, InstrumentType, StageChange, StageEvidence
from coalicion.core.tests.files import PDF_BYTES, PNG_BYTES
from coalicion.core.tests.storage import files_under, fill_disk


def test_a_full_disk_on_the_second_evidence_file_saves_no_instrument_and_no_file(
    users, stages, monkeypatch
):
    fill_disk(monkeypatch, StageEvidence, succeed=1)
    before = Instrument.objects.count(), StageChange.objects.count()

    with pytest.raises(ValidationError) as refused:
        actions.create_instrument(
            actor=users["secretariat"],
            type=InstrumentType.objects.get(code="regional-prevention-tip"),
            title="Estrategia regional",
            stage=stages["in_preparation"],
            day=datetime.date(2019, 3, 1),
            evidence=[
                (SimpleUploadedFile("acta.pdf", PDF_BYTES), "application/pdf"),
                (SimpleUploadedFile("foto.png", PNG_BYTES), "image/png"),
            ],
        )

    assert refused.value.error_list[0].code == "upload_not_stored"
    assert (Instrument.objects.count(), StageChange.objects.count()) == before
    assert not StageEvidence.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []
