"""Reads for monitoring: the execution tree of a POA "as of" a date, built
with a fixed number of queries whatever the size of the plan, and computed
only through `coalicion.monitoring.calculations`."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection
from django.db.models import Prefetch
from django.utils import timezone

from coalicion.core.i18n import wants_translation
from coalicion.monitoring.calculations import (
    ActivityStatus,
    Child,
    ReportFact,
    activity_progress,
    activity_status,
    weighted_progress,
)
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.actions import PLAN_FILE_REASON
from coalicion.plans.models import (
    Activity,
    Axis,
    OperatingPlan,
    OperationalObjective,
    Plan,
    Responsible,
    StrategicObjective,
)


@dataclass
class ActivityNode:
    activity: "Activity | PlanItem"
    weight: Decimal
    cancelled: bool
    progress: Decimal
    status: ActivityStatus
    responsibles: list = field(default_factory=list)


@dataclass
class ObjectiveNode:
    objective: "OperationalObjective | PlanItem"
    weight: Decimal
    cancelled: bool
    progress: Decimal | None
    activities: list[ActivityNode]


@dataclass
class StrategicNode:
    objective: StrategicObjective
    progress: Decimal | None
    children: list[ObjectiveNode]


@dataclass
class AxisNode:
    axis: Axis
    progress: Decimal | None
    children: list[StrategicNode]


@dataclass
class PoaTree:
    poa: OperatingPlan
    as_of: datetime.date
    progress: Decimal | None
    axes: list[AxisNode]

    def activities(self):
        for axis in self.axes:
            for strategic in axis.children:
                for objective in strategic.children:
                    yield from objective.activities


# The matrix and the dashboards read the plan's activities with their latest
# validated report by hand-written SQL: it is their hot path (bench/), where
# the ORM cost four times the queries themselves. The same text runs on
# SQLite and PostgreSQL; values are always parameters. Dates and decimals are
# read as text (ISO dates, exact decimals), which both databases give alike.
LATEST_REPORT_ID = """(
    SELECT r2.id
    FROM monitoring_progressreport r2
    JOIN monitoring_reportingperiod p2 ON p2.id = r2.period_id
    WHERE r2.activity_id = a.id AND r2.status = %s AND p2."end" <= %s AND r2.reviewed_at < %s
    ORDER BY p2."end" DESC, r2.reviewed_at DESC, r2.id DESC
    LIMIT 1
)"""
LATEST_VALIDATED_SQL = """
SELECT a.id, p."end", r.percent
FROM plans_activity a
JOIN plans_operationalobjective o ON o.id = a.objective_id
JOIN monitoring_progressreport r ON r.id = {latest}
JOIN monitoring_reportingperiod p ON p.id = r.period_id
WHERE o.operating_plan_id IN ({poas})
"""
ACTIVITIES_WITH_LATEST_SQL = """
SELECT a.id, a.objective_id, a."order", a.code, a.statement, {statement_en},
       CAST(a.weight AS TEXT), CAST(a.start AS TEXT), CAST(a."end" AS TEXT), a.cancelled,
       CAST(p."end" AS TEXT), CAST(r.percent AS TEXT)
FROM plans_activity a
JOIN plans_operationalobjective o ON o.id = a.objective_id
LEFT JOIN monitoring_progressreport r ON r.id = {latest}
LEFT JOIN monitoring_reportingperiod p ON p.id = r.period_id
WHERE o.operating_plan_id IN ({poas})
ORDER BY a.objective_id, a."order"
"""


def _report_params(as_of: datetime.date, known_by: datetime.date) -> list:
    known_before = timezone.make_aware(
        datetime.datetime.combine(known_by + datetime.timedelta(days=1), datetime.time.min)
    )
    ops = connection.ops
    return [
        ReportStatus.VALIDATED.value,
        ops.adapt_datefield_value(as_of),
        ops.adapt_datetimefield_value(known_before),
    ]


def _date(value) -> datetime.date | None:
    """SQLite returns dates as ISO text."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def validated_reports(
    *, poa_ids, as_of: datetime.date, known_by: datetime.date | None = None
) -> dict[int, list[ReportFact]]:
    """For each activity of the POAs, its latest validated report for a
    period ended by `as_of` and validated by `known_by` (default: `as_of`),
    in one query. The database narrows the candidates to the one the rule
    would pick; `calculations.activity_progress` still applies the rule."""
    poa_ids = [int(poa_id) for poa_id in poa_ids]
    if not poa_ids:
        return {}
    known_by = known_by or as_of
    placeholders = ", ".join(["%s"] * len(poa_ids))
    sql = LATEST_VALIDATED_SQL.format(latest=LATEST_REPORT_ID, poas=placeholders)  # nosec B608
    facts: dict[int, list[ReportFact]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_report_params(as_of, known_by), *poa_ids])
        for activity_id, period_end, percent in cursor.fetchall():
            # The query kept only reports validated by `known_by`.
            facts[activity_id].append(
                ReportFact(
                    period_end=_date(period_end), validated_on=known_by, percent=_decimal(percent)
                )
            )
    return facts


def _states_as_of(records, moment) -> list:
    """Each object as it was at `moment`: its last recorded state by then.

    Objects loaded from the plan file after `moment` (on installation) take
    their first recorded state: the file describes the plan since its start.
    Objects created later by a user did not exist then; objects deleted by
    then are left out."""
    by_id: dict[int, list] = defaultdict(list)
    for record in records:
        by_id[record.id].append(record)
    states = []
    for history in by_id.values():
        history.sort(key=lambda r: (r.history_date, r.history_id))
        known = [r for r in history if r.history_date <= moment]
        if known:
            record = known[-1]
        elif history[0].history_change_reason == PLAN_FILE_REASON:
            record = history[0]
        else:
            continue
        if record.history_type != "-":
            states.append(record.instance)
    return states


class PlanItem(SimpleNamespace):
    """An operational objective or activity as the roll-up reads it: plain
    attributes (code, statement, statement_en, weight, cancelled, …), read
    with `values()` because building hundreds of model instances dominated
    the matrix's time (see bench/)."""

    @property
    def pk(self):
        return self.id


OBJECTIVE_FIELDS = (
    "id", "operating_plan_id", "strategic_objective_id", "order", "code", "statement",
    "statement_en", "weight", "cancelled",
)  # fmt: skip


def _plan_as_of(poas: list[OperatingPlan], as_of: datetime.date):
    """Operational objectives and activities of the POAs as they were on
    `as_of` (weights, cancellations, existence), from their history."""
    poa_ids = [poa.pk for poa in poas]
    moment = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time.max))
    objectives = _states_as_of(
        OperationalObjective.history.filter(operating_plan_id__in=poa_ids), moment
    )
    objective_ids = {o.pk for o in objectives}
    activities = _states_as_of(Activity.history.filter(objective_id__in=objective_ids), moment)
    return objectives, activities


OBJECTIVES_SQL = """
SELECT o.id, o.operating_plan_id, o.strategic_objective_id, o."order", o.code, o.statement,
       o.statement_en, o.weight, o.cancelled,
       s.code, s.label, s."order", s.statement, s.statement_en, s.axis_id,
       x.code, x.name, x.name_en, x."order"
FROM plans_operationalobjective o
JOIN plans_strategicobjective s ON s.id = o.strategic_objective_id
JOIN plans_axis x ON x.id = s.axis_id
WHERE o.operating_plan_id IN ({poas})
"""


def _current_state(poa_ids: list[int], as_of: datetime.date):
    """The POAs' objectives (with their strategic objectives and axes),
    activities and latest validated reports as they are now: two queries."""
    placeholders = ", ".join(["%s"] * len(poa_ids))
    objectives, strategics, axes = [], {}, {}
    with connection.cursor() as cursor:
        cursor.execute(OBJECTIVES_SQL.format(poas=placeholders), poa_ids)  # nosec B608
        rows = cursor.fetchall()
    for row in rows:
        axis_id = row[14]
        if axis_id not in axes:
            axes[axis_id] = PlanItem(
                id=axis_id, code=row[15], name=row[16], name_en=row[17], order=row[18]
            )
        strategic_id = row[2]
        if strategic_id not in strategics:
            strategics[strategic_id] = PlanItem(
                id=strategic_id,
                code=row[9],
                label=row[10],
                order=row[11],
                statement=row[12],
                statement_en=row[13],
                axis_id=axis_id,
                axis=axes[axis_id],
            )
        objectives.append(
            PlanItem(
                id=row[0],
                operating_plan_id=row[1],
                strategic_objective_id=strategic_id,
                order=row[3],
                code=row[4],
                statement=row[5],
                statement_en=row[6],
                weight=_decimal(row[7]),
                cancelled=bool(row[8]),
            )
        )

    activities, facts = [], {}
    # The English statements are read only for a page in English.
    statement_en = "a.statement_en" if wants_translation() else "''"
    sql = ACTIVITIES_WITH_LATEST_SQL.format(  # nosec B608
        latest=LATEST_REPORT_ID, poas=placeholders, statement_en=statement_en
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_report_params(as_of, as_of), *poa_ids])
        for row in cursor.fetchall():
            activity = PlanItem(
                id=row[0],
                objective_id=row[1],
                order=row[2],
                code=row[3],
                statement=row[4],
                statement_en=row[5],
                weight=_decimal(row[6]),
                start=_date(row[7]),
                end=_date(row[8]),
                cancelled=bool(row[9]),
            )
            activities.append(activity)
            if row[11] is not None:
                facts[activity.id] = [
                    ReportFact(
                        period_end=_date(row[10]), validated_on=as_of, percent=_decimal(row[11])
                    )
                ]
    return objectives, strategics, activities, facts


def execution_trees(
    *, poas: list[OperatingPlan], as_of: datetime.date, with_responsibles: bool = False
) -> list[PoaTree]:
    """The roll-up of each POA as of a date: activity → operational objective
    → strategic objective → axis → POA (SPEC §3)."""
    if not poas:
        return []
    poa_ids = [poa.pk for poa in poas]
    if as_of >= timezone.localdate():
        objectives, strategics, activities, facts = _current_state(poa_ids, as_of)
    else:
        objectives, activities = _plan_as_of(poas, as_of)
        facts = validated_reports(poa_ids=poa_ids, as_of=as_of)
        strategic_ids = {o.strategic_objective_id for o in objectives}
        strategics = {
            s.pk: s
            for s in StrategicObjective.objects.filter(pk__in=strategic_ids).select_related(
                "axis__plan"
            )
        }
    responsibles: dict[int, list] = defaultdict(list)
    if with_responsibles:
        for responsible in Responsible.objects.filter(
            activity_id__in=[a.pk for a in activities]
        ).select_related("organ", "country", "committee"):
            responsibles[responsible.activity_id].append(responsible)

    activities_by_objective: dict[int, list[Activity]] = defaultdict(list)
    for activity in sorted(activities, key=lambda a: (a.objective_id, a.order)):
        activities_by_objective[activity.objective_id].append(activity)
    objectives_by_poa: dict[int, list[OperationalObjective]] = defaultdict(list)
    for objective in objectives:
        objectives_by_poa[objective.operating_plan_id].append(objective)

    trees = []
    for poa in poas:
        nodes_by_strategic: dict[int, list[ObjectiveNode]] = defaultdict(list)
        for objective in sorted(objectives_by_poa[poa.pk], key=lambda o: o.order):
            activity_nodes = []
            for activity in activities_by_objective[objective.pk]:
                progress = activity_progress(facts.get(activity.pk, []), as_of)
                # A cancelled objective is shown with its own progress, but
                # its activities' status is "cancelled" with it.
                activity_nodes.append(
                    ActivityNode(
                        activity=activity,
                        weight=activity.weight,
                        cancelled=activity.cancelled,
                        progress=progress,
                        status=activity_status(
                            progress=progress,
                            end=activity.end,
                            cancelled=activity.cancelled or objective.cancelled,
                            as_of=as_of,
                        ),
                        responsibles=responsibles.get(activity.pk, []),
                    )
                )
            nodes_by_strategic[objective.strategic_objective_id].append(
                ObjectiveNode(
                    objective=objective,
                    weight=objective.weight,
                    cancelled=objective.cancelled,
                    progress=weighted_progress(
                        (n.weight, n.progress, n.cancelled) for n in activity_nodes
                    ),
                    activities=activity_nodes,
                )
            )
        strategic_nodes_by_axis: dict[int, list[StrategicNode]] = defaultdict(list)
        axes = {}
        for strategic_id, children in nodes_by_strategic.items():
            strategic = strategics[strategic_id]
            axes[strategic.axis_id] = strategic.axis
            strategic_nodes_by_axis[strategic.axis_id].append(
                StrategicNode(
                    objective=strategic,
                    progress=weighted_progress(
                        (c.weight, c.progress, c.cancelled) for c in children
                    ),
                    children=children,
                )
            )
        axis_nodes = []
        for axis_id, children in strategic_nodes_by_axis.items():
            children.sort(key=lambda s: s.objective.order)
            axis_nodes.append(
                AxisNode(
                    axis=axes[axis_id],
                    progress=weighted_progress((ONE, s.progress, False) for s in children),
                    children=children,
                )
            )
        axis_nodes.sort(key=lambda a: a.axis.order)
        trees.append(
            PoaTree(
                poa=poa,
                as_of=as_of,
                progress=weighted_progress((ONE, a.progress, False) for a in axis_nodes),
                axes=axis_nodes,
            )
        )
    return trees


ONE = Decimal(1)  # strategic objectives and axes weigh the same within their parent


def biennium_progress(trees: list[PoaTree]) -> Decimal | None:
    """A biennium (the Secretariat's term) is the weighted mean of its POAs."""
    return weighted_progress(Child(tree.poa.weight, tree.progress) for tree in trees)


def operating_plans(*, plan: Plan, year: int | None = None) -> list[OperatingPlan]:
    # Read through `plan`, each POA knows its plan without a join.
    poas = plan.operating_plans.order_by("year")
    if year is not None:
        poas = poas.filter(year=year)
    return list(poas)


def reports_for_review():
    return (
        ProgressReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related(
            "activity__objective__operating_plan", "period__operating_plan", "submitted_by"
        )
        .prefetch_related(Prefetch("evidence"))
        .order_by("submitted_at")
    )
