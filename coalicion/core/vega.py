"""Vega-Lite specs from altair charts, as plain data.

altair validates every object it builds against the Vega-Lite JSON schema
while it builds it ("debug mode"), and the whole spec again in `to_dict`:
on the dashboard that cost more than everything else the page computes
(four charts, some 50 validations each). The specs the application builds
are fixed in code and validated by the tests (every chart function's
output, `coalicion/core/tests/test_vega.py` and the apps' chart tests), so
a request does not validate them again.
"""

import json

import altair as alt
from altair.utils import schemapi

# Process-wide: altair reads it when each schema object is built.
schemapi.disable_debug_mode()


def data(name: str) -> alt.Data:
    """Data a chart names and `spec_of` fills in: altair copies a chart's
    data at each step that builds it (marks, encodings, layers), rows
    included; a name costs nothing to copy."""
    return alt.Data(name=name)


def shape_of(chart: alt.TopLevelMixin) -> str:
    """The chart's spec as JSON text, its rows left as `data(name)`: built
    once per title and language and kept (`functools.lru_cache` on the chart
    module's builders), since building it with altair costs some 10 ms and
    only the rows change from one request to the next (ADR 0073)."""
    return json.dumps(chart.to_dict(validate=False))


def filled(shape: str, values: dict[str, list]) -> dict:
    """A new spec from `shape`, each `data(name)` replaced by its rows
    `values[name]`: the same spec as if the rows had been given to altair."""
    return _filled(json.loads(shape), values)


def spec_of(chart: alt.TopLevelMixin, values: dict[str, list] | None = None) -> dict:
    """The chart's spec as plain JSON data (a round trip through JSON proves
    it is: numbers, strings, lists and dicts only), each `data(name)` of it
    replaced by its rows `values[name]`."""
    return filled(shape_of(chart), values or {})


def _filled(node, values: dict[str, list]):
    if isinstance(node, list):
        return [_filled(item, values) for item in node]
    if not isinstance(node, dict):
        return node
    filled = {}
    for key, value in node.items():
        if key == "data" and isinstance(value, dict) and value.get("name") in values:
            filled[key] = {"values": values[value["name"]]}
        else:
            filled[key] = _filled(value, values)
    return filled


def problems(spec: dict) -> list[str]:
    """What the Vega-Lite schema finds wrong in `spec` (the tests' check)."""
    schema = alt.vegalite.v6.schema.core.load_schema()
    validator_class = schemapi.jsonschema.validators.validator_for(schema)
    validator = validator_class(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(spec)
    ]
