"""Monitoring's demo data for `make run` (the contract is in
`coalicion.composition.demo`): invented progress on the POA 2018, so the
dashboards have something to show."""

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from coalicion.core.demo import demo_user
from coalicion.monitoring.actions import create_quarterly_periods
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.models import Activity, OperatingPlan

# (activity code, percent reported in quarters 1-4, None = not reported).
DEMO_PROGRESS = {
    "1.1-1": [10, 35, 60, 85],
    "1.2-1": [5, 20, 40, None],
    "2.1.1-1": [25, 50, 75, 100],
    "2.1.2-1": [0, 10, 30, 45],
    "2.1.3-1": [15, 30, None, None],
    "2.2.1-1": [20, 45, 70, 90],
    "3.1.1-1": [30, 60, 100, 100],
    "3.2.1-1": [10, 25, 40, 55],
    "4.1.1-1": [20, 40, 60, 80],
    "4.1.1-2": [0, 15, 30, None],
    "4.1.2-1": [10, 20, 35, 50],
    "4.1.3-1": [0, 0, 10, 20],
}


def create_demo_data() -> None:
    """Quarterly periods of the POA 2018 and validated reports, once."""
    poa = OperatingPlan.objects.filter(year=2018).first()
    if poa is None or ProgressReport.objects.exists():
        return
    reviewer = demo_user("secretariat")
    periods = create_quarterly_periods(operating_plan=poa)
    activities = {a.code: a for a in Activity.objects.filter(objective__operating_plan=poa)}
    for code, percents in DEMO_PROGRESS.items():
        activity = activities.get(code)
        if activity is None:
            continue
        for period, percent in zip(periods, percents, strict=True):
            if percent is None:
                continue
            moment = timezone.make_aware(datetime.combine(period.due, time(12)))
            ProgressReport.objects.create(
                activity=activity,
                period=period,
                percent=Decimal(percent),
                narrative="Avance de demostración (datos sintéticos).",
                status=ReportStatus.VALIDATED,
                submitted_by=reviewer,
                submitted_at=moment,
                reviewed_by=reviewer,
                reviewed_at=moment,
            )
