"""The one way a protected file leaves the server: as an attachment the
browser never renders, recorded in the audit log."""

from django.http import FileResponse

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent


def protected_download(
    *, actor, content, filename: str, content_type: str, target: str, detail: dict
) -> FileResponse:
    """`content`: an open binary file or a file-like object. The caller has
    checked the permission."""
    record_event(action=AuditEvent.Action.DOWNLOAD, actor=actor, target=target, detail=detail)
    response = FileResponse(
        content, as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
