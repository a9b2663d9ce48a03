"""What meetings contribute to shared pages (`coalicion.core.sections`)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalicion.core.sections import register
from coalicion.core.work import WorkItem, in_order, late_days
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


# --- "My work" (`coalicion.core.work`) ------------------------------------------

SOON_DAYS = 30  # agreements due within this many days are shown as work
RECENT_DAYS = 90  # minutes approved within this many days are news to observers


def _meeting_work(*, user, roles, today, **params) -> dict | None:
    """Members: the agreements they answer for (overdue, due soon), the
    minutes circulated for comment and the next meeting with its
    convocation and agenda. Observers: the next meeting open to them and
    newly approved minutes. A fixed number of queries."""
    if not roles.is_internal:
        return None
    from coalicion.meetings import selectors
    from coalicion.meetings.models import Agreement, Minutes
    from coalicion.plans.parties import answers_for

    items = []
    now = timezone.now()
    next_meeting = (
        selectors.visible_events(user)
        .filter(kind__in=Event.MEETING_KINDS, end__gte=now)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("start")
        .first()
    )
    if next_meeting is not None:
        if next_meeting.status == Event.Status.PLANNED:
            note = gettext("Not yet convened")
        elif next_meeting.agenda_approved:
            note = gettext("Convened; agenda approved")
        else:
            note = gettext("Convened; see the agenda")
        items.append(
            WorkItem(
                title=_("Next meeting: %(event)s, %(day)s")
                % {"event": next_meeting, "day": date_format(next_meeting.local_date)},
                url=reverse("meetings:agenda", args=[next_meeting.pk])
                if roles.is_member
                else next_meeting.get_absolute_url(),
                due=next_meeting.local_date,
                note=note,
            )
        )
    if roles.is_member:
        open_agreements = (
            Agreement.objects.filter(status__in=Agreement.OPEN, due__isnull=False)
            .filter(due__lte=today + datetime.timedelta(days=SOON_DAYS))
            .select_related("event", "country", "organ", "committee")
            .prefetch_related("committee__members", "committee__countries")
            .order_by("due")
        )
        for agreement in open_agreements:
            if roles.is_secretariat:
                if not agreement.is_overdue(today):
                    continue  # the Secretariat follows the overdue ones
            elif not answers_for(user, [agreement], roles=roles):
                continue
            late = late_days(agreement.due, today)
            items.append(
                WorkItem(
                    title=_("Agreement %(code)s: %(text)s")
                    % {"code": agreement.code, "text": Truncator(agreement.text).words(12)},
                    url=agreement.get_absolute_url(),
                    due=agreement.due,
                    late_days=late,
                    note=gettext("Overdue") if late else gettext("Due soon"),
                )
            )
        for minutes in Minutes.objects.filter(status=Minutes.Status.CIRCULATED).select_related(
            "event"
        ):
            items.append(
                WorkItem(
                    title=_("Minutes of %(event)s") % {"event": minutes.event},
                    url=reverse("meetings:minutes", args=[minutes.pk]),
                    note=gettext("Circulated for comment"),
                )
            )
    elif roles.observer:
        since = now - datetime.timedelta(days=RECENT_DAYS)
        for minutes in Minutes.objects.filter(
            status=Minutes.Status.APPROVED,
            approved_at__gte=since,
            event__open_to_observers=True,
        ).select_related("event"):
            items.append(
                WorkItem(
                    title=_("Minutes of %(event)s") % {"event": minutes.event},
                    url=reverse("meetings:minutes", args=[minutes.pk]),
                    note=gettext("Newly approved"),
                )
            )
    return in_order(items)


def _secretariat_meetings(*, user, roles, today, **params) -> dict | None:
    """The Secretariat's: minutes to prepare (meetings held without
    minutes) and drafts to circulate. Two queries."""
    if not roles.is_secretariat:
        return None
    from coalicion.meetings.models import Minutes

    items = []
    held = (
        Event.objects.filter(kind__in=Event.MEETING_KINDS, end__lt=timezone.now())
        .exclude(status=Event.Status.CANCELLED)
        .filter(minutes__isnull=True)
        .order_by("start")
    )
    for event in held:
        items.append(
            WorkItem(
                title=_("Prepare the minutes of %(event)s") % {"event": event},
                url=reverse("meetings:minutes_create", args=[event.pk]),
                note=gettext("Held on %(day)s") % {"day": date_format(event.local_date)},
            )
        )
    for minutes in Minutes.objects.filter(status=Minutes.Status.DRAFT).select_related("event"):
        items.append(
            WorkItem(
                title=_("Circulate the minutes of %(event)s") % {"event": minutes.event},
                url=reverse("meetings:minutes", args=[minutes.pk]),
                note=gettext("Draft"),
            )
        )
    return in_order(items)


def _presidency_meetings(*, user, roles, today, **params) -> dict | None:
    """The Presidency's: meetings to convene, agendas to approve,
    representations to report on and decisions still pending. Three queries."""
    if not roles.is_presidency:
        return None
    from coalicion.meetings.models import Decision

    items = []
    now = timezone.now()
    upcoming = Event.objects.filter(kind__in=Event.MEETING_KINDS, end__gte=now).order_by("start")
    for event in upcoming:
        if event.status == Event.Status.PLANNED:
            items.append(
                WorkItem(
                    title=_("Convene %(event)s") % {"event": event},
                    url=event.get_absolute_url(),
                    due=event.local_date,
                    note=gettext("Planned for %(day)s") % {"day": date_format(event.local_date)},
                )
            )
        elif event.status == Event.Status.CONVENED and not event.agenda_approved:
            items.append(
                WorkItem(
                    title=_("Agenda of %(event)s") % {"event": event},
                    url=reverse("meetings:agenda", args=[event.pk]),
                    due=event.local_date,
                    note=gettext("To be approved at the start of the meeting"),
                )
            )
    representations = Event.objects.filter(
        kind=Event.Kind.REPRESENTATION, end__lt=now, report=""
    ).exclude(status=Event.Status.CANCELLED)
    for event in representations.order_by("start"):
        items.append(
            WorkItem(
                title=_("Report on the representation %(event)s") % {"event": event},
                url=reverse("meetings:event_edit", args=[event.pk]),
                note=gettext("Owed at the next meeting"),
            )
        )
    for decision in Decision.objects.filter(adopted__isnull=True).select_related("event"):
        items.append(
            WorkItem(
                title=_("%(decision)s of %(event)s")
                % {"decision": decision, "event": decision.event},
                url=decision.get_absolute_url(),
                note=gettext("Pending: no outcome recorded"),
            )
        )
    return in_order(items)


register(
    "my_work",
    key="meetings",
    order=30,
    title=_("Meetings and agreements"),
    template="_work_items.html",
    context=_meeting_work,
)
register(
    "my_work",
    key="secretariat_meetings",
    order=40,
    title=_("Minutes to prepare and circulate"),
    template="_work_items.html",
    context=_secretariat_meetings,
)
register(
    "my_work",
    key="presidency",
    order=50,
    title=_("Presidency: meetings, representations and decisions"),
    template="_work_items.html",
    context=_presidency_meetings,
)


# --- "My account" -------------------------------------------------------------------


def _account_calendar(*, user, roles, **params) -> dict | None:
    """The private calendar address and the optional e-mails switched off
    (two queries), linking to the page that manages them."""
    if not user.has_perm("meetings.use_calendar"):
        return None
    from coalicion.meetings.models import CalendarFeed
    from coalicion.notifications.actions import preferences_of

    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    opted_out = sum(1 for enabled in preferences_of(user).values() if not enabled)
    return {"feed": feed, "opted_out": opted_out}


register(
    "my_account",
    key="calendar",
    order=10,
    title=_("Calendar and e-mails"),
    template="meetings/sections/account_calendar.html",
    context=_account_calendar,
)
