"""Uploaded files kept outside the web root, and their permission-checked
downloads: one way to store them and one way to serve them, for evidence,
meeting attachments and frozen minutes."""

import hashlib

from django.http import FileResponse

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent


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
