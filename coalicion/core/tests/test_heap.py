"""A server process freezes what it made while starting (ADR 0072)."""

import subprocess  # nosec B404
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import gc
import coalicion.wsgi
frozen = gc.get_freeze_count()
made = [[i] for i in range(50_000)]  # what a request builds is still collected
assert gc.get_freeze_count() == frozen
print(frozen)
"""


def test_the_wsgi_application_freezes_what_starting_made():
    # A fresh interpreter: importing the entry point as gunicorn does.
    done = subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "coalicion.settings"},
    )
    assert done.returncode == 0, done.stderr
    # Django and the apps: tens of thousands of objects out of the collector's reach.
    assert int(done.stdout.strip()) > 20_000
