"""Charts drawn for documents: a Vega-Lite spec (the dashboard's own, from
`coalicion.monitoring.charts`) rendered to SVG by vl-convert, offline, in
the font the PDF ships (DejaVu Sans)."""

import copy

import vl_convert

FONT = "DejaVu Sans"


def svg(spec: dict) -> str:
    """The chart as SVG text. Only the font is set for print; the data, the
    titles and the scales are the page's."""
    spec = copy.deepcopy(spec)
    spec.setdefault("config", {})["font"] = FONT
    return vl_convert.vegalite_to_svg(vl_spec=spec)
