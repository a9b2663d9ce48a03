"""`manage.py deploy`: one idempotent step that says what it did (SQLite
here; PostgreSQL in tests/test_production_server.py)."""

import io
import os
import re
import subprocess  # nosec B404
import sys

from django.conf import settings


def deploy(env):
    return subprocess.run(  # nosec B603
        [sys.executable, "manage.py", "deploy"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout


def test_deploy_does_everything_once_and_then_says_there_is_nothing_to_do(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ENV"}}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "CACHE_BACKEND": "database",
        }
    )
    first = deploy(env)
    assert re.search(r"migrations: [1-9]\d* applied", first)
    assert "cache table coalicion_cache: created" in first
    assert "plan pe-2018-2027: loaded" in first
    copied = re.search(r"static files: (\d+) copied, 0 unchanged", first)
    assert copied and int(copied.group(1)) > 0
    assert first.rstrip().endswith("Deployed.")

    second = deploy(env)
    assert "migrations: none to apply" in second
    assert "cache table coalicion_cache: exists" in second
    assert "plan pe-2018-2027: already loaded" in second
    assert f"static files: 0 copied, {copied.group(1)} unchanged" in second
    assert second.rstrip().endswith("Nothing to do: everything was already in place.")


def test_deploy_makes_the_release_recompute_every_figure(db, settings, tmp_path):
    from django.core.management import call_command

    from coalicion.core import figures

    settings.STATIC_ROOT = str(tmp_path / "static")
    before = figures.versions(["monitoring", "meetings"])
    out = io.StringIO()
    call_command("deploy", "--no-static", stdout=out)
    assert "computed figures: recomputed on first use" in out.getvalue()
    after = figures.versions(["monitoring", "meetings"])
    assert all(after[ns] != before[ns] for ns in before)
