"""The monitoring dashboard and the Vega-Lite spec of each of its charts."""

from django.contrib.staticfiles import finders
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils.translation import gettext

from coalicion.core import figures
from coalicion.core.i18n import localized
from coalicion.core.permissions import permission_required
from coalicion.membership.models import Country
from coalicion.monitoring import charts, dashboards, rollup
from coalicion.monitoring.dates import parse_as_of
from coalicion.monitoring.indicators import indicator_series
from coalicion.monitoring.selectors import operating_plans
from coalicion.plans.models import Indicator
from coalicion.plans.selectors import current_plan

ATLAS = "vendor/world-atlas/countries-110m.json"
CHARTS = ("axes", "poas", "countries", "map")
INDICATOR_PREFIX = "indicator-"


def parse_year(raw: str | None, *, years: list[int], default: int | None):
    raw = (raw or "").strip()
    if not raw:
        return default, None
    if raw.isdigit() and int(raw) in years:
        return int(raw), None
    return default, gettext(
        "There is no operating plan for the year “%(value)s”: showing %(year)s."
    ) % {"value": raw, "year": default}


def parse_country(raw: str | None, *, countries) -> tuple[object, str | None]:
    code = (raw or "").strip().upper()
    if not code:
        return None, None
    found = next((c for c in countries if c.code == code), None)
    if found is None:
        return None, gettext("“%(value)s” is not a member country: showing the whole region.") % {
            "value": raw
        }
    return found, None


def _filters(request, plan):
    poas = operating_plans(plan=plan)
    as_of, as_of_error = parse_as_of(request.GET.get("as_of"))
    year, year_error = parse_year(
        request.GET.get("year"),
        years=[poa.year for poa in poas],
        default=dashboards.default_year(poas, as_of),
    )
    countries = rollup.country_choices(as_of)
    country, country_error = parse_country(request.GET.get("country"), countries=countries)
    errors = {"year": year_error, "as_of": as_of_error, "country": country_error}
    return poas, year, as_of, country, countries, errors


def _plan_or_404(request):
    plan = current_plan(request)
    if plan is None:
        raise Http404("No plan is loaded.")
    return plan


def _with_text(rows: list[dict]) -> list[dict]:
    """The figures as the charts write them, for the tables beside them."""
    for row in rows:
        row["text"] = charts.percent_text(row["progress"])
    return rows


def _data(request, plan):
    """The dashboard's figures and its charts' specs, computed once for the
    page and the chart requests that follow it (the figures cache, ADR 0055)."""
    poas, year, as_of, country, countries, errors = _filters(request, plan)
    data, specs = None, None
    if year:
        data, specs = figures.cached(
            "dashboard",
            (plan.pk, year, as_of, country and country.pk),
            lambda: _computed(plan, year, as_of, poas, country, countries),
            depends_on=rollup.ROLLUP_SOURCES,
        )
    return data, specs, {"poas": poas, "year": year, "as_of": as_of, "country": country,
                         "countries": countries, "errors": errors}  # fmt: skip


def _computed(plan, year, as_of, poas, country, countries):
    data = dashboards.dashboard(
        plan=plan,
        year=year,
        as_of=as_of,
        poas=poas,
        country_id=country and country.pk,
        countries=countries,
        keep=False,  # this view keeps its own figures, below: the trees need not be
    )
    if data is None:
        return None, None
    # Statuses and charts from the whole trees; kept, the trees down to their axes.
    return dashboards.down_to_axes(data), _specs(data)


def _specs(data) -> dict:
    """Every chart of the dashboard, from the one computation of the page."""
    return {
        "axes": charts.axes_chart(dashboards.axis_rows(data), year=data.year),
        "poas": charts.poas_chart(
            dashboards.poa_rows(data), bienniums=dashboards.biennium_rows(data)
        ),
        "countries": charts.countries_chart(dashboards.country_rows(data), year=data.year),
        "map": _map_spec(data),
    }


@permission_required("monitoring.view_monitoring")
def dashboard(request):
    plan = _plan_or_404(request)
    data, specs, context = _data(request, plan)
    context |= {"plan": plan, "data": data}
    if data is not None:
        context |= {
            "specs": specs,
            "axis_rows": _with_text(dashboards.axis_rows(data)),
            "poa_rows": _with_text(dashboards.poa_rows(data)),
            "biennium_rows": _with_text(dashboards.biennium_rows(data)),
            "country_rows": _with_text(dashboards.country_rows(data)),
            "poa_text": charts.percent_text(data.tree.progress),
            "biennium_title": data.biennium and dashboards.biennium_label(data.biennium),
            "biennium_text": data.biennium and charts.percent_text(data.biennium.progress),
        }
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
    country = None
    code = (request.GET.get("country") or "").strip().upper()
    if code:
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
    """The Vega-Lite spec of one chart (the dashboard embeds its own; this
    serves them alone, and the indicator trends)."""
    if name.startswith(INDICATOR_PREFIX):
        return JsonResponse(_indicator_spec(request, name.removeprefix(INDICATOR_PREFIX)))
    if name not in CHARTS:
        raise Http404
    data, specs, _context = _data(request, _plan_or_404(request))
    if data is None:
        raise Http404
    return JsonResponse(specs[name])
