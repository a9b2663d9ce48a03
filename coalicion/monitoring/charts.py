"""One Vega-Lite spec per chart of the monitoring dashboards (SPEC §3).

Each function takes plain data (rows of dicts built by
`coalicion.monitoring.dashboards`, or an indicator series) and returns a
plain JSON-able dict with "$schema", so that the web page (through
`static/js/charts.js`) and the PDF reports draw the same chart. Titles are
translated into the active language when the function is called.

Data is embedded in the spec (no CSV: it cannot be parsed under the strict
CSP); only the map loads its geometry, a same-origin TopoJSON file, by URL.
"""

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

import altair as alt
from django.utils.formats import number_format
from django.utils.translation import gettext

from coalicion.core.vega import data, filled, shape_of

BAR_COLOUR = "#0172ad"
EXPECTED_COLOUR = "#8a5a00"
NON_MEMBER_COLOUR = "#e6e8eb"
NO_PROGRESS_COLOUR = "#b0b6bd"
BORDER_COLOUR = "#ffffff"
PROGRESS_SCHEME = "blues"
ONE_DECIMAL = Decimal("0.1")

# ISO 3166-1 alpha-2 → numeric, the feature ids of the Natural Earth TopoJSON
# (three digits, as strings). The member countries and the rest of the
# Americas, so that a new member of the region appears on the map.
ISO_NUMERIC = {
    "AG": "028",
    "AR": "032",
    "BB": "052",
    "BO": "068",
    "BR": "076",
    "BS": "044",
    "BZ": "084",
    "CA": "124",
    "CL": "152",
    "CO": "170",
    "CR": "188",
    "CU": "192",
    "DM": "212",
    "DO": "214",
    "EC": "218",
    "GD": "308",
    "GT": "320",
    "GY": "328",
    "HN": "340",
    "HT": "332",
    "JM": "388",
    "KN": "659",
    "LC": "662",
    "MX": "484",
    "NI": "558",
    "PA": "591",
    "PE": "604",
    "PR": "630",
    "PY": "600",
    "SR": "740",
    "SV": "222",
    "TT": "780",
    "US": "840",
    "UY": "858",
    "VC": "670",
    "VE": "862",
}
ATLAS_OBJECT = "countries"
# Degrees added around the member countries when the map is fitted to them.
MAP_MARGIN = 1.5


def rounded(value: Decimal | None) -> Decimal | None:
    """A percentage as the charts and their tables show it: one decimal."""
    if value is None:
        return None
    return Decimal(value).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _number(value: Decimal | None) -> float | None:
    shown = rounded(value)
    return None if shown is None else float(shown)


def percent_text(value: Decimal | None) -> str:
    """ "42,5 %" in the active language's format, or "no progress"."""
    shown = rounded(value)
    if shown is None:
        return gettext("no progress")
    return gettext("%(percent)s %%") % {"percent": number_format(shown, 1)}


def _progress_values(rows: Iterable[Mapping]) -> list[dict]:
    """Rows {"label", "progress"} as chart data: the rounded percentage (null
    for "no progress"), its text, and where to write that text."""
    values = []
    for row in rows:
        progress = _number(row["progress"])
        values.append(
            {
                "label": str(row["label"]),
                "progress": progress,
                "text": percent_text(row["progress"]),
                "position": progress or 0.0,
            }
        )
    return values


def _progress_axis(title: str):
    return alt.Scale(domain=[0, 100]), alt.Axis(title=title, values=[0, 25, 50, 75, 100])


def _horizontal_bars(rows, *, title: str, description: str, category: str) -> dict:
    shape = _bars_shape(title, description, category, gettext("Progress (%)"), gettext("Progress"))
    return filled(shape, {"bars": _progress_values(rows)})


@functools.lru_cache(maxsize=64)
def _bars_shape(title: str, description: str, category: str, axis_title: str, progress: str) -> str:
    """The spec of a bar chart without its rows (ADR 0073): built once per
    title and language, filled with each request's rows by `filled`."""
    scale, axis = _progress_axis(axis_title)
    base = alt.Chart(data("bars"))
    category_y = alt.Y("label:N", sort=None, title=category, axis=alt.Axis(labelLimit=240))
    tooltip = [
        alt.Tooltip("label:N", title=category),
        alt.Tooltip("text:N", title=progress),
    ]
    bars = base.mark_bar(color=BAR_COLOUR).encode(
        y=category_y, x=alt.X("progress:Q", scale=scale, axis=axis), tooltip=tooltip
    )
    labels = base.mark_text(align="left", baseline="middle", dx=4).encode(
        y=category_y, x=alt.X("position:Q", scale=scale, axis=axis), text=alt.Text("text:N")
    )
    chart = alt.layer(bars, labels).properties(
        title=title, description=description, width=400, height=alt.Step(28)
    )
    return shape_of(chart)


def axes_chart(rows: Sequence[Mapping], *, year: int) -> dict:
    """Progress per strategic axis of one POA: rows {"label", "progress"}."""
    title = gettext("Progress per strategic axis, POA %(year)s") % {"year": year}
    return _horizontal_bars(
        rows,
        title=title,
        description=gettext("Bar chart: weighted progress of each strategic axis, 0 to 100 %."),
        category=gettext("Strategic axis"),
    )


def countries_chart(rows: Sequence[Mapping], *, year: int) -> dict:
    """Progress per member country: rows {"label", "progress"}."""
    title = gettext("Progress per member country, POA %(year)s") % {"year": year}
    return _horizontal_bars(
        rows,
        title=title,
        description=gettext(
            "Bar chart: each member country's execution of the POA — its own activities "
            "and its parts of the activities every member country carries out — 0 to 100 %."
        ),
        category=gettext("Member country"),
    )


def poas_chart(poas: Sequence[Mapping], *, bienniums: Sequence[Mapping] = ()) -> dict:
    """Progress per POA, one bar a year: poas {"year", "label", "progress"};
    and, as a dashed line over the years it covers, each biennium (a
    Secretariat term): bienniums {"label", "years", "progress"}."""
    values = _progress_values(poas)
    for value, poa in zip(values, poas, strict=True):
        value["year"] = str(poa["year"])
    line_values = []
    for biennium in bienniums:
        for year in biennium["years"]:
            line_values.append(
                {
                    "year": str(year),
                    "biennium": str(biennium["label"]),
                    "progress": _number(biennium["progress"]),
                    "text": percent_text(biennium["progress"]),
                }
            )
    shape = _poas_shape(
        bool(line_values),
        gettext("Progress (%)"),
        gettext("Operating plan (year)"),
        gettext("Operating plan"),
        gettext("Progress"),
        gettext("Biennium"),
        gettext("Progress per annual operating plan"),
        gettext(
            "Bar chart: weighted progress of each POA; a dashed line marks the progress "
            "of the biennium of a Secretariat term over the years it covers."
        ),
    )
    return filled(shape, {"poas": values, "bienniums": line_values})


@functools.lru_cache(maxsize=64)
def _poas_shape(
    with_bienniums: bool,
    axis_title: str,
    year_title: str,
    poa: str,
    progress: str,
    biennium: str,
    title: str,
    description: str,
) -> str:
    scale, axis = _progress_axis(axis_title)
    year_x = alt.X("year:O", title=year_title, axis=alt.Axis(labelAngle=0))
    base = alt.Chart(data("poas"))
    bars = base.mark_bar(color=BAR_COLOUR).encode(
        x=year_x,
        y=alt.Y("progress:Q", scale=scale, axis=axis),
        tooltip=[alt.Tooltip("label:N", title=poa), alt.Tooltip("text:N", title=progress)],
    )
    labels = base.mark_text(baseline="bottom", dy=-3).encode(
        x=year_x, y=alt.Y("position:Q", scale=scale, axis=axis), text=alt.Text("text:N")
    )
    layers = [bars, labels]
    if with_bienniums:
        layers.append(
            alt.Chart(data("bienniums"))
            .mark_line(point=True, strokeDash=[6, 4], color=EXPECTED_COLOUR)
            .encode(
                x=year_x,
                y=alt.Y("progress:Q", scale=scale, axis=axis),
                detail=alt.Detail("biennium:N"),
                tooltip=[
                    alt.Tooltip("biennium:N", title=biennium),
                    alt.Tooltip("text:N", title=progress),
                ],
            )
        )
    chart = alt.layer(*layers).properties(
        title=title, description=description, width=alt.Step(60), height=260
    )
    return shape_of(chart)


@functools.lru_cache(maxsize=8)
def _atlas_bounds(path: str) -> dict[str, tuple[float, float, float, float]]:
    """Bounding box (west, south, east, north) of each feature of a TopoJSON
    file, by feature id, decoding its quantized, delta-encoded arcs."""
    with open(path, encoding="utf-8") as atlas_file:
        topology = json.load(atlas_file)
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)

    def arc_indices(nested):
        for item in nested:
            if isinstance(item, list):
                yield from arc_indices(item)
            else:
                yield item if item >= 0 else ~item

    bounds = {}
    for geometry in topology["objects"][ATLAS_OBJECT]["geometries"]:
        if "id" not in geometry or "arcs" not in geometry:
            continue
        points = [p for index in arc_indices(geometry["arcs"]) for p in arcs[index]]
        if points:
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            bounds[str(geometry["id"])] = (min(xs), min(ys), max(xs), max(ys))
    return bounds


def region_extent(*, atlas_path: str, codes: Iterable[str]) -> list[list[float]] | None:
    """[[west, south], [east, north]] around the countries (ISO alpha-2), with
    a margin; None when none of them is in the atlas."""
    bounds = _atlas_bounds(atlas_path)
    boxes = [bounds[ISO_NUMERIC[c]] for c in codes if ISO_NUMERIC.get(c) in bounds]
    if not boxes:
        return None
    return [
        [
            round(min(b[0] for b in boxes) - MAP_MARGIN, 2),
            round(min(b[1] for b in boxes) - MAP_MARGIN, 2),
        ],
        [
            round(max(b[2] for b in boxes) + MAP_MARGIN, 2),
            round(max(b[3] for b in boxes) + MAP_MARGIN, 2),
        ],
    ]


def map_chart(
    rows: Sequence[Mapping], *, year: int, atlas_url: str, extent: list[list[float]] | None = None
) -> dict:
    """The member countries coloured by their progress: rows {"code" (ISO
    alpha-2), "label", "progress"}. Geometry from the TopoJSON at
    `atlas_url` (same origin), looked up by ISO numeric id; the map is fitted
    to `extent` ([[west, south], [east, north]], see `region_extent`), the
    other countries drawn in light grey."""
    values = []
    for row in rows:
        numeric = ISO_NUMERIC.get(row["code"])
        if numeric is None:
            continue
        values.append(
            {
                "id": numeric,
                "code": row["code"],
                "label": str(row["label"]),
                "progress": _number(row["progress"]),
                "text": percent_text(row["progress"]),
            }
        )
    shape = _map_shape(
        atlas_url,
        tuple(tuple(point) for point in extent) if extent is not None else None,
        gettext("Member country"),
        gettext("Progress"),
        gettext("Progress (%)"),
        gettext("Member countries by progress, POA %(year)s") % {"year": year},
        gettext(
            "Map of the member countries, each coloured by the weighted progress of "
            "the activities it is responsible for; darker is further ahead."
        ),
    )
    return filled(shape, {"countries": values})


@functools.lru_cache(maxsize=64)
def _map_shape(
    atlas_url: str,
    extent: tuple | None,
    country: str,
    progress: str,
    legend: str,
    title: str,
    description: str,
) -> str:
    atlas = alt.UrlData(url=atlas_url, format=alt.DataFormat(type="topojson", feature=ATLAS_OBJECT))
    projection = {"type": "mercator"}
    if extent is not None:
        projection["fit"] = {
            "type": "Feature",
            "properties": {},
            "geometry": {"type": "MultiPoint", "coordinates": [list(p) for p in extent]},
        }
    tooltip = [alt.Tooltip("label:N", title=country), alt.Tooltip("text:N", title=progress)]
    background = (
        alt.Chart(atlas)
        .mark_geoshape(fill=NON_MEMBER_COLOUR, stroke=BORDER_COLOUR, strokeWidth=0.5, clip=True)
        .encode()
    )
    members = alt.Chart(data("countries")).transform_lookup(
        lookup="id", from_=alt.LookupData(data=atlas, key="id"), as_="geo"
    )
    with_progress = (
        members.transform_filter("datum.progress !== null")
        .mark_geoshape(stroke=BORDER_COLOUR, strokeWidth=0.8, clip=True)
        .encode(
            shape=alt.Shape("geo:G"),
            color=alt.Color(
                "progress:Q",
                scale=alt.Scale(domain=[0, 100], scheme=PROGRESS_SCHEME),
                legend=alt.Legend(title=legend, values=[0, 25, 50, 75, 100]),
            ),
            tooltip=tooltip,
        )
    )
    without_progress = (
        members.transform_filter("datum.progress === null")
        .mark_geoshape(fill=NO_PROGRESS_COLOUR, stroke=BORDER_COLOUR, strokeWidth=0.8, clip=True)
        .encode(shape=alt.Shape("geo:G"), tooltip=tooltip)
    )
    chart = (
        alt.layer(background, with_progress, without_progress)
        .properties(
            title=title,
            description=description,
            width=720,
            height=440,
            projection=projection,
        )
        .configure_view(stroke=None)
    )
    return shape_of(chart)


def indicator_chart(
    series: Sequence[Mapping], *, title: str, unit: str = "", expected_label: str | None = None
) -> dict:
    """The trend of one indicator per year: series rows {"year", "value",
    "expected", "achievement"} (from `indicators.indicator_series`); actual
    values as a solid line, the expected values (the pace line from baseline
    to target) as a dashed one."""
    actual = gettext("Value")
    expected = expected_label or gettext("Expected (pace to target)")
    values = []
    for point in series:
        year = str(point["year"])
        if point.get("value") is not None:
            values.append(
                {
                    "year": year,
                    "series": actual,
                    "value": float(point["value"]),
                    "achievement": percent_text(point.get("achievement"))
                    if point.get("achievement") is not None
                    else "",
                }
            )
        if point.get("expected") is not None:
            values.append(
                {
                    "year": year,
                    "series": expected,
                    "value": float(Decimal(point["expected"]).quantize(Decimal("0.01"))),
                    "achievement": "",
                }
            )
    shape = _indicator_shape(
        title,
        unit or gettext("Value"),
        actual,
        expected,
        gettext("Year"),
        gettext("Series"),
        gettext("Achievement"),
        gettext(
            "Line chart: the indicator's value per year (solid) and the value "
            "expected by linear interpolation from baseline to target (dashed)."
        ),
    )
    return filled(shape, {"series": values})


@functools.lru_cache(maxsize=256)
def _indicator_shape(
    title: str,
    unit: str,
    actual: str,
    expected: str,
    year: str,
    series: str,
    achievement: str,
    description: str,
) -> str:
    chart = (
        alt.Chart(data("series"))
        .mark_line(point=True)
        .encode(
            x=alt.X("year:O", title=year, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("value:Q", title=unit),
            color=alt.Color(
                "series:N",
                scale=alt.Scale(domain=[actual, expected], range=[BAR_COLOUR, EXPECTED_COLOUR]),
                legend=alt.Legend(title=None, orient="bottom"),
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[actual, expected], range=[[1, 0], [6, 4]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("year:O", title=year),
                alt.Tooltip("series:N", title=series),
                alt.Tooltip("value:Q", title=unit),
                alt.Tooltip("achievement:N", title=achievement),
            ],
        )
        .properties(title=title, description=description, width=alt.Step(60), height=260)
    )
    return shape_of(chart)
