"""What monitoring contributes to shared pages (`coalicion.core.sections`):
on a country's profile, the country's work in the POA of the year — its
own activities and its parts of the shared ones — with the figure the
dashboard filtered by that country shows (one function: `dashboards.dashboard`);
the person's reports and the Secretariat's validation work on "My work"
(`coalicion.core.work`)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coalicion.core.i18n import localized
from coalicion.core.sections import register
from coalicion.core.work import WorkItem, in_order, late_days
from coalicion.monitoring import charts, dashboards, selectors
from coalicion.monitoring.matrix import ACTIVITY_STATUS_LABELS
from coalicion.monitoring.models import (
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)
from coalicion.monitoring.rules import may_report
from coalicion.monitoring.selectors import operating_plans
from coalicion.plans.selectors import current_plan


def _reporting_periods(today):
    """The current period and the other open periods of its POA that have
    started (their reports may still be owed). One query."""
    periods = list(ReportingPeriod.objects.select_related("operating_plan"))
    current = selectors.current_period(periods)
    if current is None:
        return None, []
    return current, [
        p
        for p in periods
        if p.operating_plan_id == current.operating_plan_id
        and not p.is_closed
        and (p.start <= today or p == current)
    ]


def _report_note(report) -> str:
    if report is None:
        return _("Not started")
    if report.status == ReportStatus.RETURNED:
        return _("Returned by the Secretariat: correct it and submit it again")
    return _("Draft saved, not yet submitted")


def _my_reports(*, user, roles, today, **params) -> dict | None:
    """The reports the person owes (their country's parts, the activities
    they answer for) in the open periods of the current POA. The
    Secretariat, who may report on everything, sees its validation work
    instead. A fixed number of queries."""
    if not roles.is_member or roles.is_secretariat:
        return None
    _current, periods = _reporting_periods(today)
    if not periods:
        return None
    items = []
    for row in selectors.expected_reports(periods=periods):
        if not row.pending or not may_report(user, row.target):
            continue
        title = _("Report on activity %(code)s, %(period)s") % {
            "code": row.activity.code,
            "period": row.period,
        }
        if row.country is not None:
            title = _("%(title)s (part of %(country)s)") % {
                "title": title,
                "country": localized(row.country, "name"),
            }
        items.append(
            WorkItem(
                title=title,
                url=row.get_absolute_url(),
                due=row.period.due,
                note=_report_note(row.report),
                late_days=row.late_days,
                urgent=row.report is not None and row.report.status == ReportStatus.RETURNED,
            )
        )
    return in_order(items)


def _validation(*, user, roles, today, **params) -> dict | None:
    """The Secretariat's: reports and indicator values waiting for
    validation, periods whose reports are due and that are still open,
    and the reports that are late. A fixed number of queries."""
    if not roles.is_secretariat:
        return None
    items = []
    waiting = ProgressReport.objects.filter(status=ReportStatus.SUBMITTED).count()
    if waiting:
        items.append(
            WorkItem(
                title=ngettext(
                    "%(count)d progress report waiting for validation",
                    "%(count)d progress reports waiting for validation",
                    waiting,
                )
                % {"count": waiting},
                url=reverse("monitoring:review_queue"),
            )
        )
    values = IndicatorValue.objects.filter(status=ReportStatus.SUBMITTED).count()
    if values:
        items.append(
            WorkItem(
                title=ngettext(
                    "%(count)d indicator value waiting for validation",
                    "%(count)d indicator values waiting for validation",
                    values,
                )
                % {"count": values},
                url=reverse("monitoring:value_review_queue"),
            )
        )
    current, periods = _reporting_periods(today)
    for period in periods:
        if period.due < today:
            items.append(
                WorkItem(
                    title=_("Close the period %(period)s") % {"period": period},
                    url=reverse("monitoring:periods"),
                    due=period.due,
                    note=_("Its reports were due; close it once they are validated."),
                )
            )
    if periods:
        late = [r for r in selectors.expected_reports(periods=periods) if r.late_days]
        if late:
            countries = sorted(
                {localized(r.country, "name") for r in late if r.country is not None}
            )
            note = ", ".join(countries)
            items.append(
                WorkItem(
                    title=ngettext(
                        "%(count)d report late",
                        "%(count)d reports late",
                        len(late),
                    )
                    % {"count": len(late)},
                    url=reverse("monitoring:completeness") + f"?year={current.operating_plan.year}",
                    due=min(r.period.due for r in late),
                    late_days=late_days(min(r.period.due for r in late), today),
                    note=_("Countries late: %(countries)s") % {"countries": note} if note else "",
                )
            )
    return in_order(items)


register(
    "my_work",
    key="my_reports",
    order=10,
    title=gettext_lazy("Reports to make"),
    template="_work_items.html",
    context=_my_reports,
)
register(
    "my_work",
    key="validation",
    order=20,
    title=gettext_lazy("Monitoring: validation and periods"),
    template="_work_items.html",
    context=_validation,
)


def _country_work(*, user, country, as_of, **params) -> dict | None:
    """Only for those who follow the monitoring; a country that is not a
    member on `as_of` has no part. A fixed number of queries."""
    if not user.has_perm("monitoring.view_monitoring") or not country.is_member_on(as_of):
        return None
    plan = current_plan()
    poas = operating_plans(plan=plan) if plan else []
    year = dashboards.default_year(poas, as_of)
    if year is None:
        return None
    data = dashboards.dashboard(plan=plan, year=year, as_of=as_of, poas=poas, country_id=country.pk)
    rows = [
        {
            "node": node,
            "text": charts.percent_text(node.progress),
            "shared": node.part_of is not None,
            "status": ACTIVITY_STATUS_LABELS.get(node.status, ""),
        }
        for node in data.tree.activities()
    ]
    if not rows:
        return None
    return {
        "year": year,
        "as_of": as_of,
        "country": country,
        "progress_text": charts.percent_text(data.tree.progress),
        "rows": rows,
    }


register(
    "country_profile",
    key="monitoring",
    order=40,
    title=gettext_lazy("Its work in the operating plan"),
    template="monitoring/sections/country_work.html",
    context=_country_work,
)
