"""Uploaded files kept outside the web root, and their permission-checked
downloads: one way to store them and one way to serve them, for evidence,
meeting attachments and frozen minutes."""

import hashlib

from django.conf import settings
from django.db import models
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent


class StoredFile(models.Model):
    """The fields of a stored upload; a concrete model adds `file` (with its
    own folder) and what the file belongs to."""

    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.original_name


def store_upload(instance, uploaded, *, user) -> None:
    """Fill a file record (`file`, `original_name`, `content_type` already
    set by the caller, `size`, `sha256`, `uploaded_by`) from an upload that
    was checked by content, and save the file under its digest. The caller
    saves the record."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    instance.original_name = uploaded.name[:255]
    instance.size = uploaded.size
    instance.sha256 = digest.hexdigest()
    instance.uploaded_by = user
    instance.file.save(digest.hexdigest()[:16], uploaded, save=False)


def protected_download(
    request, *, content, filename: str, content_type: str, target: str, detail: dict
) -> FileResponse:
    """A file as an attachment the browser never renders, written to the
    audit log. `content`: an open binary file or a file-like object."""
    record_event(action=AuditEvent.Action.DOWNLOAD, request=request, target=target, detail=detail)
    response = FileResponse(
        content, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
