"""What meetings contribute to shared pages (`coalicion.core.sections`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.sections import register
from coalicion.meetings.models import Event


def _events_of_activity(*, user, activity, **params) -> dict | None:
    """The events that carried the activity out (their record is evidence
    too), those the person may see. One query."""
    events = [
        event
        for event in Event.objects.filter(activities=activity).order_by("start")
        if user.has_perm("meetings.view_event", event)
    ]
    return {"events": events} if events else None


register(
    "activity",
    key="events",
    order=50,
    title=_("Events that carried it out"),
    template="meetings/sections/activity_events.html",
    context=_events_of_activity,
)
