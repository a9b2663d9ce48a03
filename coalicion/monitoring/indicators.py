"""Reads of the plan's indicators "as of" a date (SPEC §3, §7; the
indicator columns of the *Matriz de Monitoreo*).

The value of an indicator comes from its validated values (source "manual")
or from its registered computation (source "computed", SPEC §7).
Achievement, expected value and pace come only from
`coalicion.monitoring.formulas`; nothing here recomputes them.

How a manual value is read (the same rule everywhere):

- a value counts once it is validated, and only from the day it was
  validated; the value of a year is the one entered for that year;
- the current value is the value of the latest year (not after the year of
  the date asked about) that has one;
- for a country: that country's values when the indicator is disaggregated
  by country, the regional value otherwise; for the whole region, a
  disaggregated count indicator sums the values its countries gave for the
  year, other kinds take the regional value.
"""

import copy
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalicion.core import figures
from coalicion.core.dates import end_of
from coalicion.core.i18n import localized
from coalicion.membership.models import Country
from coalicion.membership.roles import roles_of
from coalicion.monitoring import computations
from coalicion.monitoring.formulas import (
    HUNDRED,
    ON_TRACK_SHARE,
    Pace,
    achievement,
    expected_value,
    pace,
)
from coalicion.monitoring.models import IndicatorValue, ReportStatus
from coalicion.plans.models import Indicator, MilestoneStage, Plan

PACE_LABELS = {
    Pace.AHEAD: _("Ahead"),
    Pace.ON_TRACK: _("On track"),
    Pace.BEHIND: _("Behind"),
}

# The state of an indicator in the matrix's "status" column.
INDICATOR_STATE_LABELS = {
    "unavailable": _("Not available yet"),
    "no_value": _("No validated value"),
    "achieved": _("Target reached"),
    "in_progress": _("In progress"),
}

ON_TRACK_PERCENT = (ON_TRACK_SHARE * HUNDRED).normalize()

# Fields of an indicator taken from its history when a past date is asked.
_PLAN_FIELDS = (
    "statement",
    "statement_en",
    "unit",
    "unit_en",
    "kind",
    "direction",
    "baseline_value",
    "baseline_year",
    "target_value",
    "target_year",
    "means_of_verification",
    "means_of_verification_en",
    "disaggregated_by_country",
    "source",
    "computation",
)


@dataclass
class YearValue:
    """The value of an indicator for one year, as known on the date asked."""

    year: int
    value: Decimal | None = None
    stage: MilestoneStage | None = None
    stage_name: str = ""

    @property
    def known(self) -> bool:
        return self.value is not None or self.stage is not None or bool(self.stage_name)


@dataclass
class IndicatorStatus:
    indicator: Indicator
    as_of: datetime.date
    current: Decimal | None = None
    current_year: int | None = None
    stage: MilestoneStage | None = None
    achievement: Decimal | None = None
    expected: Decimal | None = None
    pace: Pace | None = None
    source: str = Indicator.Source.MANUAL
    available: bool = True
    records: list = field(default_factory=list)
    figures: list = field(default_factory=list)  # computed: further figures (label, value)
    stage_name: str = ""  # milestone: the stage reached (computed ones name it)
    country: object = None
    years: list[YearValue] = field(default_factory=list)  # filled by indicator_rows

    @property
    def is_milestone(self) -> bool:
        return self.indicator.kind == Indicator.Kind.MILESTONE

    @property
    def has_value(self) -> bool:
        if self.is_milestone:
            return self.achievement is not None
        return self.current is not None

    @property
    def state(self) -> str:
        if not self.available:
            return "unavailable"
        if not self.has_value:
            return "no_value"
        if self.achievement is not None and self.achievement >= HUNDRED:
            return "achieved"
        return "in_progress"

    @property
    def state_label(self) -> str:
        return str(INDICATOR_STATE_LABELS[self.state])

    @property
    def pace_label(self) -> str:
        return str(PACE_LABELS[self.pace]) if self.pace else ""

    @property
    def responsible_label(self) -> str:
        if self.source == Indicator.Source.COMPUTED:
            return str(_("Computed from records"))
        if self.indicator.disaggregated_by_country:
            return str(_("Focal points of each country, validated by the Technical Secretariat"))
        return str(_("Technical Secretariat"))


# --- Reading validated values ------------------------------------------------


def validated_values(*, indicator_ids: Iterable[int], as_of: datetime.date) -> dict:
    """Validated values of the indicators known on `as_of`, by indicator id (one query)."""
    grouped: dict[int, list[IndicatorValue]] = defaultdict(list)
    rows = (
        IndicatorValue.objects.filter(
            indicator_id__in=list(indicator_ids),
            status=ReportStatus.VALIDATED,
            year__lte=as_of.year,
            reviewed_at__lt=end_of(as_of),
        )
        .select_related("stage", "country")
        .order_by("indicator_id", "year", "country__name")
    )
    for item in rows:
        grouped[item.indicator_id].append(item)
    return grouped


def _values_of(indicator: Indicator, values) -> list[IndicatorValue]:
    if isinstance(values, dict):
        return values.get(indicator.pk, [])
    return list(values)


def _manual_years(indicator: Indicator, values: list[IndicatorValue], country) -> dict:
    """{year: YearValue} by the rule in the module's docstring."""
    years: dict[int, YearValue] = {}
    country_id = getattr(country, "pk", country)
    if indicator.disaggregated_by_country and country_id is not None:
        chosen = [v for v in values if v.country_id == country_id]
    elif indicator.disaggregated_by_country and indicator.kind == Indicator.Kind.COUNT:
        sums: dict[int, Decimal] = defaultdict(Decimal)
        for item in values:
            if item.country_id is not None and item.value is not None:
                sums[item.year] += item.value
        return {year: YearValue(year=year, value=total) for year, total in sums.items()}
    else:
        chosen = [v for v in values if v.country_id is None]
    for item in chosen:
        years[item.year] = YearValue(
            year=item.year,
            value=item.value,
            stage=item.stage,
            stage_name=localized(item.stage, "name") if item.stage else "",
        )
    return years


def _pace_inputs(indicator: Indicator, plan: Plan | None):
    """(baseline, baseline_year, target, target_year) for the expected value.

    The baseline year is the indicator's, or the first year of the plan when
    the plan does not state it; a milestone indicator moves on its stage
    scale, from its baseline (0 when not stated) to its target (100 when not
    stated)."""
    baseline_year = indicator.baseline_year or (plan.period_start if plan else None)
    target_year = indicator.target_year or (plan.period_end if plan else None)
    target = indicator.target_value
    if indicator.kind == Indicator.Kind.MILESTONE and target is None:
        target = HUNDRED
    return indicator.baseline_value, baseline_year, target, target_year


def _plan_of(indicator: Indicator) -> Plan | None:
    try:
        return indicator.result.objective.axis.plan
    except AttributeError:
        return None


def _finish(status: IndicatorStatus, *, stage_percent: Decimal | None) -> IndicatorStatus:
    indicator = status.indicator
    status.achievement = achievement(
        kind=indicator.kind,
        direction=indicator.direction,
        baseline=indicator.baseline_value,
        target=indicator.target_value,
        current=status.current,
        stage_percent=stage_percent,
    )
    baseline, baseline_year, target, target_year = _pace_inputs(indicator, _plan_of(indicator))
    status.expected = expected_value(
        baseline=baseline,
        baseline_year=baseline_year,
        target=target,
        target_year=target_year,
        as_of=status.as_of,
    )
    current = stage_percent if indicator.kind == Indicator.Kind.MILESTONE else status.current
    status.pace = pace(
        baseline=baseline, expected=status.expected, current=current, direction=indicator.direction
    )
    return status


def indicator_status(
    *, indicator: Indicator, as_of: datetime.date, country=None, values=None
) -> IndicatorStatus:
    """The indicator as known on `as_of` (for a country, or the region).

    `values`: the indicator's validated values from `validated_values`
    (a list, or the dict by indicator id), to save the query."""
    status = IndicatorStatus(
        indicator=indicator, as_of=as_of, source=indicator.source, country=country
    )
    if indicator.source == Indicator.Source.COMPUTED:
        computed = computations.compute(
            indicator=indicator,
            as_of=as_of,
            country=country if indicator.disaggregated_by_country else None,
        )
        return _from_computed(status, computed)
    if values is None:
        values = validated_values(indicator_ids=[indicator.pk], as_of=as_of)
    years = _manual_years(indicator, _values_of(indicator, values), country)
    if years:
        latest = years[max(years)]
        status.current = latest.value
        status.current_year = latest.year
        status.stage = latest.stage
        status.stage_name = latest.stage_name
    stage_percent = status.stage.percent if status.stage else None
    return _finish(status, stage_percent=stage_percent)


def _from_computed(status: IndicatorStatus, computed) -> IndicatorStatus:
    if computed is None:
        status.available = False
        return status
    status.current = computed.value
    status.current_year = status.as_of.year
    status.records = list(computed.records)
    status.stage_name = computed.stage_name
    status.figures = list(computed.figures)
    return _finish(status, stage_percent=computed.stage_percent)


def _computed_row(indicator: Indicator, plan: Plan, as_of: datetime.date, country):
    """A computed indicator's status and yearly values from one reading of
    its records: the value at the end of each year of the plan up to `as_of`
    and on `as_of` itself (the last year's end when `as_of` falls in the plan)."""
    status = IndicatorStatus(
        indicator=indicator, as_of=as_of, source=indicator.source, country=country
    )
    years = plan_years(plan)
    known = [year for year in years if year <= as_of.year]
    dates = [_year_end(year, as_of) for year in known]
    if as_of not in dates:
        dates.append(as_of)
    with computations.values_only():  # the rows show no drill-down figures
        results = computations.compute_many(
            indicator=indicator,
            dates=dates,
            country=country if indicator.disaggregated_by_country else None,
            keep=False,  # indicator_rows keeps the rows
        )
    by_year = {
        year: YearValue(year=year, value=result.value, stage_name=result.stage_name)
        for year, result in zip(known, results, strict=False)
        if result is not None
    }
    # The rows' drill-down counts come from the indicator's own page.
    status = _from_computed(status, results[dates.index(as_of)])
    status.records = []
    status.years = [by_year.get(year, YearValue(year=year)) for year in years]
    return status


def _year_end(year: int, as_of: datetime.date) -> datetime.date:
    return min(datetime.date(year, 12, 31), as_of)


def _computed_years(
    indicator: Indicator, years: list[int], as_of: datetime.date, country
) -> dict[int, tuple[YearValue, Decimal | None]]:
    """The computed value at the end of each year up to `as_of` (one reading
    of the records when the computation offers `many`), with its stage percent."""
    known = [year for year in years if year <= as_of.year]
    results = computations.compute_many(
        indicator=indicator,
        dates=[_year_end(year, as_of) for year in known],
        country=country if indicator.disaggregated_by_country else None,
    )
    return {
        year: (
            YearValue(year=year, value=result.value, stage_name=result.stage_name),
            result.stage_percent,
        )
        for year, result in zip(known, results, strict=True)
        if result is not None
    }


def plan_years(plan: Plan) -> list[int]:
    return list(range(plan.period_start, plan.period_end + 1))


def indicators_as_of(*, indicators: list[Indicator], as_of: datetime.date) -> list[Indicator]:
    """The indicators as the plan stated them on `as_of` (baseline, target,
    kind, source...), from their history (one query). An indicator with no
    history by then (the plan was loaded later) is taken as it is now."""
    if as_of >= timezone.localdate() or not indicators:
        return indicators
    latest = {}
    records = Indicator.history.filter(
        id__in=[i.pk for i in indicators], history_date__lt=end_of(as_of)
    ).order_by("id", "-history_date", "-history_id")
    for record in records:
        latest.setdefault(record.id, record)
    result = []
    for indicator in indicators:
        record = latest.get(indicator.pk)
        if record is None or record.history_type == "-":
            result.append(indicator)
            continue
        then = copy.copy(indicator)
        for name in _PLAN_FIELDS:
            setattr(then, name, getattr(record, name))
        result.append(then)
    return result


def plan_indicators(*, plan: Plan, axis_code: str | None = None):
    """The plan's indicators with their result, objective and axis; each
    axis points at `plan` itself rather than a copy read again per row (the
    plan row carries its data notes, decoded on every read)."""
    queryset = Indicator.objects.filter(result__objective__axis__plan=plan).select_related(
        "result__objective__axis"
    )
    if axis_code:
        queryset = queryset.filter(result__objective__axis__code=axis_code)
    indicators = list(queryset)
    for indicator in indicators:
        indicator.result.objective.axis.plan = plan
    return indicators


# The apps whose records the indicators read, their computations included (ADR 0055).
INDICATOR_SOURCES = ("plans", "monitoring", "meetings", "cooperation", "membership")


def indicator_rows(
    *, plan: Plan, as_of: datetime.date, axis_code: str | None = None, country=None
) -> list[IndicatorStatus]:
    """One status per indicator of the plan, with its value per year of the
    plan period: three queries for manual indicators whatever their number
    and their values' (computed ones cost what their computations cost,
    once: the value on `as_of` comes with the years'). Kept in the figures
    cache (ADR 0055) until a write to what they count."""
    return figures.cached(
        "indicator-rows",
        (plan.pk, as_of, axis_code or "", getattr(country, "pk", country)),
        lambda: _indicator_rows(plan=plan, as_of=as_of, axis_code=axis_code, country=country),
        depends_on=INDICATOR_SOURCES,
    )


def _indicator_rows(*, plan: Plan, as_of, axis_code, country) -> list[IndicatorStatus]:
    indicators = indicators_as_of(
        indicators=plan_indicators(plan=plan, axis_code=axis_code), as_of=as_of
    )
    live = {
        i.pk
        for i in indicators
        if i.source == Indicator.Source.COMPUTED and computations.get(i.computation)
    }
    # Values entered and validated: read for the indicators that do not count themselves.
    entered = [i.pk for i in indicators if i.pk not in live]
    values = validated_values(indicator_ids=entered, as_of=as_of) if entered else {}
    rows = []
    # Records several computations count (instruments...) are read once.
    with computations.batch():
        for indicator in indicators:
            if indicator.pk in live:
                rows.append(_computed_row(indicator, plan, as_of, country))
                continue
            status = indicator_status(
                indicator=indicator, as_of=as_of, country=country, values=values
            )
            status.years = _years(indicator, plan, as_of, country, values)
            rows.append(status)
    return rows


def _years(indicator: Indicator, plan: Plan, as_of, country, values) -> list[YearValue]:
    years = plan_years(plan)
    if indicator.source == Indicator.Source.COMPUTED:
        if computations.get(indicator.computation) is None:
            return [YearValue(year=year) for year in years]
        computed = _computed_years(indicator, years, as_of, country)
        return [computed[year][0] if year in computed else YearValue(year=year) for year in years]
    known = _manual_years(indicator, _values_of(indicator, values), country)
    return [known.get(year, YearValue(year=year)) for year in years]


def indicator_series(*, indicator: Indicator, as_of: datetime.date, country=None) -> list[dict]:
    """Per year from the baseline year (or the plan's first year) to the
    target year (or its last): the value known on `as_of`, the value expected
    at the end of that year, and the achievement of that value.

    For milestone indicators the value is the percentage of the stage."""
    plan = _plan_of(indicator)
    baseline, baseline_year, target, target_year = _pace_inputs(indicator, plan)
    first = indicator.baseline_year or (plan.period_start if plan else as_of.year)
    last = indicator.target_year or (plan.period_end if plan else as_of.year)
    computed = indicator.source == Indicator.Source.COMPUTED
    known: dict[int, YearValue] = {}
    stage_percents: dict[int, Decimal | None] = {}
    if computed:
        if computations.get(indicator.computation) is not None:
            years = list(range(first, last + 1))
            for year, (value, percent) in _computed_years(indicator, years, as_of, country).items():
                known[year] = value
                stage_percents[year] = percent
    else:
        values = validated_values(indicator_ids=[indicator.pk], as_of=as_of)
        known = _manual_years(indicator, _values_of(indicator, values), country)
        stage_percents = {y: (v.stage.percent if v.stage else None) for y, v in known.items()}
    series = []
    for year in range(first, last + 1):
        reading = known.get(year)
        value = reading.value if reading else None
        stage_percent = stage_percents.get(year)
        if indicator.kind == Indicator.Kind.MILESTONE:
            value = stage_percent
        series.append(
            {
                "year": year,
                "value": value,
                "stage": reading.stage_name if reading else "",
                "expected": expected_value(
                    baseline=baseline,
                    baseline_year=baseline_year,
                    target=target,
                    target_year=target_year,
                    as_of=datetime.date(year, 12, 31),
                ),
                "achievement": achievement(
                    kind=indicator.kind,
                    direction=indicator.direction,
                    baseline=indicator.baseline_value,
                    target=indicator.target_value,
                    current=reading.value if reading else None,
                    stage_percent=stage_percent,
                )
                if reading
                else None,
            }
        )
    return series


def values_by_country(*, indicator: Indicator, values: list[IndicatorValue]) -> list[dict]:
    """For a disaggregated indicator: one row per country that has values,
    with its YearValue per year (for the indicator page)."""
    countries = {}
    for item in values:
        if item.country_id is not None:
            countries[item.country_id] = item.country
    rows = []
    for country in sorted(countries.values(), key=lambda c: localized(c, "name")):
        rows.append({"country": country, "years": _manual_years(indicator, values, country.pk)})
    return rows


# --- Entering a value ------------------------------------------------------------


def own_country_ids(user) -> list[int]:
    """The countries whose values a person enters: their own (none for the
    Secretariat, which enters any)."""
    roles = roles_of(user)
    if roles.is_secretariat:
        return []
    return sorted(roles.focal_point_of)


def entry_years(indicator: Indicator) -> list[int]:
    plan = indicator.result.objective.axis.plan
    last = min(plan.period_end, timezone.localdate().year)
    return list(range(plan.period_start, max(last, plan.period_start) + 1))


@dataclass
class ValueEntry:
    """The value page of a manual indicator for one person: which countries
    they may enter (a focal point's own country is forced, never taken from
    the form), the value the page was opened on (year, country) and the
    values they see."""

    indicator: Indicator
    year: int | None
    country: object  # the country the page was opened on (or None)
    forced_country: object  # a focal point's only country
    choices: object  # the countries to choose from (None: no choice)
    existing: list
    own: list[int]  # the person's countries (none for the Secretariat)

    @property
    def item(self) -> IndicatorValue | None:
        country_id = getattr(self.country, "pk", None)
        return next(
            (v for v in self.existing if v.year == self.year and v.country_id == country_id),
            None,
        )

    @property
    def editable(self) -> bool:
        item = self.item
        return item is None or item.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def probe(self) -> IndicatorValue:
        """The value whose permission decides whether the page opens."""
        country_id = getattr(self.country, "pk", None)
        if country_id is None and self.own and self.indicator.disaggregated_by_country:
            country_id = self.own[0]
        return IndicatorValue(indicator=self.indicator, country_id=country_id)

    def form_kwargs(self) -> dict:
        indicator = self.indicator
        initial = {"year": self.year or entry_years(indicator)[-1], "version": 0}
        if self.country is not None and self.choices is not None:
            initial["country"] = self.country.pk
        item = self.item
        if item is not None:
            initial.update(
                value=item.value,
                stage=item.stage_id,
                narrative=item.narrative,
                version=item.version,
            )
        plan = indicator.result.objective.axis.plan
        return {
            "indicator": indicator,
            "years": entry_years(indicator),
            "countries": self.choices,
            "stages": MilestoneStage.objects.filter(plan=plan).order_by("order"),
            "initial": initial,
            "forced_country": self.forced_country,
        }

    def exists_message(self, year: int) -> str:
        return gettext(
            "A value for %(year)s already exists: open it from the list below to change it."
        ) % {"year": year}

    def url_of(self, saved: IndicatorValue) -> str:
        query = {"year": saved.year}
        if saved.country_id:
            query["country"] = saved.country.code
        url = reverse("monitoring:enter_value", args=[self.indicator.pk])
        return f"{url}?{urlencode(query)}"


def value_entry(*, user, indicator: Indicator, year: str, country_code: str) -> ValueEntry:
    roles = roles_of(user)
    members = Country.objects.members(on=timezone.localdate()).order_by("name")
    own = own_country_ids(user)
    forced = choices = None
    if indicator.disaggregated_by_country:
        if roles.is_secretariat:
            choices = members
        elif len(own) == 1:
            forced = members.filter(pk=own[0]).first()
        else:
            choices = members.filter(pk__in=own)
    country = {c.code: c for c in members}.get(country_code.upper())
    if forced is not None:
        country = forced
    elif choices is None or (
        country is not None and not roles.is_secretariat and country.pk not in own
    ):
        country = None
    existing = (
        IndicatorValue.objects.filter(indicator=indicator)
        .select_related("country", "stage", "reviewed_by")
        .prefetch_related("evidence")
    )
    if not roles.is_secretariat:
        existing = existing.filter(country_id__in=own)
    return ValueEntry(
        indicator=indicator,
        year=int(year) if year.isdigit() else None,
        country=country,
        forced_country=forced,
        choices=choices,
        existing=list(existing.order_by("-year", "country__name")),
        own=own,
    )
