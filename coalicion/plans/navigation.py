"""The plan's entries in the site's menu (`coalicion.core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_entry
from coalicion.plans.selectors import current_plan


def _current_plan(request) -> tuple[str] | None:
    """The current plan's code (asked once per request), or None: without a
    plan loaded, the plan's entries are left out."""
    plan = current_plan(request)
    return None if plan is None else (plan.code,)


add_entry("main", key="plan", order=10, label=_("Plan"), url_name="plans:plan", args=_current_plan)
add_entry(
    "main",
    key="indicators",
    order=20,
    label=_("Indicators"),
    url_name="plans:indicators",
    args=_current_plan,
)
add_entry(
    "main",
    key="operating_plans",
    order=30,
    label=_("Operating plans"),
    url_name="plans:poa_latest",
    args=_current_plan,
)
