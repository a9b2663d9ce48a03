"""Monitoring (issues 4 and 10): the roll-up behind the monitoring matrix
against one hand-written SQL query. The pages are measured whole in pages.py."""

import datetime
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from bench import Context, Measured, measurement, time_it
from coalicion.monitoring import rollup, selectors
from coalicion.monitoring.models import ReportStatus

# The roll-up of SPEC §2–3 in one statement, for every POA of a plan as of a
# date, giving every number the matrix shows: each activity's progress — for
# an activity reported as a whole, its latest validated report whose period
# ended by then and that was validated by then (none → 0); for a shared
# activity (of the national bodies, or naming several countries), the plain
# mean over the countries that are members on the date (all members for the
# national bodies, the named ones otherwise) of each country's part, taken the
# same way — then Σ(weight × progress) / Σ weight for each operational
# objective and strategic objective, equal weights for strategic objectives
# within an axis and for axes within a POA, cancelled items and items without
# progress left out. CTEs and correlated subqueries (which use the indexes on
# the report's activity and country; a correlated subquery measured 20×
# faster than ROW_NUMBER() over all reports on SQLite): the same text runs on
# SQLite and PostgreSQL. `× 1.0` keeps SQLite from dividing integers.
MATRIX_SQL = """
WITH plan_activity AS (
    SELECT a.id, a.objective_id, a.weight,
           EXISTS (
               SELECT 1 FROM plans_responsible n
               WHERE n.activity_id = a.id AND n.kind = 'national_bodies'
           ) AS all_members,
           (
               SELECT COUNT(DISTINCT c.country_id) FROM plans_responsible c
               WHERE c.activity_id = a.id AND c.kind IN ('country', 'national_body')
           ) AS named
    FROM plans_activity a
    JOIN plans_operationalobjective ao ON ao.id = a.objective_id
    JOIN plans_operatingplan apoa ON apoa.id = ao.operating_plan_id
    WHERE a.cancelled = %(false)s AND apoa.plan_id = %(plan)s
),
member AS (
    SELECT m.id FROM membership_country m
    WHERE (m.is_member = %(true)s OR m.member_until IS NOT NULL)
      AND (m.member_since IS NULL OR m.member_since <= %(as_of)s)
      AND (m.member_until IS NULL OR m.member_until >= %(as_of)s)
),
part AS (
    SELECT pa.id AS activity_id, m.id AS country_id, COALESCE((
        SELECT r.percent
        FROM monitoring_progressreport r
        JOIN monitoring_reportingperiod p ON p.id = r.period_id
        WHERE r.activity_id = pa.id
          AND r.country_id = m.id
          AND r.status = %(validated)s
          AND p."end" <= %(as_of)s
          AND (r.reviewed_at IS NULL OR r.reviewed_at < %(known_before)s)
        ORDER BY p."end" DESC, r.reviewed_at DESC, r.id DESC
        LIMIT 1
    ), 0) AS progress
    FROM plan_activity pa
    JOIN member m ON pa.all_members OR EXISTS (
        SELECT 1 FROM plans_responsible c
        WHERE c.activity_id = pa.id AND c.kind IN ('country', 'national_body')
          AND c.country_id = m.id
    )
    WHERE pa.all_members OR pa.named > 1
),
activity_progress AS (
    SELECT pa.id, pa.objective_id, pa.weight,
           CASE WHEN pa.all_members OR pa.named > 1
                THEN (SELECT AVG(pt.progress * 1.0) FROM part pt WHERE pt.activity_id = pa.id)
                ELSE COALESCE((
        SELECT r.percent
        FROM monitoring_progressreport r
        JOIN monitoring_reportingperiod p ON p.id = r.period_id
        WHERE r.activity_id = pa.id
          AND r.country_id IS NULL
          AND r.status = %(validated)s
          AND p."end" <= %(as_of)s
          AND (r.reviewed_at IS NULL OR r.reviewed_at < %(known_before)s)
        ORDER BY p."end" DESC, r.reviewed_at DESC, r.id DESC
        LIMIT 1
                ), 0)
           END AS progress
    FROM plan_activity pa
),
objective_progress AS (
    SELECT o.id, o.operating_plan_id, o.strategic_objective_id, o.weight,
           SUM(ap.weight * ap.progress) * 1.0 / SUM(ap.weight) AS progress
    FROM plans_operationalobjective o
    JOIN activity_progress ap ON ap.objective_id = o.id
    WHERE o.cancelled = %(false)s AND ap.progress IS NOT NULL
    GROUP BY o.id, o.operating_plan_id, o.strategic_objective_id, o.weight
    HAVING SUM(ap.weight) > 0
),
strategic_progress AS (
    SELECT operating_plan_id, strategic_objective_id,
           SUM(weight * progress) * 1.0 / SUM(weight) AS progress
    FROM objective_progress
    GROUP BY operating_plan_id, strategic_objective_id
    HAVING SUM(weight) > 0
),
axis_progress AS (
    SELECT sp.operating_plan_id, s.axis_id, AVG(sp.progress) AS progress
    FROM strategic_progress sp
    JOIN plans_strategicobjective s ON s.id = sp.strategic_objective_id
    GROUP BY sp.operating_plan_id, s.axis_id
)
SELECT 'activity', id, 0, progress FROM activity_progress WHERE progress IS NOT NULL
UNION ALL SELECT 'objective', id, 0, progress FROM objective_progress
UNION ALL SELECT 'strategic', operating_plan_id, strategic_objective_id, progress
    FROM strategic_progress
UNION ALL SELECT 'axis', operating_plan_id, axis_id, progress FROM axis_progress
UNION ALL SELECT 'poa', operating_plan_id, 0, AVG(progress) FROM axis_progress
    GROUP BY operating_plan_id
"""

# Both results must agree to two decimals.
TOLERANCE = Decimal("0.005")


def matrix_by_sql(*, plan, as_of: datetime.date) -> dict[tuple, Decimal]:
    """(level, id, id) → progress, by MATRIX_SQL (items without progress are absent)."""
    # Validated by `as_of` (a local date): reviewed before the next local midnight.
    known_before = timezone.make_aware(
        datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time.min)
    )
    ops = connection.ops
    params = {
        "validated": ReportStatus.VALIDATED.value,
        "as_of": ops.adapt_datefield_value(as_of),
        "known_before": ops.adapt_datetimefield_value(known_before),
        "false": False,
        "true": True,
        "plan": plan.pk,
    }
    with connection.cursor() as cursor:
        cursor.execute(MATRIX_SQL, params)
        return {
            (level, first, second): Decimal(str(value))
            for level, first, second, value in cursor.fetchall()
        }


def figures_of(trees) -> dict[tuple, Decimal]:
    """The same numbers, from rollup.execution_trees."""
    figures = {}
    for tree in trees:
        poa = tree.poa.pk
        if tree.progress is not None:
            figures[("poa", poa, 0)] = tree.progress
        for axis in tree.axes:
            if axis.progress is not None:
                figures[("axis", poa, axis.axis.pk)] = axis.progress
            for strategic in axis.children:
                if strategic.progress is not None:
                    figures[("strategic", poa, strategic.objective.pk)] = strategic.progress
                for objective in strategic.children:
                    if objective.progress is not None and not objective.cancelled:
                        figures[("objective", objective.objective.pk, 0)] = objective.progress
                    for activity in objective.activities:
                        if not activity.cancelled and activity.progress is not None:
                            figures[("activity", activity.activity.pk, 0)] = activity.progress
    return figures


def check_same_figures(trees, by_sql: dict[tuple, Decimal]) -> None:
    by_trees = figures_of(trees)
    if by_trees.keys() != by_sql.keys():
        missing = sorted(by_trees.keys() ^ by_sql.keys())[:5]
        raise AssertionError(f"The items with progress differ, e.g. {missing}")
    for key, progress in by_trees.items():
        if abs(progress - by_sql[key]) >= TOLERANCE:
            raise AssertionError(
                f"{key}: execution_trees gives {progress:.4f}, SQL {by_sql[key]:.4f}"
            )
    if not any(progress > 0 for key, progress in by_trees.items() if key[0] == "poa"):
        raise AssertionError("No POA has progress: the dataset was not seeded.")


@measurement("matrix_rollup")
def matrix_rollup(context: Context) -> list[Measured]:
    """rollup.execution_trees for every POA of the plan, as the monitoring
    matrix computes it, against MATRIX_SQL computing the same POA figures
    (the roll-up alone; the whole page is `matrix` in pages.py)."""

    def by_trees():
        # The computation itself, beneath the figures cache (whose key and
        # store cost a few milliseconds more on a miss, and nothing on a hit:
        # the pages' lines measure both).
        poas = selectors.operating_plans(plan=context.plan)
        return rollup._execution_trees(
            poas=poas, as_of=context.as_of, known_by=None, today_plan=True, countries=None
        )

    median, queries, trees = time_it(by_trees, context.runs)
    sql_median, sql_queries, by_sql = time_it(
        lambda: matrix_by_sql(plan=context.plan, as_of=context.as_of), context.runs
    )
    check_same_figures(trees, by_sql)
    return [
        Measured("matrix_rollup", median, queries, {"ratio": median / sql_median}),
        Measured("matrix_sql", sql_median, sql_queries),
    ]


def internal_user():
    """A focal point of Costa Rica: an internal user who sees the dashboard."""
    from allauth.account.models import EmailAddress

    from coalicion.accounts.models import User
    from coalicion.membership.models import Country, Person, Representation

    email = "bench.focal@synthetic.invalid"
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    user = User.objects.create_user(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    country = Country.objects.get(code="CR")
    person = Person.objects.create(
        given_name="Persona", family_name="Sintética", email=email, user=user, country=country
    )
    Representation.objects.create(
        person=person, country=country, role="titular", start=datetime.date(2018, 1, 1)
    )
    return user
