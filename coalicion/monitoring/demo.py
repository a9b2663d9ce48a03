"""Monitoring's demo data for `make run` (the contract is in
`coalicion.composition.demo`): invented progress on the POA 2018, so the
dashboards have something to show.

Shared activities (SPEC §2) get one report per member country's part, each
country at its own pace, and the last quarter shows every state a part can
be in: validated, waiting for validation, returned with comments, or not
reported yet (late)."""

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from coalicion.core import figures
from coalicion.core.demo import demo_user
from coalicion.monitoring.actions import create_quarterly_periods
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.monitoring.selectors import expected_reports
from coalicion.plans.models import OperatingPlan

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
# How far each country's part runs ahead of (or behind) the activity's pace,
# by the country's place in the list of parts.
PART_OFFSETS = (0, 10, -10, 15, -5, 5, -15, 20, -20)
# The state of a part in the last quarter, by the country's place.
LAST_QUARTER = {
    1: ReportStatus.SUBMITTED,
    2: ReportStatus.RETURNED,
    4: None,  # not reported: late
}
NARRATIVE = "Avance de demostración (datos sintéticos)."
RETURN_COMMENT = "Datos de demostración: adjunte la evidencia de las actividades del trimestre."


def create_demo_data() -> None:
    """Quarterly periods of the POA 2018 and its reports, once."""
    poa = OperatingPlan.objects.filter(year=2018).first()
    if poa is None or ProgressReport.objects.exists():
        return
    reviewer = demo_user("secretariat")
    focal_points = {"CR": demo_user("focal_point_cr"), "GT": demo_user("focal_point_gt")}
    periods = create_quarterly_periods(operating_plan=poa)
    place = {}  # (activity, period) -> next country's place among the parts
    reports = []
    for row in expected_reports(periods=periods):
        percents = DEMO_PROGRESS.get(row.activity.code)
        if percents is None:
            continue
        quarter = periods.index(row.period)
        percent, status = percents[quarter], ReportStatus.VALIDATED
        if row.country is not None:
            index = place.setdefault((row.activity.pk, row.period.pk), 0)
            place[(row.activity.pk, row.period.pk)] += 1
            if percent is not None:
                percent = min(100, max(0, percent + PART_OFFSETS[index % len(PART_OFFSETS)]))
            if quarter == len(periods) - 1:
                status = LAST_QUARTER.get(index, ReportStatus.VALIDATED)
        if percent is None or status is None:
            continue
        author = focal_points.get(row.country.code, reviewer) if row.country else reviewer
        moment = timezone.make_aware(datetime.combine(row.period.due, time(12)))
        reviewed = status in (ReportStatus.VALIDATED, ReportStatus.RETURNED)
        reports.append(
            ProgressReport(
                activity=row.activity,
                period=row.period,
                country=row.country,
                percent=Decimal(percent),
                narrative=NARRATIVE,
                status=status,
                submitted_by=author,
                submitted_at=moment,
                reviewed_by=reviewer if reviewed else None,
                reviewed_at=moment if reviewed else None,
                review_comment=RETURN_COMMENT if status == ReportStatus.RETURNED else "",
            )
        )
    bulk_create_with_history(reports, ProgressReport)
    figures.changed("monitoring")  # bulk_create sends no signal
