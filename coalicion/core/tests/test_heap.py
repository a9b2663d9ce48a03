"""A server process freezes what it made while starting (ADR 0072)."""

import subprocess  # nosec B404
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROBE = """
import gc
import weakref
import coalicion.wsgi
frozen = gc.get_freeze_count()

class Node:
    pass

# What a request builds is still collected: a cycle made after the freeze.
node = Node()
node.self = node
gone = weakref.ref(node)
del node
gc.collect()
assert gone() is None, "a cycle made after the start was not collected"
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
