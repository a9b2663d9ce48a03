"""The synthetic dataset of the benchmarks: `manage.py seed_synthetic`."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from bench import Context, Measured, Skip
from bench.measurements.monitoring import check_same_figures, matrix_by_sql, matrix_rollup
from bench.measurements.pages import pages
from coalicion.membership.models import Country
from coalicion.monitoring import rollup
from coalicion.monitoring.models import ProgressReport, ReportingPeriod, ReportStatus
from coalicion.plans.models import Activity, OperationalObjective, Responsible

# --years 2 --scale 0.5: 20 activities per POA. POA 2018 keeps its 13 real
# activities and gets 7 synthetic ones; POA 2019 is synthetic with 20.
SMALL = {"years": 2, "scale": 0.5}


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_synthetic", stdout=out, **{**SMALL, **options})
    return out.getvalue()


def snapshot(plan) -> dict:
    return {
        (year, code, number): percent
        for year, code, number, percent in ProgressReport.objects.filter(
            period__operating_plan__plan=plan
        ).values_list("period__operating_plan__year", "activity__code", "period__number", "percent")
    }


def test_it_makes_one_poa_per_year_with_the_objectives_of_poa_2018(plan):
    seed()
    assert list(plan.operating_plans.values_list("year", flat=True)) == [2018, 2019]
    poa_2019 = plan.operating_plans.get(year=2019)
    assert "sintético" in poa_2019.name

    def structure(year):
        return list(
            OperationalObjective.objects.filter(
                operating_plan__plan=plan, operating_plan__year=year
            )
            .order_by("order")
            .values_list("code", "strategic_objective__code")
        )

    assert len(structure(2019)) == 11
    assert structure(2019) == structure(2018)


def test_it_fills_each_poa_to_40_times_the_scale_activities(plan):
    seed()
    per_poa = {
        year: Activity.objects.filter(objective__operating_plan__year=year).count()
        for year in (2018, 2019)
    }
    assert per_poa == {2018: 20, 2019: 20}
    real = Activity.objects.filter(objective__operating_plan__year=2018).exclude(
        code__startswith="S-"
    )
    assert real.count() == 13


def shared_ids(plan) -> set[int]:
    return set(
        Responsible.objects.filter(
            activity__objective__operating_plan__plan=plan, kind="national_bodies"
        ).values_list("activity_id", flat=True)
    )


def test_every_activity_has_a_validated_report_every_quarter(plan):
    output = seed()
    assert ReportingPeriod.objects.filter(operating_plan__plan=plan).count() == 8
    reports = ProgressReport.objects.filter(period__operating_plan__plan=plan)
    assert set(reports.values_list("status", flat=True)) == {ReportStatus.VALIDATED}
    shared = shared_ids(plan)
    whole = reports.exclude(activity_id__in=shared)
    assert whole.filter(country__isnull=False).count() == 0
    assert whole.count() == (40 - len(shared)) * 4
    assert f"{reports.count()} reports" in output


def test_shared_activities_get_most_member_countries_parts(plan):
    seed()
    shared = shared_ids(plan)
    assert len(shared) >= 6  # 3 real and one synthetic in five
    parts = ProgressReport.objects.filter(activity_id__in=shared)
    assert not parts.filter(country__isnull=True).exists()
    per_activity = {}
    for activity_id, country_id in parts.values_list("activity_id", "country_id").distinct():
        per_activity.setdefault(activity_id, set()).add(country_id)
    assert set(per_activity) == shared
    assert all(1 <= len(countries) <= 9 for countries in per_activity.values())
    assert any(len(countries) < 9 for countries in per_activity.values())


def test_the_percents_rise_through_the_year(plan):
    seed()
    by_part = {}
    for activity_id, country_id, percent in (
        ProgressReport.objects.filter(period__operating_plan__plan=plan)
        .order_by("activity_id", "country_id", "period__number")
        .values_list("activity_id", "country_id", "percent")
    ):
        by_part.setdefault((activity_id, country_id), []).append(percent)
    assert len({activity_id for activity_id, _country in by_part}) == 40
    for percents in by_part.values():
        assert percents == sorted(percents)
        assert all(0 < p <= 100 for p in percents)


def test_names_are_synthetic_only(plan):
    seed()
    synthetic = Activity.objects.filter(code__startswith="S-")
    assert synthetic.count() == 27
    assert all(a.statement.startswith("Actividad sintética ") for a in synthetic)
    objectives = OperationalObjective.objects.filter(operating_plan__year=2019)
    assert all(o.statement.startswith("Objetivo operativo sintético ") for o in objectives)


def test_responsible_countries_are_spread_over_the_nine(plan):
    seed()
    countries = Responsible.objects.filter(
        activity__code__startswith="S-", kind="country"
    ).values_list("country__code", flat=True)
    assert set(countries) == set(Country.objects.values_list("code", flat=True))
    assert Country.objects.count() == 9


def test_it_is_idempotent(plan):
    seed()
    before = snapshot(plan)
    output = seed()
    assert "created 0 POAs, 0 operational objectives, 0 activities" in output
    assert snapshot(plan) == before


def test_it_is_deterministic(plan):
    seed()
    first = snapshot(plan)
    seed(reset=True)
    assert snapshot(plan) == first
    seed(reset=True, seed=7)
    assert snapshot(plan) != first


def test_reset_leaves_the_real_plan_alone(plan, poa):
    seed()
    call_command("seed_synthetic", years=1, scale=0.25, reset=True, stdout=StringIO())
    # At scale 0.25 (10 per POA) POA 2018's 13 real activities are enough.
    assert list(plan.operating_plans.values_list("year", flat=True)) == [2018]
    assert not Activity.objects.filter(code__startswith="S-").exists()
    assert Activity.objects.filter(objective__operating_plan=poa).count() == 13
    # Its 10 activities reported as a whole, and the parts of its 3 shared ones.
    assert ProgressReport.objects.filter(country__isnull=True).count() == 10 * 4
    assert ProgressReport.objects.filter(country__isnull=False).count() > 3 * 4


def test_a_larger_scale_adds_to_an_earlier_run(plan):
    seed()
    seed(scale=1)
    assert Activity.objects.filter(objective__operating_plan__year=2019).count() == 40
    reports = ProgressReport.objects.filter(period__operating_plan__plan=plan)
    assert (
        reports.exclude(activity_id__in=shared_ids(plan)).count()
        == (80 - len(shared_ids(plan))) * 4
    )


def test_the_synthetic_plan_is_known_from_the_start_of_its_year(plan):
    seed()
    poa_2019 = plan.operating_plans.get(year=2019)
    [tree] = rollup.execution_trees(poas=[poa_2019], as_of=datetime.date(2019, 12, 31))
    assert len(list(tree.activities())) == 20
    assert tree.progress is not None and tree.progress > 0


@pytest.mark.parametrize(
    ("options", "message"),
    [({"years": 0}, "--years"), ({"scale": 0}, "--scale")],
)
def test_it_refuses_bad_arguments(plan, options, message):
    with pytest.raises(CommandError, match=message):
        seed(**options)


def test_it_refuses_to_run_in_production(plan, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not plan.operating_plans.filter(year=2019).exists()


def test_the_benchmarks_hand_written_sql_gives_the_roll_ups_figures(plan):
    seed(years=3)
    # Some cancellations, so that leaving them out is checked too.
    Activity.objects.filter(code__in=["S-3", "S-4", "S-5"]).update(cancelled=True)
    OperationalObjective.objects.filter(operating_plan__year=2019, code="2.1.1").update(
        cancelled=True
    )
    # As of today (the SQL reads the plan as it is now, not its history).
    today = datetime.date.today()
    trees = rollup.execution_trees(poas=list(plan.operating_plans.all()), as_of=today)
    by_sql = matrix_by_sql(plan=plan, as_of=today)
    assert len([key for key in by_sql if key[0] == "poa"]) == len(trees) == 3
    check_same_figures(trees, by_sql)


def test_the_benchmarks_check_notices_a_different_figure(plan):
    seed()
    trees = rollup.execution_trees(
        poas=list(plan.operating_plans.all()), as_of=datetime.date.today()
    )
    by_sql = matrix_by_sql(plan=plan, as_of=datetime.date.today())
    by_sql[("poa", trees[0].poa.pk, 0)] += 1
    with pytest.raises(AssertionError, match="execution_trees gives"):
        check_same_figures(trees, by_sql)


def test_a_benchmark_line_is_machine_readable():
    line = Measured("matrix", 0.0123456, 5, {"ratio": 2.5}).line("sqlite", scale=10)
    assert line == "BENCH matrix sqlite median_s=0.012346 queries=5 scale=10 ratio=2.500"


def test_the_roll_up_measurement_reports_the_ratio_to_the_sql(plan):
    seed()
    context = Context(backend="sqlite", runs=1, plan=plan, as_of=datetime.date.today())
    measured = matrix_rollup(context)
    assert [m.name for m in measured] == ["matrix_rollup", "matrix_sql"]
    assert measured[0].queries <= 6 and measured[1].queries == 1
    assert measured[0].extra["ratio"] > 0


def test_the_pages_are_measured_whole_as_their_users_see_them(plan, terms, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    seed()
    context = Context(backend="sqlite", runs=1, plan=plan, as_of=datetime.date.today())
    measured = {m.name: m for m in pages(context)}
    assert {"matrix", "matrix_page_sql", "matrix_xlsx", "dashboard", "my_work_focal"} <= set(
        measured
    )
    assert {"my_work_secretariat", "public_plan", "public_poa"} <= set(measured)
    assert measured["matrix"].extra["ratio"] > 0
    assert measured["matrix"].extra["live"] == 12
    # Execution figures, validated values, computed indicators: one statement each.
    assert measured["matrix_page_sql"].queries == 3
    # Whole responses: the page's own bytes and queries, not a function's.
    assert measured["matrix_xlsx"].extra["kb"] > 1
    assert all(m.queries > 0 for name, m in measured.items() if name != "public_plan")


def test_a_page_that_does_not_answer_200_is_skipped_with_its_status(plan, terms, monkeypatch):
    seed()

    def refused(self, *args, **kwargs):
        from django.http import HttpResponseForbidden

        return HttpResponseForbidden()

    monkeypatch.setattr(Client, "get", refused)
    context = Context(backend="sqlite", runs=1, plan=plan, as_of=datetime.date.today())
    with pytest.raises(Skip, match="answered 403"):
        pages(context)


def test_the_hand_written_indicator_values_must_equal_the_pages(plan, terms, settings, tmp_path):
    """COMPUTED_SQL counts every computed indicator from the registers; the
    measurement refuses to time it against the page if one figure differs."""
    from bench.measurements import pages as measured_pages
    from coalicion.monitoring.indicators import indicator_rows

    settings.MEDIA_ROOT = str(tmp_path)
    seed()
    from bench.measurements.cooperation import _seed as seed_cooperation
    from bench.measurements.meetings import seed_meetings

    today = datetime.date.today()
    seed_meetings(years=3, first_year=plan.period_start, as_of=today)
    seed_cooperation(plan)
    by_sql = measured_pages.computed_values_by_sql(plan=plan, as_of=today)
    rows = indicator_rows(plan=plan, as_of=today)
    measured_pages.check_same_indicator_values(rows, by_sql, plan, today)
    assert any(value for value, _stage in by_sql.values())  # the registers count something
    key = next(k for k, (value, _stage) in by_sql.items() if value)
    by_sql[key] = (by_sql[key][0] + 1, by_sql[key][1])
    with pytest.raises(AssertionError, match=f"Indicator {key[0]}"):
        measured_pages.check_same_indicator_values(rows, by_sql, plan, today)
