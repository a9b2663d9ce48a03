from django.shortcuts import redirect, render
from django.templatetags.static import static

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent


def permission_denied(request, exception=None):
    """403 in the active language; every denial goes to the audit log."""
    record_event(
        action=AuditEvent.Action.PERMISSION_DENIED,
        actor=request.user,
        detail={"permission": str(exception or "")[:200]},
    )
    return render(request, "403.html", status=403)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(static("favicon.svg"), permanent=True)
