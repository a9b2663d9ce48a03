"""An S3-compatible store that cannot be reached (MEDIA_STORAGE=s3, ADR
0064) refuses the step in plain words, as a full disk does."""

import pytest
from botocore.exceptions import EndpointConnectionError
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.utils import translation

from coalicion.core.tests.files import PDF_BYTES
from coalicion.core.uploads import save_file


class UnreachableStore(FileSystemStorage):
    def _save(self, name, content):
        raise EndpointConnectionError(endpoint_url="https://s3.example.org")


def test_an_unreachable_s3_store_refuses_the_upload_in_plain_words(monkeypatch, tmp_path):
    upload_model = apps.get_model("statistics", "Upload")
    monkeypatch.setattr(
        upload_model._meta.get_field("file"), "storage", UnreachableStore(location=tmp_path)
    )
    upload = upload_model()

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        save_file(upload.file, "informe.pdf", ContentFile(PDF_BYTES), shown_name="informe.pdf")

    assert refused.value.code == "upload_not_stored"
    assert "informe.pdf could not be stored" in refused.value.messages[0]
    assert list(tmp_path.iterdir()) == []
