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


def spec_of(chart: alt.TopLevelMixin) -> dict:
    """The chart's spec as plain JSON data (a round trip through JSON proves
    it is: numbers, strings, lists and dicts only)."""
    return json.loads(json.dumps(chart.to_dict(validate=False)))


def problems(spec: dict) -> list[str]:
    """What the Vega-Lite schema finds wrong in `spec` (the tests' check)."""
    schema = alt.vegalite.v6.schema.core.load_schema()
    validator_class = schemapi.jsonschema.validators.validator_for(schema)
    validator = validator_class(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(spec)
    ]
