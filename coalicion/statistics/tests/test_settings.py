import os
import subprocess  # nosec B404
import sys

import pytest
from django.conf import settings


def load_settings(**env) -> subprocess.CompletedProcess:
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.STATISTICS_THRESHOLD, settings.STATISTICS_PROTECTION_LEVEL)"
    )
    return subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "coalicion.settings", **env},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_the_defaults_are_a_threshold_of_10_and_the_threshold_rule_alone():
    result = load_settings(STATISTICS_THRESHOLD="", STATISTICS_PROTECTION_LEVEL="")
    assert result.stdout.split() == ["10", "0"]


@pytest.mark.parametrize(
    "env",
    [
        {"STATISTICS_THRESHOLD": "diez"},
        {"STATISTICS_THRESHOLD": "1"},
        {"STATISTICS_PROTECTION_LEVEL": "-3"},
    ],
)
def test_a_bad_value_stops_the_application(env):
    result = load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert next(iter(env)) in result.stderr
