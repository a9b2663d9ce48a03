"""Reads of monitoring that span models, scoped by what the user may see.
Every figure of execution comes from `coalicion.monitoring.rollup`."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from coalicion.core.i18n import localized
from coalicion.membership.models import Country
from coalicion.monitoring.models import ProgressReport, ReportingPeriod, ReportStatus
from coalicion.monitoring.rules import ReportTarget, may_report
from coalicion.plans.models import Activity, OperatingPlan, Plan, Responsible
from coalicion.plans.parties import is_shared, part_country_ids


def operating_plans(*, plan: Plan, year: int | None = None) -> list[OperatingPlan]:
    # Read through `plan`, each POA knows its plan without a join.
    poas = plan.operating_plans.order_by("year")
    if year is not None:
        poas = poas.filter(year=year)
    return list(poas)


def reports_for_review():
    return (
        ProgressReport.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related(
            "activity__objective__operating_plan",
            "period__operating_plan",
            "submitted_by",
            "country",
        )
        .prefetch_related(Prefetch("evidence"))
        .order_by("submitted_at")
    )


# --- The reports a period expects ------------------------------------------------


@dataclass
class ExpectedReport:
    """One report a period expects: of an activity as a whole, or of one
    country's part of a shared activity (SPEC §2). `report` is the report
    made so far, if any."""

    activity: Activity
    period: ReportingPeriod
    country: Country | None = None
    report: ProgressReport | None = None

    @property
    def pending(self) -> bool:
        """No report yet, or one still to (re)submit."""
        return self.report is None or self.report.status in PENDING_STATUSES

    @property
    def target(self) -> ReportTarget:
        return ReportTarget(self.activity, self.country)

    def get_absolute_url(self) -> str:
        if self.country is not None:
            return reverse(
                "monitoring:report_part",
                args=[self.period.pk, self.activity.pk, self.country.code],
            )
        return reverse("monitoring:report", args=[self.period.pk, self.activity.pk])

    @property
    def late_days(self) -> int:
        """Days past the due date without a submitted report (0 if not late)."""
        if not self.pending or (self.report is not None and self.report.submitted_at):
            return 0
        return max((timezone.localdate() - self.period.due).days, 0)


PENDING_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


def responsibles_prefetch() -> Prefetch:
    """The responsible parties as `plans.parties` and the pages read them,
    in a fixed number of queries."""
    return Prefetch(
        "responsibles",
        queryset=Responsible.objects.select_related("organ", "country", "committee")
        .prefetch_related("committee__members", "committee__countries", "country__national_bodies")
        .order_by("id"),
    )


def due_activities(operating_plan_id: int):
    """The POA's activities that owe reports: not cancelled, nor their objective."""
    return (
        Activity.objects.filter(
            objective__operating_plan_id=operating_plan_id,
            cancelled=False,
            objective__cancelled=False,
        )
        .select_related("objective")
        .prefetch_related(responsibles_prefetch())
        .order_by("objective__order", "order")
    )


def expected_reports(*, periods: list[ReportingPeriod]) -> list[ExpectedReport]:
    """Every report the periods (of one POA) expect, with the report made so
    far: one per activity that is not cancelled, and for a shared activity
    one per country that is a member at the end of the period. A fixed number
    of queries whatever the number of activities, countries and periods."""
    if not periods:
        return []
    poa_ids = {p.operating_plan_id for p in periods}
    if len(poa_ids) != 1:
        raise ValueError("The periods must belong to one POA.")
    activities = list(due_activities(poa_ids.pop()))
    countries = {c.pk: c for c in Country.objects.all()}
    reports = {
        (r.activity_id, r.period_id, r.country_id): r
        for r in ProgressReport.objects.filter(
            period__in=periods, activity__in=activities
        ).select_related("submitted_by", "reviewed_by")
    }
    rows = []
    for period in periods:
        members = [c.pk for c in countries.values() if c.is_member_on(period.end)]
        for activity in activities:
            responsibles = list(activity.responsibles.all())
            if is_shared(responsibles):
                parts = sorted(
                    (countries[pk] for pk in part_country_ids(responsibles, members=members)),
                    key=lambda c: localized(c, "name"),
                )
                for country in parts:
                    rows.append(
                        ExpectedReport(
                            activity=activity,
                            period=period,
                            country=country,
                            report=reports.get((activity.pk, period.pk, country.pk)),
                        )
                    )
            else:
                rows.append(
                    ExpectedReport(
                        activity=activity,
                        period=period,
                        report=reports.get((activity.pk, period.pk, None)),
                    )
                )
    return rows


def reports_of(*, user, period: ReportingPeriod) -> list[ExpectedReport]:
    """The reports `user` makes for the period: their country's parts of the
    shared activities and the activities they answer for (everything for the
    Secretariat)."""
    return [row for row in expected_reports(periods=[period]) if may_report(user, row.target)]


def current_period(
    periods: list[ReportingPeriod], today: datetime.date | None = None
) -> ReportingPeriod | None:
    """The period to open on, the one being reported now: an open period
    that has ended and whose reports are not yet due (the earliest), else
    the period that contains today, else the latest open period that has
    started, else the last one.
    `periods` in their order (POA year, number)."""
    today = today or timezone.localdate()
    if not periods:
        return None
    reporting = [p for p in periods if not p.is_closed and p.end < today <= p.due]
    if reporting:
        return min(reporting, key=lambda p: (p.due, p.start))
    running = [p for p in periods if p.start <= today <= p.end]
    if running:
        return running[-1]
    open_started = [p for p in periods if not p.is_closed and p.start <= today]
    if open_started:
        return max(open_started, key=lambda p: p.start)
    return periods[-1]


def report_of(*, activity: Activity, period: ReportingPeriod, country=None):
    """The report on an activity (or a country's part of it) for a period."""
    return (
        ProgressReport.objects.filter(activity=activity, period=period, country=country)
        .select_related("submitted_by", "reviewed_by", "country")
        .prefetch_related("evidence")
        .first()
    )


def activity_rows(*, activity: Activity, period: ReportingPeriod) -> list[ExpectedReport]:
    """The reports a period expects of one activity: its parts side by side
    for a shared activity, else its one report."""
    return [row for row in expected_reports(periods=[period]) if row.activity.pk == activity.pk]
