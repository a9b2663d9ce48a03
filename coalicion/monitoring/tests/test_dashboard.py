"""The monitoring dashboard: its Vega-Lite specs (one function per chart),
the progress per country, per POA and per biennium, the page and the JSON
endpoints (permissions, bad input, bounded queries, both languages)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.core import figures
from coalicion.membership.models import Organ, OrganTerm
from coalicion.monitoring import actions, charts, computations, dashboards, rollup
from coalicion.monitoring.formulas import ActivityStatus
from coalicion.monitoring.models import ProgressReport, ReportStatus
from coalicion.plans.models import (
    Activity,
    Indicator,
    OperatingPlan,
    OperationalObjective,
    Responsible,
    StrategicObjective,
)

D = Decimal
ATLAS_PATH = str(settings.BASE_DIR / "coalicion/static/vendor/world-atlas/countries-110m.json")
TODAY = timezone.localdate


def url(name, **query):
    with translation.override("es"):
        path = reverse("monitoring:chart", args=[name]) if name else reverse("monitoring:dashboard")
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def activity(poa, code):
    return Activity.objects.get(objective__operating_plan=poa, code=code)


def layer_values(spec, index=0):
    layer = spec["layer"][index] if "layer" in spec else spec
    data = layer.get("data") or spec["data"]
    return data["values"]


@pytest.fixture
def country_example(poa, periods, terms, validated_report):
    """The worked example of per-country execution on POA 2018 (SPEC §2–3).

    Shared (of the national bodies, every member country's part): 2.1.2-1
    with parts Costa Rica 40 and Guatemala 20; 2.1.3-1 without reports;
    3.2.1-1 with parts Costa Rica 80 and Guatemala 100. Costa Rica's
    national body: 4.1.1-1 at 100 %; Costa Rica, cancelled: 4.1.1-2 at
    100 %; Guatemala: 4.1.2-1 at 10 %.

    Each country's tree is rolled up by the same rules as the region:
    Costa Rica: axis 2 = SO 2.1 = (40 + 0) / 2 = 20; axis 3 = 80; axis 4 =
    SO 4.1 = OO 4.1.1 = 100 (4.1.1-2 cancelled): (20 + 80 + 100) / 3 = 66.67.
    Guatemala: axis 2 = (20 + 0) / 2 = 10; axis 3 = 100; axis 4 = 10:
    (10 + 100 + 10) / 3 = 40. Any other member: axes 2 and 3 at 0 → 0.
    """
    q2 = periods[1]
    for code, parts in [("2.1.2-1", {"CR": 40, "GT": 20}), ("3.2.1-1", {"CR": 80, "GT": 100})]:
        for country, percent in parts.items():
            validated_report(activity(poa, code), q2, percent, country=terms[country])
    body = activity(poa, "4.1.1-1")
    Responsible.objects.create(activity=body, kind="national_body", country=terms["CR"])
    validated_report(body, q2, 100)
    cancelled = activity(poa, "4.1.1-2")
    cancelled.cancelled = True
    cancelled.save()
    Responsible.objects.create(activity=cancelled, kind="country", country=terms["CR"])
    validated_report(cancelled, q2, 100)
    guatemala = activity(poa, "4.1.2-1")
    Responsible.objects.create(activity=guatemala, kind="country", country=terms["GT"])
    validated_report(guatemala, q2, 10)
    return poa


def board(plan, year=2018, country_id=None):
    return dashboards.dashboard(plan=plan, year=year, as_of=TODAY(), country_id=country_id)


# --- Country progress: the definition, worked out by hand ------------------


def test_each_country_is_its_own_tree_rolled_up_by_the_same_rules(plan, country_example):
    by_code = {item.country.code: item for item in board(plan).countries}
    assert by_code["CR"].progress == (D(20) + D(80) + D(100)) / 3
    assert by_code["CR"].activities == 4
    assert by_code["GT"].progress == D(40)
    assert by_code["GT"].activities == 4
    assert by_code["HN"].progress == D(0)
    assert by_code["HN"].activities == 3
    assert len(by_code) == 9


def test_the_countries_get_genuinely_different_figures(plan, country_example):
    figures = {item.country.code: item.progress for item in board(plan).countries}
    assert len({figures["CR"], figures["GT"], figures["HN"]}) == 3


def test_the_dashboard_filtered_by_a_country_is_that_countrys_tree(plan, country_example, terms):
    data = board(plan, country_id=terms["GT"].pk)
    assert data.country.code == "GT"
    assert data.tree.progress == D(40)
    by_code = {item.country.code: item.progress for item in data.countries}
    assert by_code["GT"] == data.tree.progress
    axes = {node.axis.code: node.progress for node in data.tree.axes}
    assert axes == {"2": D(10), "3": D(100), "4": D(10)}


def test_a_country_without_activities_has_no_progress_rather_than_zero(plan, poa, terms):
    Responsible.objects.filter(activity__objective__operating_plan=poa).delete()
    [tree] = rollup.execution_trees(poas=[poa], as_of=TODAY())
    belize = next(f for f in rollup.country_figures(tree) if f.country.code == "BZ")
    assert belize.progress is None
    assert belize.activities == 0


def test_activities_of_a_cancelled_operational_objective_do_not_count_for_a_country(
    plan, country_example, terms
):
    objective = activity(country_example, "4.1.2-1").objective
    objective.cancelled = True
    objective.save()
    by_code = {item.country.code: item for item in board(plan).countries}
    # Guatemala: axis 4 has nothing left that counts: (10 + 100) / 2 = 55.
    assert by_code["GT"].progress == D(55)


# --- Headline figures: POA, biennium, statuses ------------------------------


def test_the_status_counts_cover_every_activity_of_the_poa(plan, country_example):
    statuses = {status: count for status, _label, count in board(plan).statuses}
    assert (
        sum(statuses.values())
        == Activity.objects.filter(objective__operating_plan=country_example).count()
    )
    assert statuses[ActivityStatus.CANCELLED] == 1
    assert statuses[ActivityStatus.COMPLETED] == 1  # 4.1.1-1
    assert statuses[ActivityStatus.IN_PROGRESS] == 3


@pytest.fixture
def biennium(plan, poa, periods, terms, validated_report):
    """POA 2019 (one activity at 50 %, weight 3) and a Secretariat term
    (Costa Rica) covering 2018 and 2019; POA 2018: Costa Rica's part of
    3.2.1-1 at 100 %."""
    validated_report(activity(poa, "3.2.1-1"), periods[3], 100, country=terms["CR"])
    poa_2019 = OperatingPlan.objects.create(plan=plan, year=2019, name="POA 2019", weight=3)
    strategic = StrategicObjective.objects.filter(axis__plan=plan).first()
    objective = OperationalObjective.objects.create(
        operating_plan=poa_2019, strategic_objective=strategic, code="1.1", order=1, statement="x"
    )
    item = Activity.objects.create(objective=objective, code="1.1-1", order=1, statement="y")
    q1 = actions.create_quarterly_periods(operating_plan=poa_2019)[0]
    validated_report(item, q1, 50)
    OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"),
        country=terms["CR"],
        start="2018-01-01",
        end="2019-12-31",
    )
    return poa_2019


def test_the_biennium_is_the_weighted_mean_of_the_poas_of_the_secretariat_term(plan, poa, biennium):
    data = board(plan)
    poa_2018 = data.tree.progress
    assert data.biennium is not None
    assert data.biennium.years == [2018, 2019]
    # POA 2019: its one axis at 50 %.
    assert data.biennium.progress == (poa_2018 * 1 + D(50) * 3) / 4


def test_a_poa_belongs_to_the_term_in_office_on_the_first_of_july(plan, poa, terms):
    secretariat = Organ.objects.get(code="secretariat")
    day = datetime.date.fromisoformat
    early = OrganTerm(organ=secretariat, start=day("2017-07-01"), end=day("2018-06-30"))
    late = OrganTerm(organ=secretariat, start=day("2018-07-01"), end=day("2020-06-30"))
    still = OrganTerm(organ=secretariat, start=day("2021-01-01"), end=None)
    assert not rollup.term_covers(early, 2018)
    assert rollup.term_covers(late, 2018)
    assert rollup.term_covers(late, 2019)
    assert not rollup.term_covers(late, 2020)
    assert rollup.term_covers(still, 2027)


def test_without_a_secretariat_term_over_the_year_there_is_no_biennium(plan, poa, terms):
    # The `terms` fixture's Secretariat starts in 2020.
    assert board(plan).biennium is None


# --- The specs: valid Vega-Lite, encodings, values equal to the roll-up -----


def test_the_axes_chart_is_a_bar_per_axis_with_the_rolled_up_progress(plan, country_example):
    data = board(plan)
    spec = charts.axes_chart(dashboards.axis_rows(data), year=2018)
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    bars, labels = spec["layer"]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"]["field"] == "progress"
    assert bars["encoding"]["x"]["type"] == "quantitative"
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 100]
    assert bars["encoding"]["y"] == {**bars["encoding"]["y"], "field": "label", "type": "nominal"}
    assert labels["mark"]["type"] == "text"
    values = spec["data"]["values"]
    assert [v["progress"] for v in values] == [
        float(charts.rounded(node.progress)) for node in data.tree.axes
    ]
    assert values[0]["label"].startswith("1. ")
    json.dumps(spec)  # plain data


def test_an_axis_without_progress_is_null_in_the_chart_and_says_so(plan, poa):
    spec = charts.axes_chart([{"label": "1. Prevención", "progress": None}], year=2018)
    (value,) = spec["data"]["values"]
    assert value["progress"] is None
    assert value["position"] == 0
    with translation.override("en"):
        assert charts.percent_text(None) == "no progress"


def test_figures_are_rounded_to_one_decimal_half_up():
    assert charts.rounded(D("33.35")) == D("33.4")
    assert charts.rounded(D("100")) == D("100.0")
    spec = charts.countries_chart([{"label": "Belice", "progress": D(1) / 3 * 100}], year=2018)
    assert spec["data"]["values"][0]["progress"] == 33.3


def test_the_poas_chart_has_a_bar_per_poa_and_a_dashed_line_per_biennium(plan, biennium):
    data = board(plan)
    spec = charts.poas_chart(dashboards.poa_rows(data), bienniums=dashboards.biennium_rows(data))
    bars, _labels, line = spec["layer"]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x"] == {**bars["encoding"]["x"], "field": "year", "type": "ordinal"}
    assert [(v["year"], v["progress"]) for v in layer_values(spec, 0)] == [
        (str(tree.poa.year), float(charts.rounded(tree.progress))) for tree in data.trees
    ]
    assert line["mark"]["type"] == "line"
    assert line["mark"]["strokeDash"] == [6, 4]
    expected = float(charts.rounded(data.biennium.progress))
    assert [(v["year"], v["progress"]) for v in layer_values(spec, 2)] == [
        ("2018", expected),
        ("2019", expected),
    ]


def test_the_poas_chart_has_no_line_without_a_biennium_of_several_poas(plan, poa):
    spec = charts.poas_chart([{"year": 2018, "label": "POA 2018", "progress": D(10)}])
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "text"]


def test_the_countries_chart_carries_the_country_progress(plan, country_example):
    data = board(plan)
    spec = charts.countries_chart(dashboards.country_rows(data), year=2018)
    values = {v["label"]: v["progress"] for v in spec["data"]["values"]}
    assert values["Costa Rica"] == 66.7
    assert values["Guatemala"] == 40.0
    assert values["Honduras"] == 0.0
    assert spec["layer"][0]["encoding"]["y"]["field"] == "label"


def test_the_map_looks_up_the_natural_earth_geometry_by_iso_numeric_id(plan, country_example):
    data = board(plan)
    atlas = static("vendor/world-atlas/countries-110m.json")
    spec = charts.map_chart(dashboards.country_rows(data), year=2018, atlas_url=atlas)
    background, members, no_progress = spec["layer"]
    assert background["data"]["url"] == atlas
    assert background["data"]["format"] == {"type": "topojson", "feature": "countries"}
    assert background["mark"]["type"] == "geoshape"
    lookup = members["transform"][0]
    assert lookup["lookup"] == "id"
    assert lookup["from"]["data"]["url"] == atlas
    assert lookup["from"]["key"] == "id"
    assert members["encoding"]["shape"] == {"field": "geo", "type": "geojson"}
    assert members["encoding"]["color"]["field"] == "progress"
    assert members["encoding"]["color"]["scale"]["domain"] == [0, 100]
    assert "legend" in members["encoding"]["color"]
    assert [t["field"] for t in members["encoding"]["tooltip"]] == ["label", "text"]
    ids = {v["code"]: (v["id"], v["progress"]) for v in members["data"]["values"]}
    assert ids["CR"] == ("188", 66.7)
    assert ids["GT"] == ("320", 40.0)
    assert ids["DO"] == ("214", 0.0)
    assert spec["projection"]["type"] == "mercator"
    # Members without progress are drawn in grey by the third layer.
    assert members["transform"][1] == {"filter": "datum.progress !== null"}
    assert no_progress["transform"][1] == {"filter": "datum.progress === null"}
    assert no_progress["mark"]["fill"] == charts.NO_PROGRESS_COLOUR


def test_every_member_country_id_is_a_feature_of_the_atlas(plan):
    with open(ATLAS_PATH, encoding="utf-8") as f:
        ids = {g.get("id") for g in json.load(f)["objects"]["countries"]["geometries"]}
    for code in ("BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA", "DO"):
        assert charts.ISO_NUMERIC[code] in ids


def test_the_map_is_fitted_to_the_member_countries():
    extent = charts.region_extent(
        atlas_path=ATLAS_PATH,
        codes=["MX", "PA", "DO"],
    )
    (west, south), (east, north) = extent
    assert -120 < west < -115  # Baja California, with the margin
    assert 5 < south < 8  # Panamá's south coast
    assert -70 < east < -66  # the east of the Dominican Republic
    assert 33 < north < 35  # Mexico's northern border
    spec = charts.map_chart([], year=2018, atlas_url="/a.json", extent=extent)
    assert spec["projection"]["fit"]["geometry"]["coordinates"] == extent


def test_the_indicator_chart_draws_values_and_a_dashed_pace_line():
    series = [
        {"year": 2018, "value": D(1), "expected": D("1.5"), "achievement": D(20)},
        {"year": 2019, "value": None, "expected": D("2.25"), "achievement": None},
        {"year": 2020, "value": D(4), "expected": D(3), "achievement": D(60)},
    ]
    with translation.override("en"):
        spec = charts.indicator_chart(series, title="Indicator 2.1", unit="strategies")
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert spec["mark"]["type"] == "line"
    encoding = spec["encoding"]
    assert encoding["x"]["field"] == "year"
    assert encoding["y"] == {**encoding["y"], "field": "value", "title": "strategies"}
    assert encoding["strokeDash"]["field"] == "series"
    assert encoding["strokeDash"]["scale"]["range"] == [[1, 0], [6, 4]]
    actual = [(v["year"], v["value"]) for v in spec["data"]["values"] if v["series"] == "Value"]
    expected = [(v["year"], v["value"]) for v in spec["data"]["values"] if v["series"] != "Value"]
    assert actual == [("2018", 1.0), ("2020", 4.0)]
    assert expected == [("2018", 1.5), ("2019", 2.25), ("2020", 3.0)]


# --- Translations -----------------------------------------------------------


def test_chart_titles_and_labels_follow_the_active_language(plan, country_example):
    data_es = board(plan)
    with translation.override("es"):
        spanish = charts.countries_chart(dashboards.country_rows(data_es), year=2018)
        axes_es = charts.axes_chart(dashboards.axis_rows(data_es), year=2018)
    with translation.override("en"):
        english = charts.countries_chart(dashboards.country_rows(data_es), year=2018)
        axes_en = charts.axes_chart(dashboards.axis_rows(data_es), year=2018)
    assert english["title"] == "Progress per member country, POA 2018"
    assert spanish["layer"][0]["encoding"]["y"]["title"] == "País miembro"
    assert english["layer"][0]["encoding"]["y"]["title"] == "Member country"
    assert "Dominican Republic" in {v["label"] for v in english["data"]["values"]}
    assert "República Dominicana" in {v["label"] for v in spanish["data"]["values"]}
    assert axes_es["data"]["values"][0]["label"] == "1. Prevención"
    assert axes_en["data"]["values"][0]["label"] == "1. Prevention"
    assert axes_en["title"] == "Progress per strategic axis, POA 2018"


def test_the_chart_endpoint_answers_in_the_language_of_the_url(client, users, country_example):
    client.force_login(users["observer"])
    english = client.get(url("axes").replace("/es/", "/en/", 1)).json()
    spanish = client.get(url("axes")).json()
    assert english["data"]["values"][0]["label"] == "1. Prevention"
    assert spanish["data"]["values"][0]["label"] == "1. Prevención"
    assert english["data"]["values"][0]["text"].endswith(" %")


# --- The JSON endpoints -------------------------------------------------------


@pytest.mark.parametrize("name", ["axes", "poas", "countries", "map"])
def test_each_chart_endpoint_returns_a_vega_lite_spec(client, users, country_example, name):
    client.force_login(users["focal_point"])
    response = client.get(url(name, year=2018))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["$schema"].startswith("https://vega.github.io/schema/vega-lite/")


def test_the_map_endpoint_points_at_the_static_atlas_and_fits_the_region(
    client, users, country_example
):
    client.force_login(users["observer"])
    spec = client.get(url("map")).json()
    assert spec["layer"][0]["data"]["url"] == static("vendor/world-atlas/countries-110m.json")
    (west, south), (east, north) = spec["projection"]["fit"]["geometry"]["coordinates"]
    assert west < -110 and east > -70 and south < 8 and north > 30


def test_the_countries_endpoint_carries_the_worked_example(client, users, country_example):
    client.force_login(users["presidency"])
    values = client.get(url("countries", year=2018)).json()["data"]["values"]
    assert {v["label"]: v["progress"] for v in values}["Costa Rica"] == 66.7


def test_an_unknown_chart_is_not_found(client, users, poa):
    client.force_login(users["observer"])
    assert client.get(url("pie")).status_code == 404
    assert client.get(url("indicator-x")).status_code == 404


def test_the_indicator_endpoint_charts_the_series_of_the_indicator(client, users, poa, monkeypatch):
    calls = []

    def indicator_series(*, indicator, as_of, country=None):
        calls.append((indicator, as_of, country))
        return [{"year": 2018, "value": D(2), "expected": D(1), "achievement": D(50)}]

    monkeypatch.setattr("coalicion.monitoring.views.dashboard.indicator_series", indicator_series)
    indicator = Indicator.objects.filter(result__objective__axis__plan=poa.plan).first()
    client.force_login(users["observer"])
    spec = client.get(url(f"indicator-{indicator.pk}", as_of="2019-01-31", country="cr")).json()
    assert calls == [(indicator, datetime.date(2019, 1, 31), users["focal_point"].person.country)]
    assert [v["value"] for v in spec["data"]["values"]] == [2.0, 1.0]
    assert client.get(url("indicator-999999")).status_code == 404
    assert client.get(url(f"indicator-{indicator.pk}", country="ZZ")).status_code == 404


def test_the_indicator_endpoint_draws_the_pace_line_of_the_indicators_module(client, users, plan):
    from coalicion.monitoring.indicators import indicator_series

    indicator = Indicator.objects.filter(kind="milestone").first()
    indicator.baseline_value, indicator.baseline_year = D(0), 2017  # the plan states none
    indicator.save()
    series = indicator_series(indicator=indicator, as_of=TODAY())
    client.force_login(users["observer"])
    spec = client.get(url(f"indicator-{indicator.pk}")).json()
    with translation.override("es"):
        actual = translation.gettext("Value")
    dashed = [v for v in spec["data"]["values"] if v["series"] != actual]
    assert [(v["year"], v["value"]) for v in dashed] == [
        (str(p["year"]), round(float(p["expected"]), 2))
        for p in series
        if p["expected"] is not None
    ]
    assert dashed


# --- Permissions --------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, poa):
    for path in (url(None), url("axes")):
        response = client.get(path)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_a_user_without_a_role_is_refused(client, make_user, poa):
    client.force_login(make_user("nobody@test.invalid"))
    assert client.get(url(None)).status_code == 403
    assert client.get(url("map")).status_code == 403


@pytest.mark.parametrize("role", ["observer", "focal_point", "presidency", "secretariat"])
def test_every_internal_user_sees_the_dashboard(client, users, poa, role):
    client.force_login(users[role])
    assert client.get(url(None)).status_code == 200


# --- The page -------------------------------------------------------------------


def test_the_page_shows_the_headline_figures_charts_and_tables(client, users, country_example):
    client.force_login(users["observer"])
    response = client.get(url(None))
    html = response.content.decode()
    data = response.context["data"]
    assert response.context["year"] == 2018
    assert response.context["as_of"] == TODAY()
    assert response.context["poa_text"] == charts.percent_text(data.tree.progress)
    # Every chart is drawn from the page's own computation, embedded as JSON.
    for name in ("axes", "poas", "countries", "map"):
        assert f'id="chart-{name}" data-vega-spec data-vega-error=' in html
    assert html.count('<script type="application/json">') == 4
    assert html.count('<table class="chart-table">') == 4
    assert html.count('class="method"') >= 5
    # Same numbers in the tables as in the charts.
    assert '<th scope="row">Costa Rica</th><td>4</td><td>66,7 %</td>' in html
    for row in response.context["axis_rows"]:
        assert f"<td>{row['text']}</td>" in html
    assert "vendor/vega-embed/vega-embed.min.js" in html
    assert "vendor/vega-tooltip/vega-tooltip.css" in html
    assert 'style="' not in html and "<script>" not in html


def test_the_page_shows_the_biennium_when_a_secretariat_term_covers_the_year(
    client, users, biennium
):
    client.force_login(users["observer"])
    response = client.get(url(None, year=2018))
    html = response.content.decode()
    assert response.context["biennium_text"] == charts.percent_text(
        response.context["data"].biennium.progress
    )
    assert response.context["biennium_title"] in html
    assert response.context["biennium_text"] in html


def test_a_bad_date_gets_a_clear_message_and_todays_figures(client, users, poa):
    client.force_login(users["observer"])
    response = client.get(url(None, as_of="31-12-2019"))
    assert response.status_code == 200
    assert response.context["as_of"] == TODAY()
    message = response.context["errors"]["as_of"]
    assert "31-12-2019" in message and "YYYY-MM-DD" in message
    assert 'id="dashboard-as-of-error"' in response.content.decode()


def test_a_future_date_shows_what_is_known_today(client, users, poa):
    client.force_login(users["observer"])
    future = TODAY() + datetime.timedelta(days=30)
    response = client.get(url(None, as_of=future.isoformat()))
    assert response.context["as_of"] == TODAY()
    assert response.context["errors"]["as_of"]


def test_a_year_without_a_poa_gets_a_message_and_the_default_year(client, users, poa):
    client.force_login(users["observer"])
    response = client.get(url(None, year="1999"))
    assert response.context["year"] == 2018
    assert "1999" in response.context["errors"]["year"]


def test_a_past_date_is_passed_to_the_roll_up(client, users, country_example):
    client.force_login(users["observer"])
    response = client.get(url(None, as_of="2018-05-01"))
    assert response.context["as_of"] == datetime.date(2018, 5, 1)
    assert response.context["data"].tree.as_of == datetime.date(2018, 5, 1)
    assert response.context["errors"] == {"year": None, "as_of": None, "country": None}


def test_a_plan_without_poas_says_there_is_nothing_to_monitor(client, users, plan):
    OperatingPlan.objects.filter(plan=plan).delete()
    client.force_login(users["observer"])
    response = client.get(url(None))
    assert response.status_code == 200
    assert response.context["data"] is None
    assert "data-vega-spec" not in response.content.decode()
    assert client.get(url("axes")).status_code == 404


def test_the_page_is_in_english_under_en(client, users, poa):
    client.force_login(users["observer"])
    with translation.override("en"):
        path = reverse("monitoring:dashboard")
    html = client.get(path).content.decode()
    assert "Monitoring dashboard" in html
    assert "1. Prevention" in html


# --- Bounded queries ------------------------------------------------------------


def grow(plan, *, years, per_poa, terms):
    """More POAs, activities, responsible countries and validated reports."""
    strategics = list(StrategicObjective.objects.filter(axis__plan=plan))
    secretariat = Organ.objects.get(code="secretariat")
    countries = list(terms.values())
    reviewer = None
    for offset in range(years):
        year = 2030 + offset
        poa = OperatingPlan.objects.create(plan=plan, year=year, name=f"POA {year}")
        periods = actions.create_quarterly_periods(operating_plan=poa)
        for number, strategic in enumerate(strategics[:per_poa], start=1):
            objective = OperationalObjective.objects.create(
                operating_plan=poa,
                strategic_objective=strategic,
                code=f"g{number}",
                order=number,
                statement="s",
            )
            for index in range(3):
                item = Activity.objects.create(
                    objective=objective, code=f"g{number}-{index}", order=index, statement="a"
                )
                Responsible.objects.create(
                    activity=item, kind="country", country=countries[index % len(countries)]
                )
                for period in periods:
                    ProgressReport.objects.create(
                        activity=item,
                        period=period,
                        percent=D(25 * period.number),
                        status=ReportStatus.VALIDATED,
                        reviewed_by=reviewer,
                        reviewed_at=timezone.now(),
                    )
        if offset % 2 == 0:
            OrganTerm.objects.create(
                organ=secretariat,
                country=countries[offset % len(countries)],
                start=datetime.date(year, 1, 1),
                end=datetime.date(year + 1, 12, 31),
            )


def recompute():
    """The next read computes its figures again, as after a write (ADR 0055):
    these tests count the queries of the computation, not of the cache."""
    figures.changed(*computations.SOURCES)


@pytest.mark.parametrize("name", [None, "axes", "poas", "countries", "map"])
def test_the_dashboard_runs_a_bounded_number_of_queries(
    client, users, plan, country_example, terms, django_assert_max_num_queries, name
):
    client.force_login(users["focal_point"])
    client.get(url(name))  # warm the session and caches
    recompute()
    with django_assert_max_num_queries(20) as small:
        assert client.get(url(name)).status_code == 200
    grow(plan, years=4, per_poa=6, terms=terms)
    recompute()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url(name, year=2031)).status_code == 200


def test_every_chart_spec_is_valid_vega_lite(plan, biennium):
    """Requests do not validate specs (coalicion.core.vega): this test does,
    for every chart the dashboard draws and the indicator trend."""
    from coalicion.core import vega
    from coalicion.monitoring.views.dashboard import _specs

    data = board(plan)
    specs = dict(_specs(data))
    series = [
        {"year": 2018, "value": D(1), "expected": D("1.5"), "achievement": D(20)},
        {"year": 2019, "value": None, "expected": D("2.25"), "achievement": None},
    ]
    specs["indicator"] = charts.indicator_chart(series, title="2.1", unit="strategies")
    assert set(specs) == {"axes", "poas", "countries", "map", "indicator"}
    for name, spec in specs.items():
        assert vega.problems(spec) == [], name
    # The check can fail: a mark Vega-Lite does not know.
    assert vega.problems({**specs["indicator"], "mark": {"type": "pie-chart"}})


def test_a_chart_kept_between_requests_follows_the_language_and_the_rows():
    """Chart shapes are built once and kept (ADR 0073): the next request's
    language and rows are the ones drawn."""
    rows = [{"label": "1. Prevención", "progress": D(40)}]
    with translation.override("es"):
        spanish = charts.axes_chart(rows, year=2019)
    with translation.override("en"):
        english = charts.axes_chart([{"label": "1. Prevention", "progress": D(60)}], year=2019)
    assert spanish["title"].startswith("Avance") and english["title"].startswith("Progress")
    assert [v["progress"] for v in spanish["data"]["values"]] == [40.0]
    assert [v["progress"] for v in english["data"]["values"]] == [60.0]
    # A spec handed out is the caller's: changing it changes no later one.
    english["data"]["values"].clear()
    with translation.override("en"):
        again = charts.axes_chart(rows, year=2019)
    assert again["data"]["values"][0]["label"] == "1. Prevención"


def test_the_dashboard_keeps_its_trees_down_to_the_axes(plan, country_example):
    """What the view keeps in the figures cache: the POAs' and the axes'
    figures, not the objectives and activities beneath (ADR 0055)."""
    data = board(plan)
    kept = dashboards.down_to_axes(data)
    assert dashboards.axis_rows(kept) == dashboards.axis_rows(data)
    assert dashboards.poa_rows(kept) == dashboards.poa_rows(data)
    assert kept.statuses == data.statuses and kept.countries == data.countries
    assert all(not axis.children for tree in kept.trees for axis in tree.axes)
    assert any(axis.children for axis in data.tree.axes)  # the original is untouched
