"""The e-mails of meetings (SPEC §6: convocation, agenda, minutes for
comment, agreements due and overdue), through the shared outbox
(`coalicion.notifications`). Actions call the `queue_*` functions; each
message is written when it is sent, in its recipient's language.

Convocations and cancellations always go; the other notices are optional
and each person may switch them off.
"""

import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalicion.core.i18n import localized
from coalicion.meetings.ics import build_calendar, calendar_event
from coalicion.meetings.models import Agreement, Event, Minutes
from coalicion.membership.models import Organ
from coalicion.notifications.actions import notify
from coalicion.notifications.kinds import Kind, Message, register, register_daily
from coalicion.plans.parties import office_on, people_answering

DUE_SOON_DAYS = 14

CONVOCATION = "meetings.convocation"
AGENDA_APPROVED = "meetings.agenda_approved"
MINUTES_CIRCULATED = "meetings.minutes_circulated"
AGREEMENT_DUE = "meetings.agreement_due"
AGREEMENT_OVERDUE = "meetings.agreement_overdue"


# --- Recipients ------------------------------------------------------------------


def _members_and_observers(*, observers: bool) -> list:
    """Everyone representing a member country today (so the people of the
    countries holding the Presidency and the Secretariat), and the observers
    in force when `observers`."""
    from coalicion.membership.models import ObserverMembership

    office = office_on(timezone.localdate())
    people = [p for country_id in office.members for p in office.people_of(country_id)]
    if observers:
        people += [
            m.person
            for m in ObserverMembership.objects.in_force(office.day).select_related(
                "person__user", "person__country"
            )
        ]
    return people


def _answering(agreement: Agreement, office) -> list:
    return people_answering([agreement], office=office)


# --- Queueing (called by the actions) --------------------------------------------


def queue_convocation(*, event: Event, update: bool = False) -> None:
    key = f"event:{event.pk}:v{event.version}" if update else f"event:{event.pk}"
    notify(
        kind=CONVOCATION,
        recipients=_members_and_observers(observers=event.open_to_observers),
        key=key,
        params={"event": event.pk},
    )


def queue_cancellation(*, event: Event) -> None:
    notify(
        kind=CONVOCATION,
        recipients=_members_and_observers(observers=event.open_to_observers),
        key=f"event:{event.pk}:cancelled",
        params={"event": event.pk},
    )


def queue_agenda_approved(*, event: Event) -> None:
    notify(
        kind=AGENDA_APPROVED,
        recipients=_members_and_observers(observers=event.open_to_observers),
        key=f"event:{event.pk}",
        params={"event": event.pk},
    )


def queue_minutes_circulated(*, minutes: Minutes) -> None:
    notify(
        kind=MINUTES_CIRCULATED,
        recipients=_members_and_observers(observers=False),
        key=f"minutes:{minutes.pk}",
        params={"minutes": minutes.pk},
    )


def queue_agreement_reminders(today: datetime.date | None = None) -> int:
    """Agreements due in 14 days (or fewer, if created late) and overdue ones:
    one notice per agreement and due date, to those who answer for it (and,
    when overdue, the Secretariat)."""
    today = today or timezone.localdate()
    office = office_on(today)
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_agreements = Agreement.objects.filter(
        status__in=Agreement.OPEN, due__isnull=False
    ).select_related("event", "country", "organ", "committee")
    count = 0
    for agreement in open_agreements.filter(due__gte=today, due__lte=soon).prefetch_related(
        "committee__members", "committee__countries"
    ):
        count += len(
            notify(
                kind=AGREEMENT_DUE,
                recipients=_answering(agreement, office),
                key=f"agreement:{agreement.pk}:{agreement.due.isoformat()}",
                params={"agreement": agreement.pk},
            )
        )
    secretariat = office.people_of(office.holders.get(Organ.Code.SECRETARIAT))
    for agreement in open_agreements.filter(due__lt=today).prefetch_related(
        "committee__members", "committee__countries"
    ):
        count += len(
            notify(
                kind=AGREEMENT_OVERDUE,
                recipients=_answering(agreement, office) + secretariat,
                key=f"agreement:{agreement.pk}:{agreement.due.isoformat()}",
                params={"agreement": agreement.pk},
            )
        )
    return count


register_daily("meetings.agreements", queue_agreement_reminders)


# --- Writing the messages --------------------------------------------------------


def _context(notification, **records) -> dict:
    base = settings.SITE_URL.rstrip("/")
    context = {
        "notification": notification,
        "name": str(notification.person or notification.user or notification.email),
        "base_url": base,
        "settings_link": base + reverse("meetings:my_calendar"),
        **records,
    }
    for record in ("agreement", "minutes", "event"):
        if records.get(record) is not None:
            context["link"] = base + records[record].get_absolute_url()
            break
    return context


def _body(template: str, context: dict) -> str:
    return render_to_string(f"meetings/email/{template}.txt", context)


def _event_of(notification) -> Event | None:
    return (
        Event.objects.filter(pk=notification.params.get("event")).select_related("country").first()
    )


def build_convocation(notification) -> Message | None:
    event = _event_of(notification)
    if event is None:
        return None
    title = localized(event, "title")
    subject = (_("Cancelled: %(event)s") if event.is_cancelled else _("Convocation: %(event)s")) % {
        "event": title
    }
    # PUBLISH, not REQUEST: the Coalition asks for no reply by calendar
    # (attendance is the Secretariat's register), and a cancellation is the
    # same event again with STATUS:CANCELLED and a higher SEQUENCE.
    ics = build_calendar([calendar_event(event)], name=_("Coalition"), method="PUBLISH")
    return Message(
        subject=subject,
        body=_body("convocation", _context(notification, event=event)),
        attachments=[("invitation.ics", ics, "text/calendar; method=PUBLISH; charset=utf-8")],
    )


def build_agenda_approved(notification) -> Message | None:
    event = _event_of(notification)
    if event is None:
        return None
    return Message(
        subject=_("Agenda approved: %(event)s") % {"event": localized(event, "title")},
        body=_body("agenda_approved", _context(notification, event=event)),
    )


def build_minutes_circulated(notification) -> Message | None:
    minutes = (
        Minutes.objects.filter(pk=notification.params.get("minutes"))
        .select_related("event__country")
        .first()
    )
    if minutes is None:
        return None
    return Message(
        subject=_("Minutes for your comments: %(event)s")
        % {"event": localized(minutes.event, "title")},
        body=_body(
            "minutes_circulated", _context(notification, minutes=minutes, event=minutes.event)
        ),
    )


def _agreement_of(notification) -> Agreement | None:
    return (
        Agreement.objects.filter(pk=notification.params.get("agreement"))
        .select_related("event__country", "country", "organ", "committee")
        .first()
    )


def build_agreement_due(notification) -> Message | None:
    agreement = _agreement_of(notification)
    if agreement is None:
        return None
    return Message(
        subject=_("Agreement %(code)s is due on %(date)s")
        % {"code": agreement.code, "date": agreement.due},
        body=_body(
            "agreement_due", _context(notification, agreement=agreement, event=agreement.event)
        ),
    )


def build_agreement_overdue(notification) -> Message | None:
    agreement = _agreement_of(notification)
    if agreement is None:
        return None
    return Message(
        subject=_("Agreement %(code)s is overdue") % {"code": agreement.code},
        body=_body(
            "agreement_overdue", _context(notification, agreement=agreement, event=agreement.event)
        ),
    )


register(Kind(CONVOCATION, gettext_lazy("Convocation"), optional=False, build=build_convocation))
register(
    Kind(
        AGENDA_APPROVED, gettext_lazy("Agenda approved"), optional=True, build=build_agenda_approved
    )
)
register(
    Kind(
        MINUTES_CIRCULATED,
        gettext_lazy("Minutes circulated for comment"),
        optional=True,
        build=build_minutes_circulated,
    )
)
register(
    Kind(
        AGREEMENT_DUE,
        gettext_lazy("Agreement due in 14 days"),
        optional=True,
        build=build_agreement_due,
    )
)
register(
    Kind(
        AGREEMENT_OVERDUE,
        gettext_lazy("Agreement overdue"),
        optional=True,
        build=build_agreement_overdue,
    )
)
