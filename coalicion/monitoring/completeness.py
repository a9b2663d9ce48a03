"""Reporting completeness and timeliness, and reminders to those who have
not reported (issue 4; what DHIS2 calls "reporting rate" and "reporting rate
on time").

Definitions, used by the page, the reminders and anything that reports them:

- A report is *due* for each (activity, period) of a POA, for every activity
  that is not cancelled (nor its operational objective). It is owed by each
  of the activity's responsible parties; for the breakdown by country an
  activity counts for every country responsible for it (kind "country" or
  "national body of a country"). An activity without responsible parties is
  still due, under "no responsible party stated".
- *Submitted*: the report's status is submitted, validated or returned (a
  returned report was submitted once; correcting it does not undo that).
- *Validated*: the report's status is validated.
- *On time*: submitted, and first submitted on or before the period's due
  date. The first submission is the earliest `submitted_at` in the report's
  history (django-simple-history keeps every version), because `submitted_at`
  on the report itself moves when a returned report is submitted again. The
  day is taken in the site's time zone.

All rates are shares of the reports due, as percentages.

:func:`tally` is the pure rule; :func:`completeness` fetches the rows with a
fixed number of queries and calls it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage, get_connection
from django.db.models import Min, Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalicion.core.i18n import localized
from coalicion.membership.models import Organ, OrganTerm, Person, Representation
from coalicion.monitoring.models import ProgressReport, ReportingPeriod, ReportStatus
from coalicion.plans.models import Activity, OperatingPlan, Responsible

SUBMITTED_STATUSES = frozenset(
    {ReportStatus.SUBMITTED, ReportStatus.VALIDATED, ReportStatus.RETURNED}
)
PENDING_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
COUNTRY_KINDS = frozenset({Responsible.Kind.COUNTRY, Responsible.Kind.NATIONAL_BODY})
NO_PARTY = ("", None)  # party key of activities without responsible parties
HUNDRED = Decimal(100)

# (kind, id of the organ, country or committee, or None)
PartyKey = tuple[str, int | None]


# --- The rule -------------------------------------------------------------------


@dataclass
class Counts:
    due: int = 0
    submitted: int = 0
    validated: int = 0
    on_time: int = 0

    def add(self, *, submitted: bool, validated: bool, on_time: bool) -> None:
        self.due += 1
        self.submitted += submitted
        self.validated += validated
        self.on_time += on_time

    def _rate(self, count: int) -> Decimal | None:
        return None if self.due == 0 else Decimal(count) * HUNDRED / Decimal(self.due)

    @property
    def submitted_rate(self) -> Decimal | None:
        return self._rate(self.submitted)

    @property
    def validated_rate(self) -> Decimal | None:
        return self._rate(self.validated)

    @property
    def on_time_rate(self) -> Decimal | None:
        return self._rate(self.on_time)


@dataclass(frozen=True)
class PeriodRow:
    id: int
    due: datetime.date


@dataclass(frozen=True)
class ActivityRow:
    id: int
    parties: tuple[PartyKey, ...]


@dataclass(frozen=True)
class ReportRow:
    status: str
    first_submitted_on: datetime.date | None


@dataclass
class Tally:
    total: Counts = field(default_factory=Counts)
    by_period: dict[int, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_period_country: dict[tuple[int, int], Counts] = field(
        default_factory=lambda: defaultdict(Counts)
    )
    by_party: dict[PartyKey, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))


def tally(
    *,
    periods: Iterable[PeriodRow],
    activities: Iterable[ActivityRow],
    reports: Mapping[tuple[int, int], ReportRow],
) -> Tally:
    """Due / submitted / validated / on time, per period, period × country,
    responsible party and kind of party. ``reports`` is keyed by
    (activity id, period id)."""
    result = Tally()
    activities = list(activities)
    for period in periods:
        for activity in activities:
            report = reports.get((activity.id, period.id))
            submitted = report is not None and report.status in SUBMITTED_STATUSES
            outcome = {
                "submitted": submitted,
                "validated": report is not None and report.status == ReportStatus.VALIDATED,
                "on_time": submitted
                and report.first_submitted_on is not None
                and report.first_submitted_on <= period.due,
            }
            result.total.add(**outcome)
            result.by_period[period.id].add(**outcome)
            parties = set(activity.parties) or {NO_PARTY}
            for party in parties:
                result.by_party[party].add(**outcome)
            for kind in {kind for kind, _ref in parties}:
                result.by_kind[kind].add(**outcome)
            for country_id in {ref for kind, ref in parties if kind in COUNTRY_KINDS}:
                result.by_period_country[(period.id, country_id)].add(**outcome)
    return result


# --- The selector ----------------------------------------------------------------


def party_of(responsible: Responsible) -> PartyKey:
    return (
        responsible.kind,
        responsible.organ_id or responsible.country_id or responsible.committee_id,
    )


def _due_activities(operating_plan: OperatingPlan):
    return Activity.objects.filter(
        objective__operating_plan=operating_plan, cancelled=False, objective__cancelled=False
    )


@dataclass
class Line:
    """A row of the page: a label and its counts."""

    label: str
    counts: Counts
    period: ReportingPeriod | None = None


@dataclass
class Completeness:
    operating_plan: OperatingPlan
    periods: list[ReportingPeriod]
    total: Counts
    by_period: list[Line]
    by_period_country: list[Line]
    by_party: list[Line]
    by_kind: list[Line]


def completeness(
    *, operating_plan: OperatingPlan, period: ReportingPeriod | None = None
) -> Completeness:
    """Completeness and timeliness of the POA's reports (of one period if
    given), in 5 queries whatever the size of the POA."""
    periods = [period] if period is not None else list(operating_plan.periods.order_by("number"))
    activities = list(_due_activities(operating_plan).only("id"))
    responsibles = list(
        Responsible.objects.filter(activity__in=[a.pk for a in activities])
        .select_related("organ", "country", "committee")
        .prefetch_related("country__national_bodies")
    )
    period_ids = [p.pk for p in periods]
    current = ProgressReport.objects.filter(
        period_id__in=period_ids, activity_id__in=[a.pk for a in activities]
    ).values_list("id", "activity_id", "period_id", "status")
    first_submitted = dict(
        ProgressReport.history.filter(period_id__in=period_ids, submitted_at__isnull=False)
        .values("id")
        .annotate(first=Min("submitted_at"))
        .values_list("id", "first")
    )

    parties: dict[int, list[PartyKey]] = defaultdict(list)
    named: dict[PartyKey, Responsible] = {}
    for responsible in responsibles:
        key = party_of(responsible)
        parties[responsible.activity_id].append(key)
        named.setdefault(key, responsible)
    reports = {
        (activity_id, period_id): ReportRow(
            status=status,
            first_submitted_on=(
                timezone.localdate(first_submitted[pk]) if pk in first_submitted else None
            ),
        )
        for pk, activity_id, period_id, status in current
    }
    result = tally(
        periods=[PeriodRow(id=p.pk, due=p.due) for p in periods],
        activities=[ActivityRow(id=a.pk, parties=tuple(parties[a.pk])) for a in activities],
        reports=reports,
    )

    countries = {r.country_id: r.country for r in responsibles if r.kind in COUNTRY_KINDS}
    by_period_country = []
    for p in periods:
        lines = [
            Line(label=localized(countries[country_id], "name"), counts=counts, period=p)
            for (period_id, country_id), counts in result.by_period_country.items()
            if period_id == p.pk
        ]
        by_period_country.extend(sorted(lines, key=lambda line: line.label))

    def party_label(key: PartyKey) -> str:
        if key == NO_PARTY:
            return _("No responsible party stated")
        return named[key].describe(localize=localized)

    kind_labels = dict(Responsible.Kind.choices)
    kind_order = [*kind_labels, NO_PARTY[0]]
    return Completeness(
        operating_plan=operating_plan,
        periods=periods,
        total=result.total,
        by_period=[Line(label=str(p), counts=result.by_period[p.pk], period=p) for p in periods],
        by_period_country=by_period_country,
        by_party=sorted(
            (
                Line(label=party_label(key), counts=counts)
                for key, counts in result.by_party.items()
            ),
            key=lambda line: line.label,
        ),
        by_kind=[
            Line(
                label=str(kind_labels.get(kind, _("No responsible party stated"))),
                counts=result.by_kind[kind],
            )
            for kind in kind_order
            if kind in result.by_kind
        ],
    )


# --- Activities of a period and their reports ---------------------------------------


@dataclass
class ActivityReport:
    activity: Activity
    report: ProgressReport | None

    @property
    def pending(self) -> bool:
        """No report yet, or one still to (re)submit."""
        return self.report is None or self.report.status in PENDING_STATUSES


def period_activities(*, period: ReportingPeriod) -> list[ActivityReport]:
    """The activities that owe a report for ``period`` (not cancelled), with
    their responsible parties (committee members and countries included, as
    :func:`coalicion.monitoring.rules.responsible_for` needs them) and their
    report for the period, if any. 5 queries."""
    responsibles = Responsible.objects.select_related(
        "organ", "country", "committee"
    ).prefetch_related("committee__members", "committee__countries")
    activities = list(
        _due_activities(period.operating_plan_id)
        .select_related("objective")
        .prefetch_related(Prefetch("responsibles", queryset=responsibles))
        .order_by("objective__order", "order")
    )
    reports = {
        report.activity_id: report
        for report in ProgressReport.objects.filter(
            period=period, activity_id__in=[a.pk for a in activities]
        )
    }
    return [ActivityReport(activity=a, report=reports.get(a.pk)) for a in activities]


# --- Reminders -------------------------------------------------------------------------

REMINDER_CACHE_SECONDS = 2 * 24 * 3600


@dataclass
class Reminder:
    email: str
    name: str
    language: str
    period: ReportingPeriod
    activities: list[Activity]
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


def _people_in_office(today: datetime.date):
    """Focal points by country, and the country holding each organ, today."""
    by_country: dict[int, list[Person]] = defaultdict(list)
    for representation in (
        Representation.objects.in_force(today)
        .select_related("person__user", "person__country")
        .order_by("person__family_name", "person__given_name")
    ):
        if representation.person not in by_country[representation.country_id]:
            by_country[representation.country_id].append(representation.person)
    holders = dict(OrganTerm.objects.in_force(today).values_list("organ__code", "country_id"))
    return by_country, holders


def _recipients_of(activity: Activity, by_country, holders) -> list[Person]:
    """Who is reminded about an activity: the focal points of a responsible
    country (or of the country of a responsible national body); the
    representatives of the country holding a responsible organ; the members
    of a responsible committee and the focal points of its countries; for the
    whole Coalition or all national bodies, the Presidency (as in
    `coalicion.monitoring.rules`)."""
    people: list[Person] = []
    for responsible in activity.responsibles.all():
        kind = responsible.kind
        if kind in COUNTRY_KINDS:
            people += by_country.get(responsible.country_id, [])
        elif kind == Responsible.Kind.ORGAN:
            people += by_country.get(holders.get(responsible.organ.code), [])
        elif kind == Responsible.Kind.COMMITTEE:
            people += list(responsible.committee.members.all())
            for country in responsible.committee.countries.all():
                people += by_country.get(country.pk, [])
        else:
            people += by_country.get(holders.get(Organ.Code.PRESIDENCY), [])
    return people


def _address_of(person: Person) -> str:
    if person.email:
        return person.email
    user = person.user if person.user_id else None
    return user.email if user is not None and user.is_active else ""


def plan_reminders(*, today: datetime.date, period: ReportingPeriod | None = None) -> ReminderRun:
    """Who would be reminded of what (nothing is sent): per open period whose
    end has passed, each responsible person with the activities still
    without a submitted report, and a summary for the Secretariat."""
    periods = periods_to_remind(today=today, period=period)
    run = ReminderRun(periods=periods, reminders=[], dry_run=True)
    if not periods:
        return run
    by_country, holders = _people_in_office(today)
    secretariat = by_country.get(holders.get(Organ.Code.SECRETARIAT), [])
    for p in periods:
        pending = [item.activity for item in period_activities(period=p) if item.pending]
        if not pending:
            continue
        per_person: dict[int, tuple[Person, list[Activity]]] = {}
        for activity in pending:
            for person in _recipients_of(activity, by_country, holders):
                per_person.setdefault(person.pk, (person, []))
                if activity not in per_person[person.pk][1]:
                    per_person[person.pk][1].append(activity)
        audiences = [(person, activities, False) for person, activities in per_person.values()]
        audiences += [(person, pending, True) for person in secretariat]
        for person, activities, summary in audiences:
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
                    activities=activities,
                    summary=summary,
                )
            )
    return run


def _cache_key(reminder: Reminder, today: datetime.date) -> str:
    kind = "summary" if reminder.summary else "missing"
    return f"monitoring:reminder:{today.isoformat()}:{reminder.period.pk}:{kind}:{reminder.email}"


def _message(reminder: Reminder, base_url: str) -> EmailMessage:
    with translation.override(reminder.language):
        context = {
            "reminder": reminder,
            "period": reminder.period,
            "activities": [
                (activity.code, localized(activity, "statement"))
                for activity in reminder.activities
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
