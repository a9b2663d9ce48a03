"""The roll-up of execution (SPEC §2–3): the one module behind every figure
of execution — the matrix, the execution tree, the dashboard and its charts,
the per-country figures and the map, the XLSX, and the reports and the API
to come. Nothing else computes progress; everything calls `execution_trees`
and, for a country or an axis, `restrict_tree`, and reads the nodes.

The rules themselves are pure functions in `coalicion.monitoring.formulas`:

- an activity's progress is its latest validated report with period end on
  or before the date asked about (and validated by then); none: 0;
- a **shared activity** (`coalicion.plans.parties.is_shared`: the national
  bodies of the member countries, or several countries, are responsible) has
  one part per country that is a member on that date; each part is that
  country's latest validated report as above (none: 0), and the activity's
  regional progress is the plain mean of its parts;
- each parent (operational objective → strategic objective → axis → POA)
  is Σ(weight × progress) / Σ weight over its children; strategic
  objectives and axes weigh 1; cancelled items are shown but left out of
  both sums;
- a biennium (the Secretariat's term) is the weighted mean of its POAs.

A tree filtered by a country keeps that country's own activities and its
parts of the shared ones (with the part's progress), and rolls the parents
up again by the same rules: the per-country figures of the dashboard and
the map are the roots of those trees.

Cost: a fixed number of queries whatever the size of the plan, the number of
countries and of reports (tests assert it). The plan and the latest reports
are read by hand-written SQL (see ADR 0022 and bench/): building model
instances cost four times the queries themselves.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from types import SimpleNamespace

from django.db import connection
from django.db.models import Exists, OuterRef, Q, Subquery, prefetch_related_objects
from django.utils import timezone

from coalicion.core import figures
from coalicion.core.dates import end_of
from coalicion.core.i18n import wants_translation
from coalicion.membership.models import Country, Organ, OrganTerm
from coalicion.monitoring.formulas import (
    ActivityStatus,
    Child,
    ReportFact,
    activity_progress,
    activity_status,
    shared_progress,
    weighted_progress,
)
from coalicion.monitoring.models import ReportStatus
from coalicion.plans.actions import PLAN_FILE_REASON
from coalicion.plans.models import (
    Activity,
    OperatingPlan,
    OperationalObjective,
    Responsible,
    StrategicObjective,
)
from coalicion.plans.parties import is_shared, named_country_ids, part_country_ids

ONE = Decimal(1)  # strategic objectives and axes weigh the same within their parent


# --- The tree --------------------------------------------------------------------


class PlanItem(SimpleNamespace):
    """An item of the plan as the roll-up reads it: plain attributes (code,
    statement, statement_en, weight, cancelled, …) read without building
    model instances."""

    @property
    def pk(self):
        return self.id


@dataclass(slots=True)
class PartNode:
    """One country's part of a shared activity."""

    country: PlanItem  # id, code, name, name_en
    progress: Decimal
    period_end: datetime.date | None  # of the report that counts; None: no report yet


@dataclass(slots=True)
class ActivityNode:
    activity: "Activity | PlanItem"
    weight: Decimal
    cancelled: bool
    progress: Decimal | None  # None only for a shared activity without member countries
    status: ActivityStatus
    # Kind and what each names (PlanItem); model instances with names once
    # `attach_responsibles` has run.
    responsibles: list = field(default_factory=list)
    shared: bool = False
    parts: list[PartNode] = field(default_factory=list)  # shared activities only
    part_of: PlanItem | None = None  # in a tree filtered by country: whose part this is

    def part(self, country_id: int) -> PartNode | None:
        return next((p for p in self.parts if p.country.id == country_id), None)


@dataclass(slots=True)
class ObjectiveNode:
    objective: "OperationalObjective | PlanItem"
    weight: Decimal
    cancelled: bool
    progress: Decimal | None
    activities: list[ActivityNode]


@dataclass(slots=True)
class StrategicNode:
    objective: StrategicObjective
    progress: Decimal | None
    children: list[ObjectiveNode]


@dataclass(slots=True)
class AxisNode:
    axis: "PlanItem"
    progress: Decimal | None
    children: list[StrategicNode]


@dataclass
class PoaTree:
    poa: OperatingPlan
    as_of: datetime.date
    progress: Decimal | None
    axes: list[AxisNode]
    country: PlanItem | None = None  # the country the tree is filtered by
    members: list[PlanItem] = field(default_factory=list)  # member countries on `as_of`

    def activities(self):
        for axis in self.axes:
            for strategic in axis.children:
                for objective in strategic.children:
                    yield from objective.activities


# --- Reading (hand-written SQL: the hot path, see bench/) --------------------------

# The latest validated report of each activity of the POAs reported as a
# whole (no country), and of each country's part of the shared ones: the one
# with the latest period end, then validation, then id, among those with
# period end <= the date and validated before the end of the day asked about.
# Two correlated subqueries, each on an index (activity; activity and
# country). Values are always parameters. Dates and decimals are read as text
# (ISO dates, exact decimals), which both databases give alike.
LATEST_REPORTS_SQL = """
SELECT a.id, NULL, CAST(p."end" AS TEXT), CAST(r.percent AS TEXT)
FROM plans_activity a
JOIN plans_operationalobjective o ON o.id = a.objective_id
JOIN monitoring_progressreport r ON r.id = (
    SELECT r2.id
    FROM monitoring_progressreport r2
    JOIN monitoring_reportingperiod p2 ON p2.id = r2.period_id
    WHERE r2.activity_id = a.id AND r2.country_id IS NULL
      AND r2.status = %s AND p2."end" <= %s AND r2.reviewed_at < %s
    ORDER BY p2."end" DESC, r2.reviewed_at DESC, r2.id DESC
    LIMIT 1
)
JOIN monitoring_reportingperiod p ON p.id = r.period_id
WHERE o.operating_plan_id IN ({poas})
UNION ALL
SELECT k.activity_id, k.country_id, CAST(p."end" AS TEXT), CAST(r.percent AS TEXT)
FROM (
    SELECT DISTINCT r0.activity_id, r0.country_id
    FROM monitoring_progressreport r0
    JOIN plans_activity a0 ON a0.id = r0.activity_id
    JOIN plans_operationalobjective o0 ON o0.id = a0.objective_id
    WHERE o0.operating_plan_id IN ({poas}) AND r0.country_id IS NOT NULL AND r0.status = %s
) k
JOIN monitoring_progressreport r ON r.id = (
    SELECT r2.id
    FROM monitoring_progressreport r2
    JOIN monitoring_reportingperiod p2 ON p2.id = r2.period_id
    WHERE r2.activity_id = k.activity_id AND r2.country_id = k.country_id
      AND r2.status = %s AND p2."end" <= %s AND r2.reviewed_at < %s
    ORDER BY p2."end" DESC, r2.reviewed_at DESC, r2.id DESC
    LIMIT 1
)
JOIN monitoring_reportingperiod p ON p.id = r.period_id
"""

# The same choice on PostgreSQL in one pass over the POAs' validated reports
# (DISTINCT ON keeps the first row of each activity and country part, in the
# order of the rule). At scale 10 the correlated subqueries above take about
# 100 ms there (an index probe and a sort per activity), this about 50 ms;
# on SQLite the subqueries are the faster (ADR 0022). Both give the same
# rows: the roll-up's tests run on both databases.
LATEST_REPORTS_SQL_POSTGRESQL = """
SELECT DISTINCT ON (r.activity_id, r.country_id)
       r.activity_id, r.country_id, CAST(p."end" AS TEXT), CAST(r.percent AS TEXT)
FROM monitoring_progressreport r
JOIN monitoring_reportingperiod p ON p.id = r.period_id
JOIN plans_activity a ON a.id = r.activity_id
JOIN plans_operationalobjective o ON o.id = a.objective_id
WHERE o.operating_plan_id IN ({poas})
  AND r.status = %s AND p."end" <= %s AND r.reviewed_at < %s
ORDER BY r.activity_id, r.country_id, p."end" DESC, r.reviewed_at DESC, r.id DESC
"""

OBJECTIVES_SQL = """
SELECT o.id, o.operating_plan_id, o.strategic_objective_id, o."order", o.code, o.statement,
       {objective_en}, CAST(o.weight AS TEXT), o.cancelled,
       s.code, s.label, s."order", s.statement, {strategic_en}, s.axis_id,
       x.code, x.name, x.name_en, x."order"
FROM plans_operationalobjective o
JOIN plans_strategicobjective s ON s.id = o.strategic_objective_id
JOIN plans_axis x ON x.id = s.axis_id
WHERE o.operating_plan_id IN ({poas})
"""

ACTIVITIES_SQL = """
SELECT a.id, a.objective_id, a."order", a.code, a.statement, {statement_en},
       CAST(a.weight AS TEXT), CAST(a.start AS TEXT), CAST(a."end" AS TEXT), a.cancelled
FROM plans_activity a
JOIN plans_operationalobjective o ON o.id = a.objective_id
WHERE o.operating_plan_id IN ({poas})
"""


def _date(value) -> datetime.date | None:
    """SQLite returns dates as ISO text."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _placeholders(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def latest_reports(
    *, poa_ids, as_of: datetime.date, known_by: datetime.date | None = None
) -> dict[tuple[int, int | None], ReportFact]:
    """For each (activity, country part or None) of the POAs, its latest
    validated report for a period ended by `as_of` and validated by the end
    of `known_by` (default: `as_of`), in one query. The database narrows the
    candidates to the one the rule would pick; `formulas.activity_progress`
    still applies the rule."""
    poa_ids = [int(poa_id) for poa_id in poa_ids]
    if not poa_ids:
        return {}
    known_by = known_by or as_of
    ops = connection.ops
    validated = ReportStatus.VALIDATED.value
    latest = [
        validated,
        ops.adapt_datefield_value(as_of),
        ops.adapt_datetimefield_value(end_of(known_by)),
    ]
    if connection.vendor == "postgresql":
        sql = LATEST_REPORTS_SQL_POSTGRESQL.replace("{poas}", _placeholders(poa_ids))
        params = [*poa_ids, *latest]
    else:
        sql = LATEST_REPORTS_SQL.replace("{poas}", _placeholders(poa_ids))
        params = [*latest, *poa_ids, *poa_ids, validated, *latest]
    facts = {}
    # A few dozen period ends and percents repeat over thousands of rows:
    # each text is converted once.
    dates, decimals = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for activity_id, country_id, period_end, percent in cursor.fetchall():
            end = dates.get(period_end)
            if end is None:
                end = dates[period_end] = _date(period_end)
            value = decimals.get(percent)
            if value is None:
                value = decimals[percent] = _decimal(percent)
            facts[(activity_id, country_id)] = ReportFact(end, known_by, value)
    return facts


def _current_plan(poa_ids: list[int]):
    """The POAs' objectives (with their strategic objectives and axes) and
    activities as they are now: two queries. English texts are read only for
    a page in English."""
    english = wants_translation()
    sql = OBJECTIVES_SQL.format(  # nosec B608
        poas=_placeholders(poa_ids),
        objective_en="o.statement_en" if english else "''",
        strategic_en="s.statement_en" if english else "''",
    )
    objectives, strategics, axes = [], {}, {}
    with connection.cursor() as cursor:
        cursor.execute(sql, poa_ids)
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
    sql = ACTIVITIES_SQL.format(  # nosec B608
        poas=_placeholders(poa_ids), statement_en="a.statement_en" if english else "''"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, poa_ids)
        activities = [
            PlanItem(
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
            for row in cursor.fetchall()
        ]
    return objectives, strategics, activities


def _states_as_of(history, moment) -> list:
    """Each object as it was at `moment`: its last recorded state by then.

    Objects loaded from the plan file after `moment` (on installation) take
    their first recorded state: the file describes the plan since its start.
    Objects created later by a user did not exist then; objects deleted by
    then are left out. Returns the history records themselves, chosen in
    SQL (`history`: a queryset of history records): one record per object,
    however long its history."""
    same = history.model._default_manager.filter(id=OuterRef("id"))
    by_then = same.filter(history_date__lte=moment)
    last_by_then = by_then.order_by("-history_date", "-history_id").values("history_id")[:1]
    first = same.order_by("history_date", "history_id").values("history_id")[:1]
    return list(
        history.filter(
            Q(history_id=Subquery(last_by_then))
            | Q(
                ~Exists(by_then),
                history_id=Subquery(first),
                history_change_reason=PLAN_FILE_REASON,
            )
        )
        .exclude(history_type="-")
        .order_by("id")
    )


def _past_plan(poa_ids: list[int], as_of: datetime.date):
    """Operational objectives, activities and their responsible parties as
    they were on `as_of` (weights, cancellations, existence), from their
    history, with today's strategic objectives and axes (four queries)."""
    moment = end_of(as_of)
    objectives = [
        r.instance
        for r in _states_as_of(
            OperationalObjective.history.filter(operating_plan_id__in=poa_ids), moment
        )
    ]
    activities = [
        r.instance
        for r in _states_as_of(
            Activity.history.filter(objective_id__in=[o.pk for o in objectives]), moment
        )
    ]
    strategics = {
        s.pk: s
        for s in StrategicObjective.objects.filter(
            pk__in={o.strategic_objective_id for o in objectives}
        ).select_related("axis")
    }
    responsibles = []
    records = Responsible.history.filter(activity_id__in=[a.pk for a in activities]).select_related(
        "organ", "country", "committee"
    )
    for record in _states_as_of(records, moment):
        responsible = record.instance
        # The instance is built from the record's values; keep its related rows.
        responsible.organ, responsible.country = record.organ, record.country
        responsible.committee = record.committee
        responsibles.append(responsible)
    return objectives, strategics, activities, responsibles


RESPONSIBLES_SQL = """
SELECT p.id, p.activity_id, p.kind, p.organ_id, p.country_id, p.committee_id
FROM plans_responsible p
JOIN plans_activity a ON a.id = p.activity_id
JOIN plans_operationalobjective o ON o.id = a.objective_id
WHERE o.operating_plan_id IN ({poas})
ORDER BY p.activity_id, p.id
"""


def _current_responsibles(poa_ids: list[int]) -> list[PlanItem]:
    """Who is responsible for each activity, as the rules read it (kind and
    what it names); `attach_responsibles` gives the pages their names."""
    sql = RESPONSIBLES_SQL.format(poas=_placeholders(poa_ids))  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, poa_ids)
        return [
            PlanItem(
                id=row[0],
                activity_id=row[1],
                kind=row[2],
                organ_id=row[3],
                country_id=row[4],
                committee_id=row[5],
            )
            for row in cursor.fetchall()
        ]


def attach_responsibles(trees: list[PoaTree]) -> None:
    """The responsible parties of the trees' activities as model instances,
    with what their names need (organ, country and its national bodies,
    committee), for the pages that show them: a fixed number of queries."""
    nodes = [node for tree in trees for node in tree.activities()]
    # A past tree already has them as they were then (from their history).
    known = [r for node in nodes for r in node.responsibles if isinstance(r, Responsible)]
    _with_national_bodies(known)
    nodes = [n for n in nodes if not any(isinstance(r, Responsible) for r in n.responsibles)]
    if not nodes:
        return
    by_activity: dict[int, list] = defaultdict(list)
    read = list(
        Responsible.objects.filter(activity_id__in=[n.activity.pk for n in nodes])
        .select_related("organ", "country", "committee")
        .order_by("activity_id", "id")
    )
    _with_national_bodies(read)
    for responsible in read:
        by_activity[responsible.activity_id].append(responsible)
    for node in nodes:
        node.responsibles = by_activity.get(node.activity.pk, [])


def _with_national_bodies(responsibles: list[Responsible]) -> None:
    """One instance per country among `responsibles`, with its national
    bodies (one query): prefetching onto a copy of the country per
    responsible would cost Django a queryset per copy."""
    countries: dict[int, Country] = {}
    for responsible in responsibles:
        if responsible.country_id is not None:
            responsible.country = countries.setdefault(responsible.country_id, responsible.country)
    if countries:
        prefetch_related_objects(list(countries.values()), "national_bodies")


def country_choices(as_of: datetime.date) -> list[Country]:
    """The countries a page may be filtered by: the members on the date asked
    about and today's (one query)."""
    today = timezone.localdate()
    members = Country.objects.members(on=as_of)
    if as_of != today:
        members = (members | Country.objects.members(on=today)).distinct()
    return list(members.order_by("name"))


def member_items(as_of: datetime.date, countries: list[Country] | None = None) -> list[PlanItem]:
    """The member countries on `as_of` (`Country.objects.members`, or the same
    rule, `Country.is_member_on`, on `countries` already read), as plain items."""
    if countries is None:
        countries = Country.objects.members(on=as_of).order_by("name")
    return [
        PlanItem(id=c.pk, code=c.code, name=c.name, name_en=c.name_en)
        for c in sorted(countries, key=lambda c: c.name)
        if c.is_member_on(as_of)
    ]


# --- Building ---------------------------------------------------------------------


def _activity_node(
    activity, *, objective, responsibles, facts, members, member_ids, as_of, known_by
) -> ActivityNode:
    shared = is_shared(responsibles)
    parts = []
    activity_id = activity.id
    if shared:
        ids = set(part_country_ids(responsibles, members=member_ids))
        for country in members:
            if country.id not in ids:
                continue
            fact = facts.get((activity_id, country.id))
            facts_of = (fact,) if fact else ()
            parts.append(
                PartNode(
                    country,
                    activity_progress(facts_of, as_of, known_by),
                    fact.period_end if fact else None,
                )
            )
        progress = shared_progress([part.progress for part in parts])
    else:
        fact = facts.get((activity_id, None))
        progress = activity_progress((fact,) if fact else (), as_of, known_by)
    # A cancelled objective is shown with its own progress, but its
    # activities' status is "cancelled" with it.
    return ActivityNode(
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
        responsibles=responsibles,
        shared=shared,
        parts=parts,
    )


def _objective_node(objective, activities: list[ActivityNode]) -> ObjectiveNode:
    return ObjectiveNode(
        objective=objective,
        weight=objective.weight,
        cancelled=objective.cancelled,
        progress=weighted_progress(Child(n.weight, n.progress, n.cancelled) for n in activities),
        activities=activities,
    )


def _upper_levels(objective_nodes: list[ObjectiveNode], strategics: dict) -> list[AxisNode]:
    """Strategic objectives and axes over the operational objectives."""
    by_strategic: dict[int, list[ObjectiveNode]] = defaultdict(list)
    for node in objective_nodes:
        by_strategic[node.objective.strategic_objective_id].append(node)
    by_axis: dict[int, list[StrategicNode]] = defaultdict(list)
    axes = {}
    for strategic_id, children in by_strategic.items():
        strategic = strategics[strategic_id]
        axes[strategic.axis_id] = strategic.axis
        by_axis[strategic.axis_id].append(
            StrategicNode(
                objective=strategic,
                progress=weighted_progress(
                    Child(c.weight, c.progress, c.cancelled) for c in children
                ),
                children=children,
            )
        )
    axis_nodes = []
    for axis_id, children in by_axis.items():
        children.sort(key=lambda s: s.objective.order)
        axis_nodes.append(
            AxisNode(
                axis=axes[axis_id],
                progress=weighted_progress(Child(ONE, s.progress) for s in children),
                children=children,
            )
        )
    axis_nodes.sort(key=lambda a: a.axis.order)
    return axis_nodes


# The apps whose records the roll-up reads (ADR 0055).
ROLLUP_SOURCES = ("plans", "monitoring", "membership")


def execution_trees(
    *,
    poas: list[OperatingPlan],
    as_of: datetime.date,
    known_by: datetime.date | None = None,
    plan_of_today: bool = False,
    countries: list[Country] | None = None,
    keep: bool = True,
) -> list[PoaTree]:
    """The roll-up of each POA as of a date (SPEC §2–3), with every shared
    activity's parts: the plan as it was on `as_of` (as it is now with
    `plan_of_today`) and the reports validated by the end of `known_by`
    (default `as_of`). Five queries for today, seven for a past date (one
    less each with `countries` already read: any that include the members on
    `as_of`), whatever the number of POAs, activities, countries and reports.

    Kept in the figures cache (ADR 0055) until a write to the plan, the
    reports or the membership: the matrix, its export and the reports
    compute each tree once. `keep=False` for a caller that keeps what it
    draws from the trees itself (the dashboard keeps them down to their
    axes): at scale 10 storing every POA's whole tree costs half as much
    again as computing it."""
    if not poas:
        return []
    today_plan = plan_of_today or as_of >= timezone.localdate()

    def compute():
        return _execution_trees(
            poas=poas, as_of=as_of, known_by=known_by, today_plan=today_plan, countries=countries
        )

    if not keep:
        return compute()
    return figures.cached(
        "rollup",
        ([poa.pk for poa in poas], as_of, known_by, today_plan),
        compute,
        depends_on=ROLLUP_SOURCES,
    )


def _execution_trees(
    *,
    poas: list[OperatingPlan],
    as_of: datetime.date,
    known_by: datetime.date | None,
    today_plan: bool,
    countries: list[Country] | None,
) -> list[PoaTree]:
    poa_ids = [poa.pk for poa in poas]
    if today_plan:
        objectives, strategics, activities = _current_plan(poa_ids)
        responsibles = _current_responsibles(poa_ids)
    else:
        objectives, strategics, activities, responsibles = _past_plan(poa_ids, as_of)
    facts = latest_reports(poa_ids=poa_ids, as_of=as_of, known_by=known_by)
    members = member_items(as_of, countries)
    member_ids = [m.id for m in members]

    responsibles_of: dict[int, list] = defaultdict(list)
    for responsible in responsibles:
        responsibles_of[responsible.activity_id].append(responsible)
    activities_of: dict[int, list] = defaultdict(list)
    for activity in sorted(activities, key=lambda a: (a.objective_id, a.order)):
        activities_of[activity.objective_id].append(activity)
    objectives_of: dict[int, list] = defaultdict(list)
    for objective in objectives:
        objectives_of[objective.operating_plan_id].append(objective)

    trees = []
    for poa in poas:
        objective_nodes = []
        for objective in sorted(objectives_of[poa.pk], key=lambda o: o.order):
            nodes = [
                _activity_node(
                    activity,
                    objective=objective,
                    responsibles=responsibles_of.get(activity.pk, []),
                    facts=facts,
                    members=members,
                    member_ids=member_ids,
                    as_of=as_of,
                    known_by=known_by or as_of,
                )
                for activity in activities_of[objective.pk]
            ]
            objective_nodes.append(_objective_node(objective, nodes))
        axes = _upper_levels(objective_nodes, strategics)
        trees.append(
            PoaTree(
                poa=poa,
                as_of=as_of,
                progress=weighted_progress(Child(ONE, a.progress) for a in axes),
                axes=axes,
                members=members,
            )
        )
    return trees


# --- Filtering by a country or an axis ----------------------------------------------


def _country_node(
    node: ActivityNode, *, country_id: int, objective, as_of: datetime.date
) -> ActivityNode | None:
    """The activity as the country sees it: its own activity as it is, its
    part of a shared one with the part's progress; None if it has neither."""
    if node.shared:
        part = node.part(country_id)
        if part is None:
            return None
        return replace(
            node,
            progress=part.progress,
            status=activity_status(
                progress=part.progress,
                end=node.activity.end,
                cancelled=node.cancelled or objective.cancelled,
                as_of=as_of,
            ),
            part_of=part.country,
        )
    if country_id in named_country_ids(node.responsibles):
        return node
    return None


def restrict_tree(tree: PoaTree, *, axis_id: int | None = None, country_id=None) -> PoaTree:
    """The tree limited to one axis and/or to one country's work: its own
    activities (as a country or through its national body) and its parts of
    the shared ones. With a country, every parent is rolled up again by the
    same rules over what remains; an objective left without activities is
    dropped."""
    if axis_id is None and country_id is None:
        return tree
    country = next((m for m in tree.members if m.id == country_id), None)
    axes = []
    for axis in tree.axes:
        if axis_id is not None and axis.axis.pk != axis_id:
            continue
        if country_id is None:
            axes.append(axis)
            continue
        objective_nodes = []
        for strategic in axis.children:
            for objective in strategic.children:
                kept = []
                for node in objective.activities:
                    mine = _country_node(
                        node, country_id=country_id, objective=objective.objective, as_of=tree.as_of
                    )
                    if mine is not None:
                        kept.append(mine)
                if kept:
                    objective_nodes.append(_objective_node(objective.objective, kept))
        strategics = {s.objective.pk: s.objective for s in axis.children}
        axes.extend(_upper_levels(objective_nodes, strategics))
    # Filtered by an axis only, the POA's own figure stays beside its axis.
    progress = tree.progress
    if country_id is not None:
        progress = weighted_progress(Child(ONE, a.progress) for a in axes)
    return PoaTree(
        poa=tree.poa,
        as_of=tree.as_of,
        progress=progress,
        axes=axes,
        country=country,
        members=tree.members,
    )


# --- Above the POA ------------------------------------------------------------------


def biennium_progress(trees: list[PoaTree]) -> Decimal | None:
    """A biennium (the Secretariat's term) is the weighted mean of its POAs."""
    return weighted_progress(Child(tree.poa.weight, tree.progress) for tree in trees)


@dataclass
class Biennium:
    """A Secretariat term and the POAs of the years it covers."""

    term: OrganTerm
    years: list[int]
    progress: Decimal | None


def term_covers(term: OrganTerm, year: int) -> bool:
    """A POA belongs to the Secretariat term in office on 1 July of its year,
    so that each year falls in one term even when terms change mid-year."""
    middle = datetime.date(year, 7, 1)
    return term.start <= middle and (term.end is None or term.end >= middle)


def secretariat_terms() -> list[OrganTerm]:
    return list(
        OrganTerm.objects.filter(organ__code=Organ.Code.SECRETARIAT)
        .select_related("country")
        .order_by("start")
    )


def bienniums(*, trees: list[PoaTree], terms: list[OrganTerm]) -> list[Biennium]:
    """Each Secretariat term that covers at least one POA, with the weighted
    mean of its POAs."""
    result = []
    for term in terms:
        covered = [tree for tree in trees if term_covers(term, tree.poa.year)]
        if covered:
            result.append(
                Biennium(
                    term=term,
                    years=[tree.poa.year for tree in covered],
                    progress=biennium_progress(covered),
                )
            )
    return result


@dataclass
class CountryFigure:
    country: PlanItem
    progress: Decimal | None
    activities: int  # activities (own or parts) that count: not cancelled


def country_figures(tree: PoaTree) -> list[CountryFigure]:
    """Each member country's execution of the POA: the root of the tree
    filtered by that country (`restrict_tree`), the same figure the matrix
    and the tree show with that country's filter."""
    figures = []
    for country in tree.members:
        mine = restrict_tree(tree, country_id=country.id)
        figures.append(
            CountryFigure(
                country=country,
                progress=mine.progress,
                activities=sum(
                    1 for node in mine.activities() if node.status != ActivityStatus.CANCELLED
                ),
            )
        )
    return figures


def activity_node(*, activity, as_of: datetime.date) -> ActivityNode | None:
    """One activity as the roll-up gives it (with its parts), from the tree
    of its POA: the same figure the matrix shows."""
    [tree] = execution_trees(poas=[activity.objective.operating_plan], as_of=as_of)
    return next((node for node in tree.activities() if node.activity.pk == activity.pk), None)
