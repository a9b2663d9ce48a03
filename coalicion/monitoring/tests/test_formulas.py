"""The pure rules of SPEC §3 (coalicion/monitoring/formulas.py): worked
examples computed by hand, then properties checked with hypothesis."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from coalicion.monitoring.formulas import (
    ActivityStatus,
    Child,
    Pace,
    ReportFact,
    achievement,
    activity_progress,
    activity_status,
    expected_value,
    pace,
    weighted_progress,
)
from coalicion.plans.models import MilestoneStage

D = Decimal


def fact(period_end, validated_on, percent):
    return ReportFact(
        period_end=datetime.date.fromisoformat(period_end),
        validated_on=datetime.date.fromisoformat(validated_on),
        percent=D(percent),
    )


def day(iso):
    return datetime.date.fromisoformat(iso)


# --- Worked examples: activity progress --------------------------------------

Q1 = fact("2018-03-31", "2018-04-10", "20")
Q2 = fact("2018-06-30", "2018-07-10", "45")
Q3 = fact("2018-09-30", "2018-10-12", "70")


class TestActivityProgress:
    def test_it_is_the_latest_validated_report_whose_period_ended_by_the_date(self):
        assert activity_progress([Q1, Q2, Q3], day("2018-07-15")) == D("45")

    def test_the_order_of_the_reports_does_not_matter(self):
        assert activity_progress([Q3, Q1, Q2], day("2018-12-31")) == D("70")

    def test_a_report_validated_after_the_date_is_not_known_yet(self):
        # Q2 ended on 30 June but was validated on 10 July: on 5 July only Q1 counts.
        assert activity_progress([Q1, Q2], day("2018-07-05")) == D("20")

    def test_a_period_still_running_on_the_date_does_not_count(self):
        early = fact("2018-06-30", "2018-03-01", "90")  # validated early, period not over
        assert activity_progress([Q1, early], day("2018-05-01")) == D("20")

    def test_before_any_report_the_progress_is_zero(self):
        assert activity_progress([Q1, Q2], day("2018-04-09")) == D("0")
        assert activity_progress([], day("2030-01-01")) == D("0")

    def test_the_latest_report_counts_even_when_lower_than_an_earlier_one(self):
        corrected = fact("2018-06-30", "2018-07-10", "15")
        assert activity_progress([Q1, corrected], day("2018-12-31")) == D("15")

    def test_a_report_on_the_date_itself_counts(self):
        assert activity_progress([Q1], day("2018-04-10")) == D("20")


# --- Worked examples: the weighted roll-up ----------------------------------


class TestWeightedProgress:
    def test_it_is_the_weighted_mean_of_the_children(self):
        # (1×50 + 2×20 + 1×80) / (1 + 2 + 1) = 170 / 4 = 42.5
        children = [Child(D(1), D(50)), Child(D(2), D(20)), Child(D(1), D(80))]
        assert weighted_progress(children) == D("42.5")

    def test_fractional_weights(self):
        # (0.5×100 + 1.5×0) / 2 = 25
        assert weighted_progress([Child(D("0.5"), D(100)), Child(D("1.5"), D(0))]) == D(25)

    def test_cancelled_children_are_left_out_of_both_sums(self):
        children = [
            Child(D(1), D(50)),
            Child(D(2), D(20)),
            Child(D(1), D(80)),
            Child(D(5), D(100), cancelled=True),
        ]
        assert weighted_progress(children) == D("42.5")

    def test_children_without_progress_are_left_out(self):
        children = [Child(D(1), D(60)), Child(D(3), None)]
        assert weighted_progress(children) == D(60)

    def test_a_parent_whose_children_are_all_cancelled_has_no_progress(self):
        children = [Child(D(1), D(50), cancelled=True), Child(D(2), D(0), cancelled=True)]
        assert weighted_progress(children) is None

    def test_a_parent_without_children_has_no_progress(self):
        assert weighted_progress([]) is None

    def test_zero_weights_give_no_progress_rather_than_an_error(self):
        assert weighted_progress([Child(D(0), D(50)), Child(D(0), D(70))]) is None

    def test_children_at_zero_count_as_zero(self):
        # Zero is a progress, unlike None: (1×0 + 1×100) / 2 = 50.
        assert weighted_progress([Child(D(1), D(0)), Child(D(1), D(100))]) == D(50)


# --- Worked examples: the status of an activity -----------------------------


class TestActivityStatus:
    AS_OF = day("2018-07-01")

    def status(self, progress, end="2018-12-31", cancelled=False):
        return activity_status(
            progress=D(progress),
            end=day(end) if end else None,
            cancelled=cancelled,
            as_of=self.AS_OF,
        )

    def test_not_started(self):
        assert self.status(0) == ActivityStatus.NOT_STARTED

    def test_in_progress(self):
        assert self.status("0.01") == ActivityStatus.IN_PROGRESS
        assert self.status("99.99") == ActivityStatus.IN_PROGRESS

    def test_completed_at_100_even_past_its_end(self):
        assert self.status(100) == ActivityStatus.COMPLETED
        assert self.status(100, end="2018-03-31") == ActivityStatus.COMPLETED

    def test_delayed_when_its_end_has_passed_below_100(self):
        assert self.status(60, end="2018-06-30") == ActivityStatus.DELAYED
        assert self.status(0, end="2018-06-30") == ActivityStatus.DELAYED

    def test_not_delayed_on_its_last_day(self):
        assert self.status(60, end="2018-07-01") == ActivityStatus.IN_PROGRESS

    def test_without_an_end_date_it_is_never_delayed(self):
        assert self.status(10, end=None) == ActivityStatus.IN_PROGRESS

    def test_cancelled_wins_over_everything(self):
        assert self.status(100, cancelled=True) == ActivityStatus.CANCELLED
        assert self.status(10, end="2018-01-31", cancelled=True) == ActivityStatus.CANCELLED


# --- Worked examples: achievement --------------------------------------------


def achieve(current, baseline="10", target="30", direction="increase", kind="count"):
    return achievement(
        kind=kind,
        direction=direction,
        baseline=None if baseline is None else D(baseline),
        target=None if target is None else D(target),
        current=None if current is None else D(current),
    )


class TestAchievement:
    def test_increase_is_the_share_of_the_way_from_baseline_to_target(self):
        # (20 − 10) / (30 − 10) = 0.5 → 50 %
        assert achieve("20") == D(50)
        assert achieve("15") == D(25)

    def test_increase_is_clamped_between_0_and_100(self):
        assert achieve("45") == D(100)
        assert achieve("5") == D(0)

    def test_a_percentage_indicator_follows_the_same_formula(self):
        assert achieve("40", baseline="20", target="60", kind="percentage") == D(50)

    def test_decrease_is_mirrored(self):
        # Baseline 30, target 10: current 20 is half way → 50 %.
        assert achieve("20", baseline="30", target="10", direction="decrease") == D(50)
        assert achieve("25", baseline="30", target="10", direction="decrease") == D(25)
        assert achieve("5", baseline="30", target="10", direction="decrease") == D(100)
        assert achieve("35", baseline="30", target="10", direction="decrease") == D(0)

    def test_target_equal_to_baseline_gives_100_once_reached(self):
        assert achieve("5", baseline="5", target="5") == D(100)
        assert achieve("6", baseline="5", target="5") == D(100)
        assert achieve("4", baseline="5", target="5") == D(0)

    def test_target_equal_to_baseline_when_decreasing(self):
        assert achieve("5", baseline="5", target="5", direction="decrease") == D(100)
        assert achieve("4", baseline="5", target="5", direction="decrease") == D(100)
        assert achieve("6", baseline="5", target="5", direction="decrease") == D(0)

    def test_a_missing_baseline_counts_as_zero(self):
        assert achieve("1", baseline=None, target="4") == D(25)

    def test_without_a_current_value_or_a_target_it_cannot_be_known(self):
        assert achieve(None) is None
        assert achieve("20", target=None) is None

    def test_a_milestone_takes_the_percentage_of_its_stage(self):
        result = achievement(
            kind="milestone",
            direction="increase",
            baseline=None,
            target=None,
            current=None,
            stage_percent=D(75),
        )
        assert result == D(75)

    def test_a_milestone_without_a_stage_cannot_be_known(self):
        assert (
            achievement(
                kind="milestone", direction="increase", baseline=None, target=None, current=None
            )
            is None
        )

    def test_the_stage_scale_is_plan_data(self, plan):
        stages = MilestoneStage.objects.filter(plan=plan).order_by("order")
        scale = {stage.code: stage.percent for stage in stages}
        assert scale == {
            "not_started": D(0),
            "in_preparation": D(25),
            "drafted": D(50),
            "approved": D(75),
            "implemented": D(100),
        }
        drafted = stages.get(code="drafted")
        assert achievement(
            kind="milestone",
            direction="increase",
            baseline=None,
            target=None,
            current=None,
            stage_percent=drafted.percent,
        ) == D(50)


# --- Worked examples: expected value and pace ---------------------------------


def expect(as_of, baseline="10", baseline_year=2020, target="30", target_year=2021):
    return expected_value(
        baseline=None if baseline is None else D(baseline),
        baseline_year=baseline_year,
        target=None if target is None else D(target),
        target_year=target_year,
        as_of=day(as_of),
    )


class TestExpectedValue:
    """SPEC §3: the baseline at the end of the baseline year, the target at
    the end of the target year, equal steps at each year's end and days in
    between. Here baseline 10 (2019) → target 30 (2021): 20 at the end of 2020."""

    def test_it_is_the_baseline_at_the_end_of_the_baseline_year(self):
        assert expect("2019-12-31", baseline_year=2019) == D(10)

    def test_each_year_end_takes_its_share_of_the_way(self):
        assert expect("2020-12-31", baseline_year=2019) == D(20)
        assert expect("2021-12-31", baseline_year=2019) == D(30)

    def test_the_spec_example_expects_half_way_at_the_end_of_2022(self):
        # Baseline 0 in 2017, target 9 in 2027: 4.5 at the end of 2022.
        assert expect(
            "2022-12-31", baseline="0", baseline_year=2017, target="9", target_year=2027
        ) == D("4.5")
        assert expect(
            "2017-12-31", baseline="0", baseline_year=2017, target="9", target_year=2027
        ) == D(0)

    def test_between_two_year_ends_it_is_interpolated_by_days(self):
        # 1 April 2020 is 92 days after 31 December 2019, of 366 (2020 is a leap year).
        assert expect("2020-04-01", baseline_year=2019) == D(10) + D(10) * (D(92) / D(366))

    def test_it_stays_at_the_baseline_before_and_at_the_target_after(self):
        assert expect("2019-06-30", baseline_year=2019) == D(10)
        assert expect("2025-06-30", baseline_year=2019) == D(30)

    def test_it_goes_down_for_a_decrease(self):
        assert expect("2020-12-31", baseline="30", baseline_year=2019, target="10") == D(20)

    def test_without_a_baseline_nothing_is_expected(self):
        assert expect("2020-12-31", baseline=None, target="8") is None

    def test_without_target_or_years_it_cannot_be_known(self):
        assert expect("2020-12-31", target=None) is None
        assert expect("2020-12-31", target_year=None) is None
        assert expect("2020-12-31", baseline_year=None) is None

    def test_a_target_year_before_the_baseline_year_gives_the_target_once_it_ends(self):
        assert expect("2020-06-30", baseline_year=2021, target_year=2020) == D(10)
        assert expect("2020-12-31", baseline_year=2021, target_year=2020) == D(30)


def verdict(current, expected, baseline="0", direction="increase"):
    return pace(
        baseline=None if baseline is None else D(baseline),
        expected=None if expected is None else D(expected),
        current=None if current is None else D(current),
        direction=direction,
    )


class TestPace:
    def test_ahead_beyond_the_expected_value(self):
        assert verdict("12", "10") == Pace.AHEAD

    def test_on_track_at_the_expected_value(self):
        assert verdict("10", "10") == Pace.ON_TRACK

    def test_on_track_at_85_percent_of_the_expected_progress(self):
        assert verdict("8.5", "10") == Pace.ON_TRACK
        # From a baseline of 20 toward an expected 40: 85 % of 20 is 17 → 37.
        assert verdict("37", "40", baseline="20") == Pace.ON_TRACK

    def test_behind_below_85_percent(self):
        assert verdict("8.49", "10") == Pace.BEHIND
        assert verdict("36.99", "40", baseline="20") == Pace.BEHIND

    def test_decrease_is_mirrored(self):
        # Baseline 100, expected 80 by now: 20 of progress expected; 85 % is 17 → 83.
        assert verdict("75", "80", baseline="100", direction="decrease") == Pace.AHEAD
        assert verdict("83", "80", baseline="100", direction="decrease") == Pace.ON_TRACK
        assert verdict("84", "80", baseline="100", direction="decrease") == Pace.BEHIND

    def test_while_only_the_baseline_is_expected_it_is_on_track_once_reached(self):
        assert verdict("0", "0") == Pace.ON_TRACK
        assert verdict("1", "0") == Pace.ON_TRACK
        assert verdict("-1", "0") == Pace.BEHIND
        assert verdict("5", "5", baseline="5", direction="decrease") == Pace.ON_TRACK
        assert verdict("6", "5", baseline="5", direction="decrease") == Pace.BEHIND

    def test_without_a_baseline_it_cannot_be_known(self):
        assert verdict("9", "10", baseline=None) is None

    def test_without_an_expected_or_current_value_it_cannot_be_known(self):
        assert verdict(None, "10") is None
        assert verdict("5", None) is None

    def test_pace_of_an_expected_value_from_the_interpolation(self):
        # Baseline 0 (2019) → target 100 (2021); on 31 Dec 2020, 50 is expected.
        expected = expected_value(
            baseline=D(0),
            baseline_year=2019,
            target=D(100),
            target_year=2021,
            as_of=day("2020-12-31"),
        )
        assert expected == D(50)
        assert pace(baseline=D(0), expected=expected, current=D(43), direction="increase") == (
            Pace.ON_TRACK
        )
        assert pace(baseline=D(0), expected=expected, current=D(42), direction="increase") == (
            Pace.BEHIND
        )


# --- Properties ----------------------------------------------------------------

percents = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
weights = st.decimals(
    min_value=D("0.01"), max_value=1000, places=2, allow_nan=False, allow_infinity=False
)
factors = st.decimals(
    min_value=D("0.01"), max_value=100, places=2, allow_nan=False, allow_infinity=False
)
values = st.decimals(
    min_value=-10_000, max_value=10_000, places=2, allow_nan=False, allow_infinity=False
)
children_lists = st.lists(
    st.builds(Child, weight=weights, progress=percents, cancelled=st.booleans()),
    min_size=1,
    max_size=20,
)
dates = st.dates(min_value=datetime.date(2018, 1, 1), max_value=datetime.date(2030, 12, 31))


@st.composite
def report_facts(draw):
    period_end = draw(dates)
    validated_on = period_end + datetime.timedelta(days=draw(st.integers(0, 60)))
    return ReportFact(period_end=period_end, validated_on=validated_on, percent=draw(percents))


@given(children_lists)
def test_the_roll_up_lies_between_its_counted_childrens_min_and_max(children):
    counted = [c.progress for c in children if not c.cancelled]
    result = weighted_progress(children)
    if not counted:
        assert result is None
    else:
        assert min(counted) <= result <= max(counted)


@given(children_lists, factors)
def test_scaling_all_weights_by_the_same_factor_changes_nothing(children, factor):
    scaled = [Child(c.weight * factor, c.progress, c.cancelled) for c in children]
    assert weighted_progress(scaled) == weighted_progress(children)


@given(children_lists, weights, percents)
def test_adding_a_cancelled_child_changes_nothing(children, weight, progress):
    with_cancelled = [*children, Child(weight, progress, cancelled=True)]
    assert weighted_progress(with_cancelled) == weighted_progress(children)


@given(children_lists, st.sampled_from([D(0), D(100)]))
def test_children_all_at_the_same_progress_give_that_progress(children, progress):
    same = [Child(c.weight, progress, c.cancelled) for c in children]
    result = weighted_progress(same)
    if all(c.cancelled for c in children):
        assert result is None
    else:
        assert result == progress


@given(st.lists(report_facts(), max_size=12))
def test_as_of_a_date_before_any_report_the_progress_is_zero(reports):
    earliest = min([r.period_end for r in reports], default=datetime.date(2018, 1, 1))
    assert activity_progress(reports, earliest - datetime.timedelta(days=1)) == D(0)


@given(st.lists(report_facts(), min_size=1, max_size=12), dates)
def test_activity_progress_is_one_of_the_known_reports(reports, as_of):
    known = [r.percent for r in reports if r.period_end <= as_of and r.validated_on <= as_of]
    result = activity_progress(reports, as_of)
    assert result in known if known else result == D(0)


@given(values, values, values, st.sampled_from(["increase", "decrease"]))
def test_achievement_always_lies_between_0_and_100(baseline, target, current, direction):
    result = achievement(
        kind="count", direction=direction, baseline=baseline, target=target, current=current
    )
    assert result is not None
    assert D(0) <= result <= D(100)


@given(values, values, values, values)
def test_achievement_grows_with_the_current_value_for_an_increase(baseline, target, one, other):
    assume(target > baseline)
    low, high = sorted([one, other])

    def of(current):
        return achievement(
            kind="count", direction="increase", baseline=baseline, target=target, current=current
        )

    assert of(low) <= of(high)


@given(values, values, values, values)
def test_achievement_shrinks_with_the_current_value_for_a_decrease(baseline, target, one, other):
    assume(target < baseline)
    low, high = sorted([one, other])

    def of(current):
        return achievement(
            kind="count", direction="decrease", baseline=baseline, target=target, current=current
        )

    assert of(low) >= of(high)


@given(values, values, dates, st.integers(2015, 2030), st.integers(0, 12))
def test_the_expected_value_lies_between_baseline_and_target(
    baseline, target, as_of, baseline_year, span
):
    result = expected_value(
        baseline=baseline,
        baseline_year=baseline_year,
        target=target,
        target_year=baseline_year + span,
        as_of=as_of,
    )
    assert min(baseline, target) <= result <= max(baseline, target)


@given(values, values, values, values)
def test_pace_never_gets_worse_as_the_current_value_improves(baseline, expected, one, other):
    assume(expected >= baseline)  # an increase expects at least the baseline
    low, high = sorted([one, other])
    order = {Pace.BEHIND: 0, Pace.ON_TRACK: 1, Pace.AHEAD: 2}

    def of(current):
        return order[
            pace(baseline=baseline, expected=expected, current=current, direction="increase")
        ]

    assert of(low) <= of(high)


@pytest.mark.parametrize("direction", ["increase", "decrease"])
def test_reaching_the_target_is_full_achievement(direction):
    baseline, target = (D(10), D(30)) if direction == "increase" else (D(30), D(10))
    assert achievement(
        kind="count", direction=direction, baseline=baseline, target=target, current=target
    ) == D(100)
