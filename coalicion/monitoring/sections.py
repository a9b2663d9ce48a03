"""What monitoring contributes to shared pages (`coalicion.core.sections`):
on a country's profile, the country's work in the POA of the year — its
own activities and its parts of the shared ones — with the figure the
dashboard filtered by that country shows (one function: `dashboards.dashboard`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.sections import register
from coalicion.monitoring import charts, dashboards
from coalicion.monitoring.matrix import ACTIVITY_STATUS_LABELS
from coalicion.monitoring.selectors import operating_plans
from coalicion.plans.selectors import current_plan


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
    title=_("Its work in the operating plan"),
    template="monitoring/sections/country_work.html",
    context=_country_work,
)
