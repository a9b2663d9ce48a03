from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent
from coalicion.core.sections import sections
from coalicion.membership.roles import roles_of


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


@login_required
def my_work(request):
    """ "My work": what is the signed-in person's to do now, by urgency,
    each item linking to where it is done. The apps contribute its
    sections (`coalicion.core.work`); each issues a bounded number of
    queries whatever the data."""
    roles = roles_of(request.user)
    shown = sections("my_work", user=request.user, roles=roles, today=timezone.localdate())
    return render(request, "composition/my_work.html", {"shown_sections": shown})
