"""A focal point signs in and opens the monitoring dashboard: every chart is
drawn by Vega under the strict CSP (the `page` fixture fails on any console
error, a CSP violation included) and the map draws the member countries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def focal_point(loaded_plan, make_user):
    """A focal point of Costa Rica, and validated progress on two activities
    of POA 2018 (one of Costa Rica, one of all the national bodies)."""
    from coalicion.membership.models import Country
    from coalicion.monitoring.actions import create_quarterly_periods
    from coalicion.monitoring.models import ProgressReport, ReportStatus
    from coalicion.plans.models import Activity, Responsible

    costa_rica = Country.objects.get(code="CR")
    user = make_user("enlace.cr@test.invalid", country=costa_rica)
    poa = loaded_plan.operating_plans.get(year=2018)
    period = create_quarterly_periods(operating_plan=poa)[1]
    moment = timezone.make_aware(datetime.datetime(2018, 7, 10, 12))
    for code, percent in (("3.1.1-1", 70), ("2.1.2-1", 40)):
        activity = Activity.objects.get(objective__operating_plan=poa, code=code)
        if code == "3.1.1-1":
            Responsible.objects.create(activity=activity, kind="country", country=costa_rica)
        ProgressReport.objects.create(
            activity=activity,
            period=period,
            percent=Decimal(percent),
            status=ReportStatus.VALIDATED,
            submitted_by=user,
            submitted_at=moment,
            reviewed_by=user,
            reviewed_at=moment,
        )
    return user


def test_a_focal_point_sees_the_dashboard_charts_and_the_map(page, sign_in, focal_point):
    sign_in("enlace.cr@test.invalid")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()

    page.goto("/es/monitoring/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    for name in ("axes", "poas", "countries", "map"):
        chart = page.locator(f"#chart-{name}")
        expect(chart).to_have_attribute("data-vega-state", "rendered", timeout=15000)
        expect(chart.locator("svg").first).to_be_visible()
    # The bars: one per axis, one per POA, one per member country.
    expect(page.locator("#chart-axes .mark-rect path")).to_have_count(4)
    expect(page.locator("#chart-countries .mark-rect path")).to_have_count(9)
    # The map: the world in grey, then the nine members coloured by progress.
    shapes = page.locator("#chart-map .mark-shape")
    expect(shapes).to_have_count(3)
    assert shapes.nth(0).locator("path").count() > 100
    members = shapes.nth(1).locator("path")
    expect(members).to_have_count(9)
    assert members.first.get_attribute("d")
    # Once drawn, the tables are for screen readers only.
    table = page.locator("#chart-countries ~ table.chart-table")
    expect(table).to_have_css("position", "absolute")
    expect(table).to_contain_text("Costa Rica")
