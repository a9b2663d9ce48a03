"""Indicator values "as of" a date, wired to the pure rules of formulas."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from coalicion.monitoring import computations, formulas, rollup
from coalicion.monitoring.computations import Computed
from coalicion.monitoring.formulas import Pace
from coalicion.monitoring.indicators import (
    indicator_rows,
    indicator_series,
    indicator_status,
    indicators_as_of,
    validated_values,
)
from coalicion.monitoring.models import IndicatorValue, ReportStatus
from coalicion.plans.models import Indicator, MilestoneStage

pytestmark = pytest.mark.django_db


def _moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def make_value(indicator, year, *, country=None, value=None, stage=None, on=None, status=None):
    """A value validated on `on` (default: 1 March of the next year)."""
    on = on or datetime.date(year + 1, 3, 1)
    status = status or ReportStatus.VALIDATED
    return IndicatorValue.objects.create(
        indicator=indicator,
        year=year,
        country=country,
        value=None if value is None else Decimal(value),
        stage=stage,
        status=status,
        submitted_at=_moment(on),
        reviewed_at=_moment(on) if status == ReportStatus.VALIDATED else None,
    )


def make_manual(plan, code, **fields):
    indicator = Indicator.objects.select_related("result__objective__axis__plan").get(
        result__objective__axis__plan=plan, code=code
    )
    indicator.source = Indicator.Source.MANUAL
    indicator.computation = ""
    for name, value in fields.items():
        setattr(indicator, name, value)
    indicator.save()
    return indicator


@pytest.fixture
def national_strategies(plan):
    """Indicator 2.1 (count, disaggregated by country), made manual: 0 in 2018 → 9 in 2027."""
    return make_manual(
        plan,
        "2.1",
        baseline_value=Decimal(0),
        baseline_year=2018,
        target_value=Decimal(9),
        target_year=2027,
    )


@pytest.fixture
def regional_strategy(plan):
    """Indicator 1a (milestone, regional), made manual."""
    return make_manual(plan, "1a")


@pytest.fixture
def stages(plan):
    return {stage.code: stage for stage in MilestoneStage.objects.filter(plan=plan)}


@pytest.fixture
def registered():
    """Register test computations in place of any registered under the same
    name (an app's real one); restore the registry afterwards."""
    previous = {}

    def register(name, function):
        previous.setdefault(name, computations.get(name))
        computations.unregister(name)
        computations.register(name)(function)

    yield register
    for name, function in previous.items():
        computations.unregister(name)
        if function is not None:
            computations.register(name)(function)


def test_a_count_sums_the_countries_values_of_the_latest_year(national_strategies, terms):
    make_value(national_strategies, 2019, country=terms["CR"], value=2)
    make_value(national_strategies, 2019, country=terms["GT"], value=1)
    make_value(national_strategies, 2020, country=terms["CR"], value=4)
    make_value(national_strategies, 2020, country=terms["HN"], value=1)

    status = indicator_status(indicator=national_strategies, as_of=datetime.date(2021, 6, 30))

    assert status.current == Decimal(5)
    assert status.current_year == 2020
    assert status.source == "manual" and status.available


def test_a_country_gets_its_own_latest_value(national_strategies, terms):
    make_value(national_strategies, 2019, country=terms["GT"], value=1)
    make_value(national_strategies, 2020, country=terms["CR"], value=4)

    status = indicator_status(
        indicator=national_strategies, as_of=datetime.date(2021, 6, 30), country=terms["GT"]
    )

    assert status.current == Decimal(1)
    assert status.current_year == 2019


def test_achievement_expected_value_and_pace_come_from_the_rules(national_strategies, terms):
    make_value(national_strategies, 2020, country=terms["CR"], value=4)
    as_of = datetime.date(2021, 6, 30)

    status = indicator_status(indicator=national_strategies, as_of=as_of)

    # 4 of 9: 44.4 %; 2 were expected at the end of 2020 and 3 at the end of
    # 2021 (one a year from the end of 2018), so about 2.5 by mid-2021: ahead.
    assert status.achievement.quantize(Decimal("0.1")) == Decimal("44.4")
    assert status.expected == formulas.expected_value(
        baseline=Decimal(0), baseline_year=2018, target=Decimal(9), target_year=2027, as_of=as_of
    )
    assert Decimal("2.49") < status.expected < Decimal("2.50")
    assert status.pace == Pace.AHEAD


def test_a_value_behind_the_expected_pace_is_behind(national_strategies, terms):
    make_value(national_strategies, 2024, country=terms["CR"], value=2)

    status = indicator_status(indicator=national_strategies, as_of=datetime.date(2025, 6, 30))

    assert status.pace == Pace.BEHIND
    assert status.state == "in_progress"


def test_an_indicator_that_decreases_is_mirrored(plan, terms):
    indicator = make_manual(
        plan,
        "3.1",
        direction=Indicator.Direction.DECREASE,
        baseline_value=Decimal(10),
        baseline_year=2018,
        target_value=Decimal(0),
        target_year=2027,
    )
    make_value(indicator, 2020, value=5, on=datetime.date(2020, 12, 1))

    status = indicator_status(indicator=indicator, as_of=datetime.date(2021, 1, 1))

    assert status.achievement == Decimal(50)


def test_values_not_validated_do_not_count(national_strategies, terms):
    make_value(national_strategies, 2020, country=terms["CR"], value=4)
    for status in (ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.RETURNED):
        make_value(national_strategies, 2021, country=terms["CR"], value=7, status=status)
        IndicatorValue.objects.filter(year=2021).delete()
    make_value(national_strategies, 2021, country=terms["GT"], value=7, status="submitted")

    status = indicator_status(indicator=national_strategies, as_of=datetime.date(2022, 6, 30))

    assert status.current == Decimal(4)


def test_a_value_validated_after_the_date_is_not_known_then(national_strategies, terms):
    make_value(
        national_strategies, 2020, country=terms["CR"], value=4, on=datetime.date(2021, 2, 1)
    )

    before = indicator_status(indicator=national_strategies, as_of=datetime.date(2021, 1, 31))
    after = indicator_status(indicator=national_strategies, as_of=datetime.date(2021, 2, 1))

    assert before.current is None and before.achievement is None and before.state == "no_value"
    assert after.current == Decimal(4)


def test_a_milestone_takes_the_percentage_of_its_stage(regional_strategy, stages):
    make_value(regional_strategy, 2019, stage=stages["drafted"])
    make_value(regional_strategy, 2021, stage=stages["approved"], on=datetime.date(2021, 11, 1))

    status = indicator_status(indicator=regional_strategy, as_of=datetime.date(2022, 1, 1))

    assert status.stage == stages["approved"]
    assert status.achievement == Decimal(75)
    # The plan states no baseline for it: nothing is expected, no pace.
    assert status.expected is None and status.pace is None


def test_a_milestone_with_a_baseline_moves_on_its_stage_scale(regional_strategy, stages):
    regional_strategy.baseline_value, regional_strategy.baseline_year = Decimal(0), 2017
    regional_strategy.save()
    make_value(regional_strategy, 2021, stage=stages["approved"], on=datetime.date(2021, 11, 1))

    status = indicator_status(indicator=regional_strategy, as_of=datetime.date(2022, 12, 31))

    # From 0 at the end of 2017 to 100 (no target stated) at the end of 2027.
    assert status.expected == Decimal(50)
    assert status.pace == Pace.AHEAD


def test_a_computed_indicator_takes_its_registered_computation(plan, registered, terms):
    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="4.1a")
    indicator.target_value, indicator.target_year = Decimal(8), 2027
    calls = []

    def alliances(*, indicator, as_of, country=None):
        calls.append((as_of, country))
        return Computed(value=Decimal(2), records=["alianza A", "alianza B"])

    registered(indicator.computation, alliances)

    status = indicator_status(indicator=indicator, as_of=datetime.date(2024, 5, 1))

    assert status.source == "computed" and status.available
    assert status.current == Decimal(2)
    assert status.records == ["alianza A", "alianza B"]
    assert status.achievement == Decimal(25)
    assert calls == [(datetime.date(2024, 5, 1), None)]


def test_a_computed_milestone_takes_the_stage_percent_of_the_computation(plan, registered):
    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="4.2")
    registered(
        indicator.computation,
        lambda **kw: Computed(value=None, stage_percent=Decimal(50), stage_name="Elaborada"),
    )

    status = indicator_status(indicator=indicator, as_of=datetime.date(2024, 5, 1))

    assert status.achievement == Decimal(50)
    assert status.stage_name == "Elaborada"
    assert status.state == "in_progress"


def test_a_computation_not_registered_is_not_available(plan, monkeypatch):
    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="4.3a")
    monkeypatch.delitem(computations._REGISTRY, indicator.computation, raising=False)

    status = indicator_status(indicator=indicator, as_of=datetime.date(2024, 5, 1))

    assert status.available is False
    assert status.current is None and status.achievement is None
    assert status.state == "unavailable"


def test_rows_cover_every_indicator_with_its_values_per_year(plan, national_strategies, terms):
    make_value(national_strategies, 2019, country=terms["CR"], value=2)
    make_value(national_strategies, 2020, country=terms["CR"], value=3)

    rows = indicator_rows(plan=plan, as_of=datetime.date(2021, 6, 30))

    assert len(rows) == Indicator.objects.filter(result__objective__axis__plan=plan).count()
    row = next(r for r in rows if r.indicator.pk == national_strategies.pk)
    values = {y.year: y.value for y in row.years}
    assert list(values) == list(range(2018, 2028))
    assert values[2019] == Decimal(2) and values[2020] == Decimal(3) and values[2021] is None


def test_rows_can_be_limited_to_an_axis(plan):
    rows = indicator_rows(plan=plan, as_of=datetime.date(2021, 6, 30), axis_code="4")

    assert rows and {r.indicator.result.objective.axis.code for r in rows} == {"4"}


def test_rows_take_a_fixed_number_of_queries(plan, terms, django_assert_max_num_queries):
    def build(codes, years):
        for code in codes:
            indicator = make_manual(plan, code, baseline_value=0, target_value=5)
            for year in years:
                for country in ("CR", "GT", "HN"):
                    make_value(indicator, year, country=terms[country], value=year - 2017)
                    if not indicator.disaggregated_by_country:
                        break

    # Manual indicators: 3 queries whatever their number and their values'.
    # Computed ones cost what their computations cost, once for the current
    # value and once for every year (`many`): 4 for the meetings app's 4.3a
    # (agreements and status changes, twice), what 4.3b's meetings and
    # presences need, 1 or 2 for
    # each of cooperation's (1, 2, 2.2, 2.3, 3.1, 3.2.1, 4.1a, 4.1b and 4.2).
    build(["2.1"], [2019])
    with django_assert_max_num_queries(28) as small:
        indicator_rows(plan=plan, as_of=datetime.date(2025, 1, 1))
    allowed = len(small.captured_queries)
    build(["2.2", "3.1", "3.2.1", "4.1a"], range(2018, 2025))
    with django_assert_max_num_queries(allowed):
        indicator_rows(plan=plan, as_of=datetime.date(2025, 1, 1))


def test_validated_values_can_be_passed_pre_grouped(national_strategies, terms):
    make_value(national_strategies, 2019, country=terms["CR"], value=2)
    as_of = datetime.date(2020, 6, 1)
    values = validated_values(indicator_ids=[national_strategies.pk], as_of=as_of)

    status = indicator_status(indicator=national_strategies, as_of=as_of, values=values)

    assert status.current == Decimal(2)


def test_the_series_runs_from_baseline_to_target_with_the_expected_line(national_strategies, terms):
    make_value(national_strategies, 2019, country=terms["CR"], value=2)
    make_value(national_strategies, 2024, country=terms["CR"], value=6)

    series = indicator_series(indicator=national_strategies, as_of=datetime.date(2022, 1, 1))

    assert [p["year"] for p in series] == list(range(2018, 2028))
    by_year = {p["year"]: p for p in series}
    assert by_year[2019]["value"] == Decimal(2)
    assert by_year[2024]["value"] is None  # not known on the date asked
    assert by_year[2027]["expected"] == Decimal(9)
    assert by_year[2019]["achievement"] == formulas.achievement(
        kind="count", direction="increase", baseline=Decimal(0), target=Decimal(9), current=2
    )


def test_the_series_of_a_computed_indicator_asks_at_each_year_end(plan, registered):
    indicator = Indicator.objects.get(result__objective__axis__plan=plan, code="4.1b")
    registered(indicator.computation, lambda *, as_of, **kw: Computed(value=Decimal(as_of.year)))

    series = indicator_series(indicator=indicator, as_of=datetime.date(2020, 5, 1))

    values = {p["year"]: p["value"] for p in series}
    assert values[2018] == 2018 and values[2020] == 2020 and values[2021] is None


def test_the_plan_as_it_was_gives_the_target_of_the_date(national_strategies):
    Indicator.history.filter(id=national_strategies.pk).update(
        history_date=_moment(datetime.date(2019, 1, 1))
    )
    national_strategies.target_value = Decimal(20)
    national_strategies.save()

    [then] = indicators_as_of(indicators=[national_strategies], as_of=datetime.date(2020, 1, 1))
    [now] = indicators_as_of(indicators=[national_strategies], as_of=timezone.localdate())

    assert then.target_value == Decimal(9)
    assert now.target_value == Decimal(20)
    assert national_strategies.target_value == Decimal(20)


def test_a_country_filter_rolls_up_its_own_activities_by_the_same_rule(
    poa, periods, cr_activity, validated_report, terms
):
    validated_report(cr_activity, periods[1], 40)
    [tree] = rollup.execution_trees(poas=[poa], as_of=timezone.localdate())

    mine = rollup.restrict_tree(tree, country_id=terms["CR"].pk)

    # Its own activity (3.1.1-1, 40 %) and its parts of the three activities
    # of the national bodies (none reported: 0): axis 2 = 0, axis 3 =
    # (SO 3.1 = 40 + SO 3.2 = 0) / 2 = 20, so Costa Rica's POA = 10.
    activities = {a.activity.code: a for a in mine.activities()}
    assert sorted(activities) == ["2.1.2-1", "2.1.3-1", "3.1.1-1", "3.2.1-1"]
    assert activities["3.1.1-1"].part_of is None
    assert activities["3.2.1-1"].part_of.code == "CR"
    assert [(a.axis.code, a.progress) for a in mine.axes] == [("2", 0), ("3", 20)]
    assert mine.progress == Decimal(10)
