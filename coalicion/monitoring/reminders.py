"""Reminders to those who have not reported (issue 4, SPEC §3): for every
open period whose end has passed, each person who answers for a report
still not submitted — a country's focal points for its parts of the shared
activities — gets the list, and the Secretariat a summary naming the
country that is late."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalicion.core.i18n import localized
from coalicion.membership.models import Organ, Person
from coalicion.monitoring.models import ReportingPeriod
from coalicion.monitoring.selectors import ExpectedReport, expected_reports
from coalicion.plans.parties import office_on, people_answering

REMINDER_CACHE_SECONDS = 2 * 24 * 3600


@dataclass
class Reminder:
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


def language_of(person: Person) -> str:
    """The language of a person's e-mails: Spanish unless their country is
    listed in the MONITORING_REMINDER_LANGUAGES setting (e.g. {"BZ": "en"})."""
    languages = getattr(settings, "MONITORING_REMINDER_LANGUAGES", {})
    code = person.country.code if person.country_id else None
    language = languages.get(code, settings.LANGUAGE_CODE)
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


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
                    email=email,
                    name=str(person),
                    language=language_of(person),
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


def _cache_key(reminder: Reminder, today: datetime.date) -> str:
    kind = "summary" if reminder.summary else "missing"
    return f"monitoring:reminder:{today.isoformat()}:{reminder.period.pk}:{kind}:{reminder.email}"


def _message(reminder: Reminder, base_url: str) -> EmailMessage:
    with translation.override(reminder.language):
        context = {
            "reminder": reminder,
            "period": reminder.period,
            "activities": [
                (item_label(item), localized(item.activity, "statement")) for item in reminder.items
            ],
            "link": base_url.rstrip("/") + reverse("monitoring:my_reports"),
            "completeness_link": base_url.rstrip("/") + reverse("monitoring:completeness"),
        }
        if reminder.summary:
            subject = _("Reports missing for %(period)s: summary") % {"period": reminder.period}
        else:
            subject = _("Reminder: your progress reports for %(period)s") % {
                "period": reminder.period
            }
        body = render_to_string("monitoring/email/reminder.txt", context)
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    return EmailMessage(
        subject=prefix + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.email],
    )


def send_report_reminders(
    *,
    period: ReportingPeriod | None = None,
    dry_run: bool = False,
    today: datetime.date | None = None,
    base_url: str = "",
) -> ReminderRun:
    """E-mail each responsible person the activities they have not reported
    for every open period whose end has passed (or ``period`` only), and the
    Secretariat a summary. Each e-mail goes at most once a day (remembered in
    the cache, which is the database in production); ``dry_run`` sends
    nothing and remembers nothing."""
    today = today or timezone.localdate()
    run = plan_reminders(today=today, period=period)
    run.dry_run = dry_run
    base_url = base_url or getattr(settings, "SITE_URL", "")
    keys = [_cache_key(reminder, today) for reminder in run.reminders]
    remembered = cache.get_many(keys)
    to_send = []
    for key, reminder in zip(keys, run.reminders, strict=True):
        reminder.already_sent = key in remembered
        if not reminder.already_sent and not dry_run:
            to_send.append((key, reminder))
    if to_send:
        with get_connection() as connection:
            connection.send_messages([_message(reminder, base_url) for _key, reminder in to_send])
        cache.set_many({key: True for key, _reminder in to_send}, REMINDER_CACHE_SECONDS)
    return run
