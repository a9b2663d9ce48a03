"""The roll-up of execution (rollup.execution_trees) on the Coalition's real
POA 2018, with every expected figure worked out by hand below.

POA 2018 has four axes; every weight in the document is 1:

    axis 1  SO 1    OO 1.1 (1.1-1)  OO 1.2 (1.2-1)
    axis 2  SO 2.1  OO 2.1.1 (2.1.1-1)  OO 2.1.2 (2.1.2-1)  OO 2.1.3 (2.1.3-1)
            SO 2.2  OO 2.2.1 (2.2.1-1)
    axis 3  SO 3.1  OO 3.1.1 (3.1.1-1)
            SO 3.2  OO 3.2.1 (3.2.1-1)
    axis 4  SO 4.1  OO 4.1.1 (4.1.1-1, 4.1.1-2)  OO 4.1.2 (4.1.2-1)  OO 4.1.3 (4.1.3-1, 4.1.3-2)

The `scenario` fixture sets weights 3 and 1 on the activities of OO 4.1.1 and
2 on OO 4.1.1, and these validated reports (percent by quarter):

    1.1-1: Q3 80        2.1.1-1: Q4 90      3.2.1-1: Q2 50 (each of the nine
                                            member countries' parts: it is an
                                            activity of the national bodies)
    4.1.1-1: Q1 20, Q2 60      4.1.1-2: Q1 100
    4.1.2-1: Q2 40             4.1.3-1: Q1 10      (4.1.3-2: none)

As of today:
    OO 4.1.1 = (3×60 + 1×100) / 4 = 70;  OO 4.1.2 = 40;  OO 4.1.3 = (10 + 0) / 2 = 5
    SO 4.1 = (2×70 + 1×40 + 1×5) / 4 = 46.25 = axis 4
    axis 1 = SO 1 = (80 + 0) / 2 = 40
    axis 2 = (SO 2.1 = (90 + 0 + 0) / 3 = 30  +  SO 2.2 = 0) / 2 = 15
    axis 3 = (SO 3.1 = 0  +  SO 3.2 = 50) / 2 = 25
    POA = (40 + 15 + 25 + 46.25) / 4 = 31.5625
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalicion.core import figures
from coalicion.membership.models import Country
from coalicion.monitoring import actions, computations, rollup
from coalicion.monitoring.formulas import ActivityStatus
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.models import (
    Activity,
    OperatingPlan,
    OperationalObjective,
    StrategicObjective,
)

D = Decimal
TODAY = datetime.date.today

# execution_trees today: objectives (with strategic objectives and axes),
# activities, responsible parties, latest reports, member countries; for a
# past date the objectives, activities and responsible parties come from
# their history and the strategic objectives are read apart.
QUERY_BOUND = 5
QUERY_BOUND_PAST = 6


def activity(poa, code) -> Activity:
    return Activity.objects.get(objective__operating_plan=poa, code=code)


def objective(poa, code) -> OperationalObjective:
    return OperationalObjective.objects.get(operating_plan=poa, code=code)


def recompute():
    """The next read computes its figures again, as after a write (ADR 0055):
    these tests count the queries of the computation, not of the cache."""
    figures.changed(*computations.SOURCES)


def tree_of(poa, as_of=None, **kwargs) -> rollup.PoaTree:
    [tree] = rollup.execution_trees(poas=[poa], as_of=as_of or TODAY(), **kwargs)
    return tree


def axis_node(tree, code):
    return next(a for a in tree.axes if a.axis.code == code)


def strategic_node(tree, code):
    return next(s for a in tree.axes for s in a.children if s.objective.code == code)


def objective_node(tree, code):
    return next(
        o for a in tree.axes for s in a.children for o in s.children if o.objective.code == code
    )


def activity_node(tree, code):
    return next(n for n in tree.activities() if n.activity.code == code)


def set_weight(item, weight):
    item.weight = D(weight)
    item.save()


def cancel(item):
    item.cancelled = True
    item.save()


def as_known_since(poa, moment: datetime.datetime) -> None:
    """Make the history say the POA's objectives and activities, as they are
    now, were entered at `moment` (one historical row each)."""
    objective_ids = list(poa.objectives.values_list("pk", flat=True))
    activity_ids = list(
        Activity.objects.filter(objective_id__in=objective_ids).values_list("pk", flat=True)
    )
    for model, ids in ((OperationalObjective, objective_ids), (Activity, activity_ids)):
        rows = model.history.filter(id__in=ids).order_by("id", "history_date", "history_id")
        latest = {}
        for object_id, history_id in rows.values_list("id", "history_id"):
            latest[object_id] = history_id
        model.history.filter(id__in=ids).exclude(history_id__in=latest.values()).delete()
        model.history.filter(history_id__in=latest.values()).update(history_date=moment)


def aware(iso: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(iso))


@pytest.fixture
def scenario(poa, periods, validated_report):
    """The weights and reports of the module docstring."""
    q1, q2, q3, q4 = periods
    set_weight(activity(poa, "4.1.1-1"), 3)
    set_weight(activity(poa, "4.1.1-2"), 1)
    set_weight(objective(poa, "4.1.1"), 2)
    for country in Country.objects.members(on=TODAY()):
        validated_report(activity(poa, "3.2.1-1"), q2, 50, country=country)
    for code, period, percent in [
        ("1.1-1", q3, 80),
        ("2.1.1-1", q4, 90),
        ("4.1.1-1", q1, 20),
        ("4.1.1-1", q2, 60),
        ("4.1.1-2", q1, 100),
        ("4.1.2-1", q2, 40),
        ("4.1.3-1", q1, 10),
    ]:
        validated_report(activity(poa, code), period, percent)
    return poa


class TestTheRollUpToday:
    def test_each_activity_shows_its_latest_validated_report(self, scenario):
        tree = tree_of(scenario)
        assert activity_node(tree, "4.1.1-1").progress == D(60)
        assert activity_node(tree, "4.1.1-2").progress == D(100)
        assert activity_node(tree, "4.1.3-2").progress == D(0)

    def test_operational_objectives_are_weighted_means_of_their_activities(self, scenario):
        tree = tree_of(scenario)
        assert objective_node(tree, "4.1.1").progress == D(70)
        assert objective_node(tree, "4.1.2").progress == D(40)
        assert objective_node(tree, "4.1.3").progress == D(5)

    def test_strategic_objectives_weigh_their_operational_objectives(self, scenario):
        tree = tree_of(scenario)
        assert strategic_node(tree, "4.1").progress == D("46.25")
        assert strategic_node(tree, "2.1").progress == D(30)
        assert strategic_node(tree, "2.2").progress == D(0)

    def test_axes_and_the_poa(self, scenario):
        tree = tree_of(scenario)
        assert [(a.axis.code, a.progress) for a in tree.axes] == [
            ("1", D(40)),
            ("2", D(15)),
            ("3", D(25)),
            ("4", D("46.25")),
        ]
        assert tree.progress == D("31.5625")

    def test_the_weights_are_on_the_tree_for_whoever_reads_it(self, scenario):
        tree = tree_of(scenario)
        assert objective_node(tree, "4.1.1").weight == D(2)
        assert [(n.activity.code, n.weight) for n in objective_node(tree, "4.1.1").activities] == [
            ("4.1.1-1", D(3)),
            ("4.1.1-2", D(1)),
        ]

    def test_reports_not_validated_do_not_count(self, scenario, periods, users):
        q4 = periods[3]
        report = actions.save_report(
            actor=users["secretariat"],
            activity=activity(scenario, "1.2-1"),
            period=q4,
            percent=D(100),
            narrative="Enviado, sin validar.",
            submit=True,
        )
        actions.save_report(
            actor=users["secretariat"],
            activity=activity(scenario, "4.1.3-2"),
            period=q4,
            percent=D(100),
            narrative="Borrador.",
        )
        assert tree_of(scenario).progress == D("31.5625")

        actions.review_report(actor=users["secretariat"], report=report, validate=True)
        # Validated now: OO 1.2 = 100, axis 1 = (80 + 100) / 2 = 90;
        # POA = (90 + 15 + 25 + 46.25) / 4 = 44.0625.
        assert tree_of(scenario).progress == D("44.0625")

    def test_statuses_of_the_activities(self, scenario):
        late = activity(scenario, "4.1.2-1")
        late.end = datetime.date(2018, 12, 31)
        late.save()
        cancel(activity(scenario, "1.2-1"))
        tree = tree_of(scenario)
        assert activity_node(tree, "4.1.1-2").status == ActivityStatus.COMPLETED
        assert activity_node(tree, "4.1.1-1").status == ActivityStatus.IN_PROGRESS
        assert activity_node(tree, "4.1.3-2").status == ActivityStatus.NOT_STARTED
        assert activity_node(tree, "4.1.2-1").status == ActivityStatus.DELAYED
        assert activity_node(tree, "1.2-1").status == ActivityStatus.CANCELLED


class TestCancelledItems:
    def test_a_cancelled_activity_is_shown_but_left_out(self, scenario):
        cancel(activity(scenario, "4.1.1-2"))
        tree = tree_of(scenario)
        node = activity_node(tree, "4.1.1-2")
        assert node.cancelled and node.progress == D(100)
        # OO 4.1.1 = 60; SO 4.1 = (2×60 + 40 + 5) / 4 = 41.25;
        # POA = (40 + 15 + 25 + 41.25) / 4 = 30.3125.
        assert objective_node(tree, "4.1.1").progress == D(60)
        assert strategic_node(tree, "4.1").progress == D("41.25")
        assert tree.progress == D("30.3125")

    def test_an_objective_whose_activities_are_all_cancelled_has_no_progress(self, scenario):
        cancel(activity(scenario, "4.1.3-1"))
        cancel(activity(scenario, "4.1.3-2"))
        tree = tree_of(scenario)
        assert objective_node(tree, "4.1.3").progress is None
        # Left out of its parent: SO 4.1 = (2×70 + 1×40) / 3 = 60;
        # POA = (40 + 15 + 25 + 60) / 4 = 35.
        assert strategic_node(tree, "4.1").progress == D(60)
        assert tree.progress == D(35)

    def test_a_cancelled_operational_objective_is_left_out(self, scenario):
        cancel(objective(scenario, "4.1.1"))
        tree = tree_of(scenario)
        node = objective_node(tree, "4.1.1")
        assert node.cancelled and node.progress == D(70)
        # SO 4.1 = (40 + 5) / 2 = 22.5; POA = (40 + 15 + 25 + 22.5) / 4 = 25.625.
        assert strategic_node(tree, "4.1").progress == D("22.5")
        assert tree.progress == D("25.625")

    def test_an_axis_with_everything_cancelled_is_left_out_of_the_poa(self, scenario):
        cancel(activity(scenario, "3.1.1-1"))
        cancel(activity(scenario, "3.2.1-1"))
        tree = tree_of(scenario)
        assert axis_node(tree, "3").progress is None
        # POA = (40 + 15 + 46.25) / 3 = 33.75.
        assert tree.progress == D("33.75")

    def test_a_poa_with_everything_cancelled_has_no_progress(self, scenario):
        for item in Activity.objects.filter(objective__operating_plan=scenario):
            cancel(item)
        assert tree_of(scenario).progress is None


class TestAsOfAPastDate:
    @pytest.fixture
    def known_in_2018(self, scenario):
        as_known_since(scenario, aware("2018-01-01T08:00"))
        return scenario

    def test_later_reports_are_ignored(self, known_in_2018):
        # 1 July 2018: only Q1 (due 15 April) is known.
        # OO 4.1.1 = (3×20 + 100) / 4 = 40; OO 4.1.2 = 0; OO 4.1.3 = 5;
        # SO 4.1 = (2×40 + 0 + 5) / 4 = 21.25 = axis 4; the other axes are 0.
        # POA = 21.25 / 4 = 5.3125.
        tree = tree_of(known_in_2018, datetime.date(2018, 7, 1))
        assert activity_node(tree, "4.1.1-1").progress == D(20)
        assert activity_node(tree, "3.2.1-1").progress == D(0)
        assert objective_node(tree, "4.1.1").progress == D(40)
        assert tree.progress == D("5.3125")

    def test_a_report_validated_after_the_date_is_not_known_yet(
        self, known_in_2018, periods, validated_report
    ):
        q2 = periods[1]
        late = validated_report(
            activity(known_in_2018, "4.1.3-2"), q2, 30, on=datetime.date(2018, 8, 20)
        )
        assert late.period.end < datetime.date(2018, 8, 1)
        # 1 August: Q2 has ended and its other reports were validated on 15 July.
        tree = tree_of(known_in_2018, datetime.date(2018, 8, 1))
        assert activity_node(tree, "4.1.3-2").progress == D(0)
        assert activity_node(tree, "4.1.1-1").progress == D(60)
        tree = tree_of(known_in_2018, datetime.date(2018, 8, 20))
        assert activity_node(tree, "4.1.3-2").progress == D(30)

    def test_a_period_reported_after_the_date_is_not_known_yet(self, known_in_2018):
        # 31 December 2018: Q4 has ended but its reports are validated on
        # 15 January 2019, so 2.1.1-1 is still at 0 and axis 2 at 0:
        # POA = (40 + 0 + 25 + 46.25) / 4 = 27.8125.
        tree = tree_of(known_in_2018, datetime.date(2018, 12, 31))
        assert activity_node(tree, "2.1.1-1").progress == D(0)
        assert tree.progress == D("27.8125")
        assert tree_of(known_in_2018, datetime.date(2019, 1, 15)).progress == D("31.5625")

    def test_as_of_before_any_report_everything_is_zero(self, known_in_2018):
        tree = tree_of(known_in_2018, datetime.date(2018, 3, 31))
        assert {n.progress for n in tree.activities()} == {D(0)}
        assert tree.progress == D(0)

    def test_the_plan_as_it_was_before_a_change_of_weight(self, known_in_2018):
        set_weight(activity(known_in_2018, "4.1.1-1"), 1)  # today: 3 → 1
        # Today OO 4.1.1 = (60 + 100) / 2 = 80.
        assert objective_node(tree_of(known_in_2018), "4.1.1").progress == D(80)
        # In mid-2019 (all of 2018 reported) the weight was still 3: OO 4.1.1 = 70.
        past = tree_of(known_in_2018, datetime.date(2019, 6, 30))
        assert activity_node(past, "4.1.1-1").weight == D(3)
        assert objective_node(past, "4.1.1").progress == D(70)
        assert past.progress == D("31.5625")

    def test_the_plan_as_it_was_before_a_cancellation(self, known_in_2018):
        cancel(activity(known_in_2018, "4.1.1-2"))
        assert tree_of(known_in_2018).progress == D("30.3125")
        past = tree_of(known_in_2018, datetime.date(2019, 6, 30))
        assert not activity_node(past, "4.1.1-2").cancelled
        assert past.progress == D("31.5625")

    def test_an_activity_added_later_is_not_in_the_past_tree(self, known_in_2018):
        Activity.objects.create(
            objective=objective(known_in_2018, "1.2"),
            code="1.2-2",
            order=2,
            statement="Actividad añadida después.",
        )
        # Today OO 1.2 = (0 + 0) / 2, unchanged; the new activity is there.
        assert "1.2-2" in {n.activity.code for n in tree_of(known_in_2018).activities()}
        past = tree_of(known_in_2018, datetime.date(2018, 12, 31))
        assert "1.2-2" not in {n.activity.code for n in past.activities()}


def test_the_plan_loaded_from_its_file_counts_since_the_plan_started(scenario):
    """The plan file describes the plan since its start: loaded today, its POA
    2018 is still there as of 2019, with the weights of the file (all 1), not
    the ones `scenario` set today."""
    tree = tree_of(scenario, datetime.date(2019, 6, 30))
    assert len(list(tree.activities())) == 13
    assert objective_node(tree, "4.1.1").weight == D(1)
    # OO 4.1.1 = (60 + 100) / 2 = 80; SO 4.1 = (80 + 40 + 5) / 3 = 125/3;
    # POA = (40 + 15 + 25 + 125/3) / 4 = 365/12 = 30.4166…
    assert objective_node(tree, "4.1.1").progress == D(80)
    assert tree.progress.quantize(D("0.0001")) == D("30.4167")


class TestBiennium:
    @pytest.fixture
    def poa_2019(self, plan):
        """A small POA 2019: one objective under SO 1, one activity at 80 %."""
        poa = OperatingPlan.objects.create(plan=plan, year=2019, name="POA 2019 de prueba")
        strategic = StrategicObjective.objects.get(axis__plan=plan, code="1")
        objective = OperationalObjective.objects.create(
            operating_plan=poa,
            strategic_objective=strategic,
            code="1.1",
            order=1,
            statement="Objetivo de prueba.",
        )
        Activity.objects.create(objective=objective, code="1.1-1", order=1, statement="Prueba.")
        return poa

    def test_it_is_the_mean_of_its_poas_weighted_by_their_weight(
        self, scenario, poa_2019, validated_report
    ):
        q1 = actions.create_quarterly_periods(operating_plan=poa_2019)[0]
        validated_report(poa_2019.objectives.get().activities.get(), q1, 80)
        set_weight(scenario, 3)
        trees = rollup.execution_trees(poas=[scenario, poa_2019], as_of=TODAY())
        assert [t.progress for t in trees] == [D("31.5625"), D(80)]
        # (3×31.5625 + 1×80) / 4 = 174.6875 / 4 = 43.671875
        assert rollup.biennium_progress(trees) == D("43.671875")

    def test_a_poa_without_progress_is_left_out(self, scenario, poa_2019):
        cancel(poa_2019.objectives.get().activities.get())
        trees = rollup.execution_trees(poas=[scenario, poa_2019], as_of=TODAY())
        assert trees[1].progress is None
        assert rollup.biennium_progress(trees) == D("31.5625")


class TestQueryCount:
    def grow(self, poa, periods):
        """40 more activities spread over the POA's objectives, 100 more reports."""
        objectives = list(poa.objectives.order_by("order"))
        added = Activity.objects.bulk_create(
            Activity(
                objective=objectives[n % len(objectives)],
                code=f"X-{n}",
                order=100 + n,
                statement=f"Actividad sintética {n}",
            )
            for n in range(40)
        )
        moment = timezone.now()
        ProgressReport.objects.bulk_create(
            ProgressReport(
                activity=added[n % 40],
                period=periods[n // 40],
                percent=D(10 + n % 80),
                status=ReportStatus.VALIDATED,
                reviewed_at=moment,
            )
            for n in range(100)
        )
        recompute()  # bulk_create sends no signal

    def test_it_does_not_grow_with_activities_and_reports(
        self, scenario, periods, django_assert_max_num_queries
    ):
        with CaptureQueriesContext(connection) as before:
            tree_of(scenario)
        self.grow(scenario, periods)
        with django_assert_max_num_queries(QUERY_BOUND):
            tree = tree_of(scenario)
        assert len(list(tree.activities())) == 13 + 40
        recompute()
        with CaptureQueriesContext(connection) as after:
            tree_of(scenario)
        assert len(after) == len(before)

    def test_as_of_a_past_date_it_does_not_grow_either(
        self, scenario, periods, django_assert_max_num_queries
    ):
        as_known_since(scenario, aware("2018-01-01T08:00"))
        past = datetime.date(2018, 12, 31)
        with CaptureQueriesContext(connection) as before:
            tree_of(scenario, past)
        self.grow(scenario, periods)
        with django_assert_max_num_queries(QUERY_BOUND_PAST):
            tree_of(scenario, past)
        recompute()
        with CaptureQueriesContext(connection) as after:
            tree_of(scenario, past)
        assert len(after) == len(before)

    def test_several_poas_take_the_same_number_of_queries(
        self, scenario, plan, django_assert_max_num_queries
    ):
        other = OperatingPlan.objects.create(plan=plan, year=2019, name="POA 2019 de prueba")
        with django_assert_max_num_queries(QUERY_BOUND):
            rollup.execution_trees(poas=[scenario, other], as_of=TODAY())


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the DISTINCT ON statement runs on PostgreSQL"
)
@pytest.mark.parametrize(
    "as_of", [datetime.date(2018, 9, 30), datetime.date(2018, 12, 31), None], ids=str
)
def test_on_postgresql_both_statements_pick_the_same_latest_reports(
    scenario, periods, validated_report, mini_plan, monkeypatch, as_of
):
    """PostgreSQL reads the latest reports in one DISTINCT ON pass, SQLite
    with correlated subqueries (ADR 22): on the same data both give the same
    rows — a report validated later for an earlier period, a country's part
    beside a report of the whole activity, another POA's reports, dates
    before and after the validations."""
    q1, _q2, q3, q4 = periods
    reported = activity(scenario, "4.1.2-1")  # 40 for Q2 (the scenario)
    validated_report(reported, q1, 70, on=q4.due)  # validated later, of an earlier period
    shared = activity(scenario, "3.2.1-1")
    validated_report(shared, q3, 75, country=Country.objects.get(code="CR"))
    validated_report(shared, q1, 10)  # the whole activity, beside the countries' parts
    other = mini_plan.operating_plans.order_by("year").first()  # not asked about
    [other_q1, *_] = actions.create_quarterly_periods(operating_plan=other)
    validated_report(Activity.objects.filter(objective__operating_plan=other).first(), other_q1, 30)
    poa_ids = [scenario.pk]
    as_of = as_of or TODAY()

    in_one_pass = rollup.latest_reports(poa_ids=poa_ids, as_of=as_of)
    monkeypatch.setattr(connection, "vendor", "sqlite")  # the subqueries: valid SQL here too
    by_subqueries = rollup.latest_reports(poa_ids=poa_ids, as_of=as_of)

    assert in_one_pass == by_subqueries
    assert {activity_id for activity_id, _country in in_one_pass} <= set(
        Activity.objects.filter(objective__operating_plan=scenario).values_list("pk", flat=True)
    )
    if as_of >= q4.due:
        assert in_one_pass[(reported.pk, None)].percent == D(40)  # the later period's
