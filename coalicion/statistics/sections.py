"""What statistics contributes to shared pages (`coalicion.core.sections`):
the country profile's summary of the country's published figures. Only
released figures appear, which passed disclosure control (SPEC §9), so the
summary is the same for every reader; the country's own people see the full
figures in the explorer."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.sections import register
from coalicion.statistics import selectors


def _country_statistics(*, user, country, as_of, **params) -> dict | None:
    rows = selectors.overview(country=country.code)
    if not rows:
        return None
    return {"rows": rows, "code": country.code}


register(
    "country_profile",
    key="statistics",
    order=80,
    title=_("Statistics: published figures"),
    template="statistics/sections/country_statistics.html",
    context=_country_statistics,
)
