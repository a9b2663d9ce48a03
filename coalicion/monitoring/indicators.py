"""Reads of the plan's indicators "as of" a date, and the rows of the
monitoring matrix (SPEC §3, plan section IX, *Matriz de Monitoreo*).

The value of an indicator comes from its validated values (source "manual")
or from its registered computation (source "computed", SPEC §7).
Achievement, expected value and pace come only from
`coalicion.monitoring.calculations`; nothing here recomputes them.

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

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalicion.core.dates import end_of
from coalicion.core.i18n import localized
from coalicion.monitoring import computations
from coalicion.monitoring.calculations import (
    HUNDRED,
    ON_TRACK_SHARE,
    ActivityStatus,
    Child,
    Pace,
    achievement,
    expected_value,
    pace,
    weighted_progress,
)
from coalicion.monitoring.models import IndicatorValue, ReportStatus
from coalicion.monitoring.selectors import AxisNode, ObjectiveNode, PoaTree, StrategicNode
from coalicion.plans.models import Indicator, MilestoneStage, Plan

ACTIVITY_STATUS_LABELS = {
    ActivityStatus.NOT_STARTED: _("Not started"),
    ActivityStatus.IN_PROGRESS: _("In progress"),
    ActivityStatus.COMPLETED: _("Completed"),
    ActivityStatus.DELAYED: _("Delayed"),
    ActivityStatus.CANCELLED: _("Cancelled"),
}

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
        if computed is None:
            status.available = False
            return status
        status.current = computed.value
        status.current_year = as_of.year
        status.records = list(computed.records)
        status.stage_name = computed.stage_name
        status.figures = list(computed.figures)
        return _finish(status, stage_percent=computed.stage_percent)
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
    queryset = Indicator.objects.filter(result__objective__axis__plan=plan).select_related(
        "result__objective__axis__plan"
    )
    if axis_code:
        queryset = queryset.filter(result__objective__axis__code=axis_code)
    return list(queryset)


def indicator_rows(
    *, plan: Plan, as_of: datetime.date, axis_code: str | None = None, country=None
) -> list[IndicatorStatus]:
    """One status per indicator of the plan, with its value per year of the
    plan period: three queries for manual indicators whatever their number
    and their values' (computed ones cost what their computations cost)."""
    indicators = indicators_as_of(
        indicators=plan_indicators(plan=plan, axis_code=axis_code), as_of=as_of
    )
    values = validated_values(indicator_ids=[i.pk for i in indicators], as_of=as_of)
    rows = []
    for indicator in indicators:
        status = indicator_status(indicator=indicator, as_of=as_of, country=country, values=values)
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


# --- The execution tree as rows (matrix page and XLSX) -------------------------


@dataclass
class TreeRow:
    level: int  # 1 axis, 2 strategic objective, 3 operational objective, 4 activity
    kind: str
    code: str
    text: str
    weight: Decimal | None
    progress: Decimal | None
    cancelled: bool = False
    status: ActivityStatus | None = None
    responsibles: list = field(default_factory=list)
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def status_label(self) -> str:
        if self.status is not None:
            return str(ACTIVITY_STATUS_LABELS[self.status])
        if self.cancelled:
            return str(ACTIVITY_STATUS_LABELS[ActivityStatus.CANCELLED])
        return ""

    @property
    def level_label(self) -> str:
        return str(TREE_LEVEL_LABELS[self.kind])

    @property
    def responsible_names(self) -> list[str]:
        return [r.describe(localized) for r in self.responsibles]


TREE_LEVEL_LABELS = {
    "axis": _("Axis"),
    "strategic": _("Strategic objective"),
    "operational": _("Operational objective"),
    "activity": _("Activity"),
}

# Axes and strategic objectives count equally in their parents.
EQUAL_WEIGHT = Decimal(1)


def responsible_for_country(activity_node, country_id: int) -> bool:
    return any(
        r.kind in ("country", "national_body") and r.country_id == country_id
        for r in activity_node.responsibles
    )


def restrict_tree(tree: PoaTree, *, axis_id: int | None = None, country_id=None) -> PoaTree:
    """The tree limited to one axis and/or to the activities a country (or
    its national body) is responsible for. With a country, the parents are
    rolled up again by the same rule over the activities that remain; an
    objective left without activities is dropped."""
    if axis_id is None and country_id is None:
        return tree
    axes = []
    for axis in tree.axes:
        if axis_id is not None and axis.axis.pk != axis_id:
            continue
        if country_id is None:
            axes.append(axis)
            continue
        strategics = []
        for strategic in axis.children:
            objectives = []
            for objective in strategic.children:
                activities = [
                    a for a in objective.activities if responsible_for_country(a, country_id)
                ]
                if not activities:
                    continue
                objectives.append(
                    ObjectiveNode(
                        objective=objective.objective,
                        weight=objective.weight,
                        cancelled=objective.cancelled,
                        progress=weighted_progress(
                            Child(a.weight, a.progress, a.cancelled) for a in activities
                        ),
                        activities=activities,
                    )
                )
            if objectives:
                strategics.append(
                    StrategicNode(
                        objective=strategic.objective,
                        progress=weighted_progress(
                            Child(o.weight, o.progress, o.cancelled) for o in objectives
                        ),
                        children=objectives,
                    )
                )
        if strategics:
            axes.append(
                AxisNode(
                    axis=axis.axis,
                    progress=weighted_progress(Child(EQUAL_WEIGHT, s.progress) for s in strategics),
                    children=strategics,
                )
            )
    progress = tree.progress
    if country_id is not None:
        progress = weighted_progress(Child(EQUAL_WEIGHT, a.progress) for a in axes)
    return PoaTree(poa=tree.poa, as_of=tree.as_of, progress=progress, axes=axes)


def prefetch_responsibles(trees: list[PoaTree]) -> None:
    """National bodies of the responsible countries, for their names (one query)."""
    countries = [
        r.country
        for tree in trees
        for activity in tree.activities()
        for r in activity.responsibles
        if r.country_id is not None
    ]
    if countries:
        prefetch_related_objects(countries, "national_bodies")


def tree_rows(tree: PoaTree) -> list[TreeRow]:
    """The tree, depth first, one row per node."""
    rows = []
    for axis in tree.axes:
        rows.append(
            TreeRow(
                level=1,
                kind="axis",
                code=axis.axis.code,
                text=localized(axis.axis, "name"),
                weight=EQUAL_WEIGHT,
                progress=axis.progress,
            )
        )
        for strategic in axis.children:
            rows.append(
                TreeRow(
                    level=2,
                    kind="strategic",
                    code=strategic.objective.code,
                    text=localized(strategic.objective, "statement"),
                    weight=EQUAL_WEIGHT,
                    progress=strategic.progress,
                )
            )
            for objective in strategic.children:
                rows.append(
                    TreeRow(
                        level=3,
                        kind="operational",
                        code=objective.objective.code,
                        text=localized(objective.objective, "statement"),
                        weight=objective.weight,
                        progress=objective.progress,
                        cancelled=objective.cancelled,
                    )
                )
                for node in objective.activities:
                    rows.append(
                        TreeRow(
                            level=4,
                            kind="activity",
                            code=node.activity.code,
                            text=localized(node.activity, "statement"),
                            weight=node.weight,
                            progress=node.progress,
                            cancelled=node.cancelled,
                            status=node.status,
                            responsibles=list(node.responsibles),
                            start=node.activity.start,
                            end=node.activity.end,
                        )
                    )
    return rows


def method_texts() -> dict[str, tuple[str, str]]:
    """The method, in words (label, text), for the pages and the workbook."""
    return {
        "activity": (
            gettext("Activity progress"),
            gettext(
                "Progress of an activity = its latest validated report whose period ended "
                "on or before the date and that was validated by then; no report: 0."
            ),
        ),
        "parent": (
            gettext("Roll-up"),
            gettext(
                "Progress of an operational objective, strategic objective, axis and POA = "
                "Σ(weight × progress) / Σ weight over its children; strategic objectives "
                "and axes weigh 1."
            ),
        ),
        "cancelled": (
            gettext("Cancelled items"),
            gettext(
                "Cancelled items are shown but left out of both sums; a parent whose "
                "children are all cancelled has no progress (not 0)."
            ),
        ),
        "achievement": (
            gettext("Achievement"),
            gettext(
                "Achievement of a count or percentage indicator = "
                "clamp((current − baseline) / (target − baseline), 0, 1) × 100, mirrored "
                "for indicators that decrease; a milestone indicator takes the percentage "
                "of the stage reached. Current value = the latest validated value known "
                "on the date."
            ),
        ),
        "pace": (
            gettext("Pace"),
            gettext(
                "Expected value = linear interpolation from the baseline (start of its "
                "year, or of the plan's first year) to the target (end of its year); on "
                "track = at least %(share)s per cent of the expected progress, ahead = "
                "beyond the expected value, behind = less."
            )
            % {"share": f"{ON_TRACK_PERCENT:f}"},
        ),
    }
