"""Views of the meetings module (one module per area; see urls.py)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from coalicion.core.permissions import check_perm
from coalicion.meetings.models import Event

# Shown where a form would change what approved minutes record (the actions refuse it).
RECORDS_FROZEN = gettext_lazy(
    "The minutes of this meeting are approved: what they record cannot change."
)


def event_for(request, pk: int) -> Event:
    """The event, if the user may see it (404 or 403 otherwise)."""
    event = get_object_or_404(Event.objects.select_related("country"), pk=pk)
    check_perm(request, "meetings.view_event", event)
    return event
