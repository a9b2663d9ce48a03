"""The monitoring dashboard and the Vega-Lite spec of each of its charts."""

import datetime
from urllib.parse import urlencode

from django.contrib.staticfiles import finders
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from coalicion.core.i18n import localized
from coalicion.core.permissions import permission_required
from coalicion.monitoring import charts, dashboards
from coalicion.monitoring.selectors import operating_plans
from coalicion.plans.models import Indicator
from coalicion.plans.selectors import current_plan

ATLAS = "vendor/world-atlas/countries-110m.json"
CHARTS = ("axes", "poas", "countries", "map")
INDICATOR_PREFIX = "indicator-"


def parse_as_of(raw: str | None) -> tuple[datetime.date, str | None]:
    """The date asked about (default and upper bound: today), and the message
    explaining why a bad value was replaced."""
    today = timezone.localdate()
    raw = (raw or "").strip()
    if not raw:
        return today, None
    try:
        as_of = datetime.date.fromisoformat(raw)
    except ValueError:
        return today, gettext(
            "“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2019-12-31. "
            "Showing what is known today."
        ) % {"value": raw}
    if as_of > today:
        return today, gettext("%(value)s is in the future: showing what is known today.") % {
            "value": raw
        }
    return as_of, None


def parse_year(raw: str | None, *, years: list[int], default: int | None):
    raw = (raw or "").strip()
    if not raw:
        return default, None
    if raw.isdigit() and int(raw) in years:
        return int(raw), None
    return default, gettext(
        "There is no operating plan for the year “%(value)s”: showing %(year)s."
    ) % {"value": raw, "year": default}


def _filters(request, plan):
    poas = operating_plans(plan=plan)
    as_of, as_of_error = parse_as_of(request.GET.get("as_of"))
    year, year_error = parse_year(
        request.GET.get("year"),
        years=[poa.year for poa in poas],
        default=dashboards.default_year(poas, as_of),
    )
    return poas, year, as_of, {"year": year_error, "as_of": as_of_error}


def _plan_or_404():
    plan = current_plan()
    if plan is None:
        raise Http404("No plan is loaded.")
    return plan


def _with_text(rows: list[dict]) -> list[dict]:
    """The figures as the charts write them, for the tables beside them."""
    for row in rows:
        row["text"] = charts.percent_text(row["progress"])
    return rows


@permission_required("monitoring.view_monitoring")
def dashboard(request):
    plan = _plan_or_404()
    poas, year, as_of, errors = _filters(request, plan)
    data = dashboards.dashboard(plan=plan, year=year, as_of=as_of, poas=poas) if year else None
    query = urlencode({"year": year or "", "as_of": as_of.isoformat()})
    chart_urls = {name: f"{reverse('monitoring:chart', args=[name])}?{query}" for name in CHARTS}
    context = {
        "plan": plan,
        "poas": poas,
        "year": year,
        "as_of": as_of,
        "errors": errors,
        "data": data,
        "chart_urls": chart_urls,
    }
    if data is not None:
        context.update(
            axis_rows=_with_text(dashboards.axis_rows(data)),
            poa_rows=_with_text(dashboards.poa_rows(data)),
            biennium_rows=_with_text(dashboards.biennium_rows(data)),
            country_rows=_with_text(dashboards.country_rows(data)),
            poa_text=charts.percent_text(data.tree.progress),
            biennium_title=data.biennium and dashboards.biennium_label(data.biennium),
            biennium_text=data.biennium and charts.percent_text(data.biennium.progress),
        )
    return render(request, "monitoring/dashboard.html", context)


def _map_spec(data) -> dict:
    path = finders.find(ATLAS)
    codes = [item.country.code for item in data.countries]
    extent = charts.region_extent(atlas_path=path, codes=codes) if path else None
    return charts.map_chart(
        dashboards.country_rows(data), year=data.year, atlas_url=static(ATLAS), extent=extent
    )


def _indicator_spec(request, raw_pk: str) -> dict:
    if not raw_pk.isdigit():
        raise Http404
    indicator = get_object_or_404(Indicator, pk=int(raw_pk))
    try:
        from coalicion.monitoring.indicators import indicator_series
    except ImportError as missing:
        raise Http404("Indicator trends are not available.") from missing
    country = None
    code = (request.GET.get("country") or "").strip().upper()
    if code:
        from coalicion.membership.models import Country

        country = get_object_or_404(Country, code=code)
    as_of, _error = parse_as_of(request.GET.get("as_of"))
    series = indicator_series(indicator=indicator, as_of=as_of, country=country)
    title = gettext("Indicator %(code)s: value per year") % {
        "code": indicator.label or indicator.code
    }
    if country is not None:
        title = gettext("%(title)s (%(country)s)") % {
            "title": title,
            "country": localized(country, "name"),
        }
    return charts.indicator_chart(series, title=title, unit=localized(indicator, "unit"))


@permission_required("monitoring.view_monitoring")
def chart_spec(request, name: str):
    """The Vega-Lite spec of one chart, for the dashboard's `charts.js`."""
    if name.startswith(INDICATOR_PREFIX):
        return JsonResponse(_indicator_spec(request, name.removeprefix(INDICATOR_PREFIX)))
    if name not in CHARTS:
        raise Http404
    plan = _plan_or_404()
    poas, year, as_of, _errors = _filters(request, plan)
    data = dashboards.dashboard(plan=plan, year=year, as_of=as_of, poas=poas) if year else None
    if data is None:
        raise Http404
    if name == "axes":
        spec = charts.axes_chart(dashboards.axis_rows(data), year=data.year)
    elif name == "poas":
        spec = charts.poas_chart(
            dashboards.poa_rows(data), bienniums=dashboards.biennium_rows(data)
        )
    elif name == "countries":
        spec = charts.countries_chart(dashboards.country_rows(data), year=data.year)
    else:
        spec = _map_spec(data)
    return JsonResponse(spec)
