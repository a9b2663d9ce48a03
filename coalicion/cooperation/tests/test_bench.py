"""The benchmark's cooperation dataset and measurements run (one run each:
the figures are `make bench`'s business, not the tests')."""

from bench import Context
from bench.measurements import cooperation


def test_country_profile_and_matrix_measurements_run(plan, terms):
    context = Context(backend="sqlite", runs=1, plan=plan, as_of=plan.period_start)
    profile = cooperation.country_profile(context)
    assert profile[0].name == "country_profile" and profile[0].queries > 0
    matrix = cooperation.matrix_all_indicators_live(context)
    assert matrix[0].extra["live"] == 12
