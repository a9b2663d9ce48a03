"""Monitoring's demo data: every country reports its part of the shared
activities at its own pace, and the last quarter shows each state a part can
be in, so that the dashboard, the matrix and "Mis informes" have something
true to show for each country."""

import datetime

import pytest
from django.core.management import call_command

from coalicion.composition import demo
from coalicion.core.demo import demo_user
from coalicion.monitoring.dashboards import dashboard
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.monitoring.selectors import reports_of
from coalicion.plans.models import Plan


@pytest.fixture
def demo_loaded(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / ".demo-credentials")
    call_command("setup_demo")


def test_the_countries_report_their_parts_at_their_own_pace(demo_loaded):
    parts = ProgressReport.objects.filter(country__isnull=False)
    assert parts.values("country").distinct().count() >= 8
    last_quarter = parts.filter(period__end=datetime.date(2018, 12, 31))
    assert last_quarter.filter(status=ReportStatus.SUBMITTED).exists()
    returned = last_quarter.filter(status=ReportStatus.RETURNED)
    assert returned.exists() and all(r.review_comment for r in returned)

    figures = dashboard(
        plan=Plan.objects.get(), year=2018, as_of=datetime.date(2019, 1, 31)
    ).countries
    assert len({figure.progress for figure in figures}) > 1  # not one flat figure


def test_a_demo_focal_point_has_reports_to_make(demo_loaded):
    focal_point = demo_user("focal_point_gt")
    period = ProgressReport.objects.filter(country__code="GT").latest("period__end").period

    rows = reports_of(user=focal_point, period=period)

    assert rows and all(row.country.code == "GT" for row in rows if row.country)
    assert any(row.report and row.report.submitted_by == focal_point for row in rows)
