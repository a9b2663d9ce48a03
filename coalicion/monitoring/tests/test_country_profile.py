"""A country's profile shows its work in the POA of the year with the same
figure as the dashboard filtered by that country, to those who follow the
monitoring, in a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from coalicion.monitoring import charts, dashboards
from coalicion.monitoring.actions import create_quarterly_periods
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.models import Activity


@pytest.fixture
def guatemala_reported(plan, users, terms):
    poa = plan.operating_plans.get(year=2018)
    period = create_quarterly_periods(operating_plan=poa)[3]
    moment = timezone.make_aware(datetime.datetime(2019, 1, 10, 12))
    ProgressReport.objects.create(
        activity=Activity.objects.get(objective__operating_plan=poa, code="2.1.2-1"),
        period=period,
        country=terms["GT"],
        percent=Decimal(80),
        status=ReportStatus.VALIDATED,
        submitted_by=users["focal_point_other"],
        submitted_at=moment,
        reviewed_by=users["secretariat"],
        reviewed_at=moment,
    )
    return poa


def profile(client, code="GT"):
    return client.get(f"/en/members/{code}/")


def test_the_profile_shows_the_countrys_figure_as_the_dashboard_does(
    client_as, guatemala_reported, plan
):
    data = dashboards.dashboard(plan=plan, year=2018, as_of=timezone.localdate())
    guatemala = next(f for f in data.countries if f.country.code == "GT")
    assert guatemala.progress > 0
    html = profile(client_as("focal_point")).content.decode()
    assert "Activities of Guatemala in the operating plan 2018" in html
    assert charts.percent_text(guatemala.progress) in html
    assert "Its part of a shared activity" in html


def test_the_profile_shows_no_monitoring_to_anonymous_visitors(client, guatemala_reported):
    html = profile(client).content.decode()
    assert "Activities of Guatemala in the operating plan" not in html


def test_the_section_costs_a_fixed_number_of_queries(
    client_as, guatemala_reported, django_assert_max_num_queries
):
    client = client_as("focal_point")
    profile(client)
    with django_assert_max_num_queries(30):
        profile(client)
