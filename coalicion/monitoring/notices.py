"""Reminders to those who have not reported (issue 4, SPEC §3): for every
open period whose end has passed, each person who answers for a report
still not submitted — a country's focal points for its parts of the shared
activities — gets the list, and the Secretariat a summary naming the
country that is late."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalicion.core.i18n import localized
from coalicion.membership.models import Country, Organ, Person
from coalicion.monitoring.models import ReportingPeriod
from coalicion.monitoring.selectors import ExpectedReport, expected_reports
from coalicion.notifications.actions import notify
from coalicion.notifications.kinds import Kind, Message, register, register_daily
from coalicion.notifications.models import Notification
from coalicion.plans.models import Activity
from coalicion.plans.parties import office_on, people_answering


@dataclass
class Reminder:
    person: Person
    email: str
    name: str
    language: str
    period: ReportingPeriod
    items: list[ExpectedReport]
    summary: bool = False  # the Secretariat's summary of the whole period
    already_sent: bool = False


@dataclass
class ReminderRun:
    periods: list[ReportingPeriod]
    reminders: list[Reminder]
    dry_run: bool
    without_address: list[str] = field(default_factory=list)

    @property
    def sent(self) -> list[Reminder]:
        return [r for r in self.reminders if not r.already_sent and not self.dry_run]


def periods_to_remind(*, today: datetime.date, period: ReportingPeriod | None = None):
    periods = ReportingPeriod.objects.filter(closed_at__isnull=True, end__lt=today)
    if period is not None:
        periods = periods.filter(pk=period.pk)
    return list(periods.select_related("operating_plan").order_by("end", "operating_plan__year"))


def _recipients_of(item: ExpectedReport, office) -> list[Person]:
    """Who answers for an expected report: its country's focal points for a
    part of a shared activity, else those who answer for the activity's
    responsible parties (`coalicion.plans.parties`)."""
    if item.country is not None:
        return office.people_of(item.country.pk)
    return people_answering(item.activity.responsibles.all(), office=office)


def _address_of(person: Person) -> str:
    if person.email:
        return person.email
    user = person.user if person.user_id else None
    return user.email if user is not None and user.is_active else ""


def plan_reminders(*, today: datetime.date, period: ReportingPeriod | None = None) -> ReminderRun:
    """Who would be reminded of what (nothing is sent): per open period whose
    end has passed, each responsible person with the reports still not
    submitted, and a summary for the Secretariat."""
    periods = periods_to_remind(today=today, period=period)
    run = ReminderRun(periods=periods, reminders=[], dry_run=True)
    if not periods:
        return run
    office = office_on(today)
    secretariat = office.people_of(office.holders.get(Organ.Code.SECRETARIAT))
    by_poa = defaultdict(list)
    for p in periods:
        by_poa[p.operating_plan_id].append(p)
    pending_by_period = defaultdict(list)
    for poa_periods in by_poa.values():
        for item in expected_reports(periods=poa_periods):
            if item.pending:
                pending_by_period[item.period.pk].append(item)
    for p in periods:
        pending = pending_by_period[p.pk]
        if not pending:
            continue
        per_person: dict[int, tuple[Person, list[ExpectedReport]]] = {}
        for item in pending:
            for person in _recipients_of(item, office):
                per_person.setdefault(person.pk, (person, []))[1].append(item)
        audiences = [(person, items, False) for person, items in per_person.values()]
        audiences += [(person, pending, True) for person in secretariat]
        for person, items, summary in audiences:
            email = _address_of(person)
            if not email:
                run.without_address.append(str(person))
                continue
            run.reminders.append(
                Reminder(
                    person=person,
                    email=email,
                    name=str(person),
                    language=person.preferred_language(),
                    period=p,
                    items=items,
                    summary=summary,
                )
            )
    return run


def item_label(item: ExpectedReport) -> str:
    """The activity's code, and the country whose part it is."""
    if item.country is None:
        return item.activity.code
    return _("%(code)s, part of %(country)s") % {
        "code": item.activity.code,
        "country": localized(item.country, "name"),
    }


REMINDER = "monitoring.report_reminder"
SUMMARY = "monitoring.report_summary"


def _key(reminder: Reminder, today: datetime.date) -> str:
    """One reminder a period and day per person (and one summary)."""
    return f"period:{reminder.period.pk}:{today.isoformat()}"


def send_report_reminders(
    *,
    period: ReportingPeriod | None = None,
    dry_run: bool = False,
    today: datetime.date | None = None,
) -> ReminderRun:
    """Queue, for every open period whose end has passed (or ``period``
    only), an e-mail to each responsible person listing the reports they
    have not submitted, and the Secretariat a summary; they are sent by the
    outbox (`coalicion.notifications`) once this commits. Each goes at most
    once a day; ``dry_run`` queues nothing."""
    today = today or timezone.localdate()
    run = plan_reminders(today=today, period=period)
    run.dry_run = dry_run
    for kind in (REMINDER, SUMMARY):
        mine = [r for r in run.reminders if (r.summary == (kind == SUMMARY))]
        keys = {_key(r, today) for r in mine}
        queued = set(
            Notification.objects.filter(kind=kind, key__in=keys).values_list("email", "key")
        )
        for reminder in mine:
            reminder.already_sent = (reminder.email, _key(reminder, today)) in queued
            if reminder.already_sent or dry_run:
                continue
            notify(
                kind=kind,
                recipients=[reminder.person],
                key=_key(reminder, today),
                params={
                    "period": reminder.period.pk,
                    "items": [
                        [item.activity.pk, item.country.pk if item.country else None]
                        for item in reminder.items
                    ],
                },
            )
    return run


def queue_daily(today: datetime.date) -> int:
    """The daily run (`manage.py send_notifications`)."""
    return len(send_report_reminders(today=today).sent)


register_daily("monitoring.reports", queue_daily)


# --- Writing the messages (when they are sent) -------------------------------------


def _build(notification, *, summary: bool) -> Message | None:
    period = (
        ReportingPeriod.objects.filter(pk=notification.params.get("period"))
        .select_related("operating_plan")
        .first()
    )
    if period is None:
        return None
    pairs = [tuple(pair) for pair in notification.params.get("items", [])]
    activities = {a.pk: a for a in Activity.objects.filter(pk__in=[a for a, _c in pairs])}
    countries = {c.pk: c for c in Country.objects.filter(pk__in=[c for _a, c in pairs if c])}
    items = [
        ExpectedReport(activity=activities[a], period=period, country=countries.get(c))
        for a, c in pairs
        if a in activities
    ]
    base = settings.SITE_URL.rstrip("/")
    context = {
        "reminder": {"name": str(notification.person or notification.email), "summary": summary},
        "period": period,
        "activities": [(item_label(item), localized(item.activity, "statement")) for item in items],
        "link": base + reverse("monitoring:my_reports"),
        "completeness_link": base + reverse("monitoring:completeness"),
    }
    if summary:
        subject = _("Reports missing for %(period)s: summary") % {"period": period}
    else:
        subject = _("Reminder: your progress reports for %(period)s") % {"period": period}
    return Message(subject=subject, body=render_to_string("monitoring/email/reminder.txt", context))


register(
    Kind(
        REMINDER,
        gettext_lazy("Reminder of the progress reports due"),
        build=lambda notification: _build(notification, summary=False),
    )
)
register(
    Kind(
        SUMMARY,
        gettext_lazy("Summary of the progress reports missing"),
        build=lambda notification: _build(notification, summary=True),
    )
)
