"""Reporting completeness and timeliness (what DHIS2 calls "reporting rate"
and "reporting rate on time").

Definitions, used by the page, the reminders and anything that reports them:

- A report is *due* for each report a period expects
  (`selectors.expected_reports`): one per activity that is not cancelled
  (nor its operational objective), and for a shared activity one per
  country that is a member at the end of the period — its part (SPEC §2).
  A report of an activity as a whole is owed by each of its responsible
  parties; for the breakdown by country it counts for every country named
  (as a country or through its national body). A part is owed by its
  country and counts for it. An activity without responsible parties is
  still due, under "no responsible party stated".
- *Submitted*: the report's status is submitted, validated or returned (a
  returned report was submitted once; correcting it does not undo that).
- *Validated*: the report's status is validated.
- *On time*: submitted, and first submitted on or before the period's due
  date. The first submission is the earliest `submitted_at` in the report's
  history (django-simple-history keeps every version), because `submitted_at`
  on the report itself moves when a returned report is submitted again. The
  day is taken in the site's time zone.
- *Late*: the due date has passed and the report is not submitted yet.

All rates are shares of the reports due, as percentages.

:func:`tally` is the pure rule; :func:`completeness` fetches the rows with a
fixed number of queries and calls it.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from coalicion.core.i18n import localized
from coalicion.monitoring.models import ProgressReport, ReportingPeriod, ReportStatus
from coalicion.monitoring.selectors import ExpectedReport, expected_reports
from coalicion.plans.models import OperatingPlan
from coalicion.plans.parties import COUNTRY_KINDS, PartyKind, describe_localized

SUBMITTED_STATUSES = frozenset(
    {ReportStatus.SUBMITTED, ReportStatus.VALIDATED, ReportStatus.RETURNED}
)
NO_PARTY = ("", None)  # party key of activities without responsible parties
PART = "part"  # kind key of countries' parts of shared activities
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
    late: int = 0

    def add(self, *, submitted: bool, validated: bool, on_time: bool, late: bool) -> None:
        self.due += 1
        self.submitted += submitted
        self.validated += validated
        self.on_time += on_time
        self.late += late

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
class DueRow:
    """One report due, as the rule reads it."""

    period_id: int
    due: datetime.date
    parties: tuple[PartyKey, ...]  # who owes it
    countries: tuple[int, ...]  # the countries it counts for
    kind_keys: tuple[str, ...]  # the kinds of party it counts for
    status: str | None = None  # None: no report yet
    first_submitted_on: datetime.date | None = None


@dataclass
class Tally:
    total: Counts = field(default_factory=Counts)
    by_period: dict[int, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_period_country: dict[tuple[int, int], Counts] = field(
        default_factory=lambda: defaultdict(Counts)
    )
    by_party: dict[PartyKey, Counts] = field(default_factory=lambda: defaultdict(Counts))
    by_kind: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))


def tally(*, rows: Iterable[DueRow], today: datetime.date) -> Tally:
    """Due / submitted / validated / on time / late, per period, period ×
    country, responsible party and kind of party."""
    result = Tally()
    for row in rows:
        submitted = row.status in SUBMITTED_STATUSES
        outcome = {
            "submitted": submitted,
            "validated": row.status == ReportStatus.VALIDATED,
            "on_time": submitted
            and row.first_submitted_on is not None
            and row.first_submitted_on <= row.due,
            "late": not submitted and row.due < today,
        }
        result.total.add(**outcome)
        result.by_period[row.period_id].add(**outcome)
        for party in set(row.parties) or {NO_PARTY}:
            result.by_party[party].add(**outcome)
        for kind in set(row.kind_keys) or {NO_PARTY[0]}:
            result.by_kind[kind].add(**outcome)
        for country_id in set(row.countries):
            result.by_period_country[(row.period_id, country_id)].add(**outcome)
    return result


def party_of(responsible) -> PartyKey:
    return (
        responsible.kind,
        responsible.organ_id or responsible.country_id or responsible.committee_id,
    )


def due_row(expected: ExpectedReport, first_submitted: dict) -> DueRow:
    """The rule's view of an expected report."""
    report = expected.report
    first = first_submitted.get(report.pk) if report is not None else None
    if expected.country is not None:
        parties: tuple[PartyKey, ...] = ((PartyKind.COUNTRY.value, expected.country.pk),)
        countries: tuple[int, ...] = (expected.country.pk,)
        kinds: tuple[str, ...] = (PART,)
    else:
        responsibles = list(expected.activity.responsibles.all())
        parties = tuple(party_of(r) for r in responsibles)
        countries = tuple(r.country_id for r in responsibles if r.kind in COUNTRY_KINDS)
        kinds = tuple(r.kind for r in responsibles)
    return DueRow(
        period_id=expected.period.pk,
        due=expected.period.due,
        parties=parties,
        countries=countries,
        kind_keys=kinds,
        status=report.status if report is not None else None,
        first_submitted_on=timezone.localdate(first) if first is not None else None,
    )


# --- The selector ----------------------------------------------------------------


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
    late: list[ExpectedReport]  # the reports past due and not submitted, oldest first


def first_submissions(period_ids) -> dict[int, datetime.datetime]:
    """When each report of the periods was first submitted (its history)."""
    return dict(
        ProgressReport.history.filter(period_id__in=list(period_ids), submitted_at__isnull=False)
        .values("id")
        .annotate(first=Min("submitted_at"))
        .values_list("id", "first")
    )


def completeness(
    *, operating_plan: OperatingPlan, period: ReportingPeriod | None = None
) -> Completeness:
    """Completeness and timeliness of the POA's reports (of one period if
    given), in a fixed number of queries whatever the size of the POA."""
    periods = [period] if period is not None else list(operating_plan.periods.order_by("number"))
    expected = expected_reports(periods=periods)
    first = first_submissions(p.pk for p in periods)
    today = timezone.localdate()
    rows = [due_row(item, first) for item in expected]
    result = tally(rows=rows, today=today)

    countries, named = {}, {}
    for item in expected:
        if item.country is not None:
            countries[item.country.pk] = item.country
            named.setdefault((PartyKind.COUNTRY.value, item.country.pk), item.country)
        for responsible in item.activity.responsibles.all():
            named.setdefault(party_of(responsible), responsible)
            if responsible.kind in COUNTRY_KINDS:
                countries[responsible.country_id] = responsible.country
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
        party = named[key]
        if hasattr(party, "describe"):
            return describe_localized(party)
        return localized(party, "name")

    kind_labels = {**dict(PartyKind.choices), PART: _("Countries' parts of shared activities")}
    kind_order = [PART, *dict(PartyKind.choices), NO_PARTY[0]]
    late = [
        item for item in expected if not item.report or item.report.status not in SUBMITTED_STATUSES
    ]
    late = sorted(
        (item for item in late if item.period.due < today),
        key=lambda item: (item.period.due, item.activity.code, item.country and item.country.code),
    )
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
        late=late,
    )
