"""The benchmark's cooperation dataset and its measurement run (one run:
the figures are `make bench`'s business, not the tests'). The matrix with
all 12 indicators live is measured whole in bench/measurements/pages.py."""

from bench import Context
from bench.measurements import cooperation


def test_country_profile_measurement_runs(plan, terms):
    context = Context(backend="sqlite", runs=1, plan=plan, as_of=plan.period_start)
    profile = cooperation.country_profile(context)
    assert profile[0].name == "country_profile" and profile[0].queries > 0
