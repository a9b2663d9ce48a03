"""E-mail notifications of the meetings module, through an outbox.

Actions add one `Notification` row per recipient (convocation, cancellation,
agenda approved, minutes circulated); they are sent once the transaction
commits. The daily command `send_notifications` adds the reminders of
agreements due in 14 days and overdue, and sends whatever is still unsent
(a mail server that was down yesterday gets the messages today). A row's
`key` makes each notice unique: nothing is sent twice.

Convocations and cancellations always go; the other notices are optional
and each user may opt out of them (`NotificationSettings`).
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalicion.accounts.models import User
from coalicion.core.i18n import localized
from coalicion.meetings.ics import CalendarEvent, build_calendar
from coalicion.meetings.models import Agreement, Event, Minutes, Notification, NotificationSettings
from coalicion.membership.models import OrganTerm

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
CLAIM_EXPIRES = datetime.timedelta(hours=1)
DUE_SOON_DAYS = 14

PREFERENCE_OF = {
    Notification.Kind.AGENDA_APPROVED: "agenda_approved",
    Notification.Kind.MINUTES_CIRCULATED: "minutes_circulated",
    Notification.Kind.AGREEMENT_DUE: "agreement_due",
    Notification.Kind.AGREEMENT_OVERDUE: "agreement_overdue",
}


# --- Recipients ------------------------------------------------------------------


def _active(users):
    return users.filter(is_active=True).exclude(email="")


def members_today():
    """Everyone representing a member country today (focal points, and so
    the people of the countries holding the Presidency and the Secretariat)."""
    today = timezone.localdate()
    return _active(
        User.objects.filter(Q(person__representations__in=_rep_in_force(today)))
    ).distinct()


def _rep_in_force(day):
    from coalicion.membership.models import Representation

    return Representation.objects.in_force(day)


def observers_today():
    from coalicion.membership.models import ObserverMembership

    today = timezone.localdate()
    return _active(
        User.objects.filter(
            person__observer_memberships__in=ObserverMembership.objects.in_force(today)
        )
    ).distinct()


def event_recipients(event: Event) -> list[User]:
    users = {u.pk: u for u in members_today()}
    if event.open_to_observers:
        users.update({u.pk: u for u in observers_today()})
    return list(users.values())


def responsible_users(agreement: Agreement) -> list[User]:
    """Who answers for an agreement: the representatives of the responsible
    country, of the country holding the responsible organ today, or the
    members (and member countries' representatives) of the committee."""
    today = timezone.localdate()
    countries = []
    users = {}
    if agreement.country_id:
        countries = [agreement.country_id]
    elif agreement.organ_id:
        countries = list(
            OrganTerm.objects.in_force(today)
            .filter(organ_id=agreement.organ_id)
            .values_list("country_id", flat=True)
        )
    elif agreement.committee_id:
        committee = agreement.committee
        countries = list(committee.countries.values_list("pk", flat=True))
        users.update({u.pk: u for u in _active(User.objects.filter(person__committees=committee))})
    reps = _rep_in_force(today).filter(country_id__in=countries)
    users.update(
        {u.pk: u for u in _active(User.objects.filter(person__representations__in=reps)).distinct()}
    )
    return list(users.values())


def secretariat_users() -> list[User]:
    today = timezone.localdate()
    countries = (
        OrganTerm.objects.in_force(today)
        .filter(organ__code="secretariat")
        .values_list("country_id", flat=True)
    )
    reps = _rep_in_force(today).filter(country_id__in=list(countries))
    return list(_active(User.objects.filter(person__representations__in=reps)).distinct())


# --- Queueing -------------------------------------------------------------------------


def _opted_out(kind: str) -> set[int]:
    field = PREFERENCE_OF.get(kind)
    if field is None:
        return set()
    return set(
        NotificationSettings.objects.filter(**{field: False}).values_list("user_id", flat=True)
    )


def queue(
    *, kind: str, users, key: str, event=None, minutes=None, agreement=None
) -> list[Notification]:
    """One row per user (unless opted out of an optional notice or already
    queued with that key); sent when the transaction commits."""
    out = _opted_out(kind)
    rows = [
        Notification(
            user=user, kind=kind, key=key, event=event, minutes=minutes, agreement=agreement
        )
        for user in users
        if user.pk not in out
    ]
    existing = set(
        Notification.objects.filter(
            kind=kind, key=key, user__in=[r.user for r in rows]
        ).values_list("user_id", flat=True)
    )
    rows = [r for r in rows if r.user.pk not in existing]
    created = Notification.objects.bulk_create(rows)
    ids = [n.pk for n in created]
    if ids:
        transaction.on_commit(lambda: send_pending(ids=ids))
    return created


def queue_convocation(*, event: Event, update: bool = False) -> None:
    key = f"event:{event.pk}:v{event.version}" if update else f"event:{event.pk}"
    queue(kind=Notification.Kind.CONVOCATION, users=event_recipients(event), key=key, event=event)


def queue_cancellation(*, event: Event) -> None:
    queue(
        kind=Notification.Kind.CONVOCATION,
        users=event_recipients(event),
        key=f"event:{event.pk}:cancelled",
        event=event,
    )


def queue_agenda_approved(*, event: Event) -> None:
    queue(
        kind=Notification.Kind.AGENDA_APPROVED,
        users=event_recipients(event),
        key=f"event:{event.pk}",
        event=event,
    )


def queue_minutes_circulated(*, minutes: Minutes) -> None:
    queue(
        kind=Notification.Kind.MINUTES_CIRCULATED,
        users=list(members_today()),
        key=f"minutes:{minutes.pk}",
        minutes=minutes,
        event=minutes.event,
    )


def queue_agreement_reminders(*, today: datetime.date | None = None) -> int:
    """Agreements due in 14 days (or fewer, if created late) and overdue ones:
    one notice per agreement and due date."""
    today = today or timezone.localdate()
    count = 0
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    open_agreements = Agreement.objects.filter(
        status__in=Agreement.OPEN, due__isnull=False
    ).select_related("event", "country", "organ", "committee")
    for agreement in open_agreements.filter(due__gte=today, due__lte=soon):
        count += len(
            queue(
                kind=Notification.Kind.AGREEMENT_DUE,
                users=responsible_users(agreement),
                key=f"agreement:{agreement.pk}:{agreement.due.isoformat()}",
                agreement=agreement,
                event=agreement.event,
            )
        )
    secretariat = secretariat_users()
    for agreement in open_agreements.filter(due__lt=today):
        users = {u.pk: u for u in responsible_users(agreement) + secretariat}
        count += len(
            queue(
                kind=Notification.Kind.AGREEMENT_OVERDUE,
                users=users.values(),
                key=f"agreement:{agreement.pk}:{agreement.due.isoformat()}",
                agreement=agreement,
                event=agreement.event,
            )
        )
    return count


# --- Sending --------------------------------------------------------------------------


def language_of(user: User) -> str:
    """Spanish, unless the user's country reads English (setting
    MONITORING_REMINDER_LANGUAGES, e.g. {"BZ": "en"})."""
    languages = getattr(settings, "MONITORING_REMINDER_LANGUAGES", {})
    person = getattr(user, "person", None)
    country = getattr(person, "country", None) if person is not None else None
    return (
        languages.get(country.code, settings.LANGUAGE_CODE) if country else settings.LANGUAGE_CODE
    )


def calendar_event(event: Event) -> CalendarEvent:
    base = settings.SITE_URL.rstrip("/")
    host = base.split("://", 1)[-1].split("/", 1)[0] or "coalicion"
    location = event.place
    if event.is_virtual:
        location = ", ".join(p for p in (location, event.virtual_url) if p)
    return CalendarEvent(
        uid=f"event-{event.pk}@{host}",
        start=event.start,
        end=event.end,
        summary=localized(event, "title"),
        description=event.description,
        location=location,
        url=base + event.get_absolute_url(),
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        sequence=event.version,
        last_modified=None,
        organizer_name=event.organiser,
    )


SUBJECTS = {
    Notification.Kind.CONVOCATION: lambda n: (
        (_("Cancelled: %(event)s") if n.event.is_cancelled else _("Convocation: %(event)s"))
        % {"event": localized(n.event, "title")}
    ),
    Notification.Kind.AGENDA_APPROVED: lambda n: (
        _("Agenda approved: %(event)s") % {"event": localized(n.event, "title")}
    ),
    Notification.Kind.MINUTES_CIRCULATED: lambda n: (
        _("Minutes for your comments: %(event)s") % {"event": localized(n.event, "title")}
    ),
    Notification.Kind.AGREEMENT_DUE: lambda n: (
        _("Agreement %(code)s is due on %(date)s")
        % {"code": n.agreement.code, "date": n.agreement.due}
    ),
    Notification.Kind.AGREEMENT_OVERDUE: lambda n: (
        _("Agreement %(code)s is overdue") % {"code": n.agreement.code}
    ),
}


def message_for(notification: Notification) -> EmailMessage:
    base = settings.SITE_URL.rstrip("/")
    language = language_of(notification.user)
    with translation.override(language):
        # A title with a line break would make the header invalid.
        subject = " ".join(str(SUBJECTS[notification.kind](notification)).split())
        context = {
            "notification": notification,
            "event": notification.event,
            "minutes": notification.minutes,
            "agreement": notification.agreement,
            "base_url": base,
            "settings_link": base + reverse("meetings:my_calendar"),
        }
        if notification.event is not None:
            context["link"] = base + notification.event.get_absolute_url()
        if notification.minutes is not None:
            context["link"] = base + notification.minutes.get_absolute_url()
        if notification.agreement is not None:
            context["link"] = base + notification.agreement.get_absolute_url()
        body = render_to_string(f"meetings/email/{notification.kind}.txt", context)
        message = EmailMessage(
            subject=getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[notification.user.email],
        )
        if notification.kind == Notification.Kind.CONVOCATION:
            # PUBLISH, not REQUEST: the Coalition asks for no reply by calendar
            # (attendance is the Secretariat's register), and a cancellation is
            # the same event again with STATUS:CANCELLED and a higher SEQUENCE.
            ics = build_calendar(
                [calendar_event(notification.event)], name=_("Coalition"), method="PUBLISH"
            )
            message.attach("invitation.ics", ics, "text/calendar; method=PUBLISH; charset=utf-8")
    return message


def _claim(notification: Notification, now) -> bool:
    """Take the row for this sender; False if another sender has it."""
    return bool(
        Notification.objects.filter(pk=notification.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES))
        .update(claimed_at=now)
    )


def send_pending(*, ids=None, limit: int = 500) -> tuple[int, int]:
    """Send unsent notifications (those of `ids`, or all); returns (sent, failed)."""
    pending = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    pending = pending.select_related(
        "user__person__country", "event__country", "minutes__event", "agreement__event"
    ).order_by("pk")[:limit]
    sent = failed = 0
    for notification in pending:
        if not _claim(notification, timezone.now()):
            continue
        try:
            message_for(notification).send()
        except Exception as error:  # a mail failure must not stop the others
            failed += 1
            Notification.objects.filter(pk=notification.pk).update(
                attempts=F("attempts") + 1, last_error=str(error)[:300], claimed_at=None
            )
            logger.warning("Notification %s not sent: %s", notification.pk, error)
        else:
            sent += 1
            Notification.objects.filter(pk=notification.pk).update(
                attempts=F("attempts") + 1, sent_at=timezone.now(), last_error=""
            )
    return sent, failed
