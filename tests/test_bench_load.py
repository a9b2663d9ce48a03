"""The load test's own pieces (bench/load.py): its TOTP codes are those the
server accepts, its summary reads locust's figures, and the production
server settings (gunicorn.conf.py) read the environment. The load itself is
`make bench`'s business."""

import runpy
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import format_hotp_value, generate_totp_secret

from bench.load import _summary, line, totp

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("at", [0, 59, 1_700_000_015, time.time()])
def test_the_load_tests_codes_are_the_servers(at):
    secret = generate_totp_secret()
    assert totp(secret, at) == format_hotp_value(totp_auth.hotp_value(secret, int(at) // 30))


def test_the_summary_reads_locusts_aggregated_row_and_failures(tmp_path):
    columns = "Type,Name,Request Count,Failure Count,Requests/s,50%,95%,99%"
    (tmp_path / "run_stats.csv").write_text(
        f"{columns}\nGET,matrix,40,1,2.0,120,300,400\n,Aggregated,100,2,5.5,80,250,390\n",
        encoding="utf-8",
    )
    (tmp_path / "run_failures.csv").write_text(
        "Method,Name,Error,Occurrences\nGET,matrix,500 Server Error,2\n", encoding="utf-8"
    )
    summary = _summary(tmp_path / "run")
    assert summary["rps"] == 5.5 and summary["errors"] == 2 and summary["requests"] == 100
    assert summary["failures"] == ["2× matrix: 500 Server Error"]
    assert summary["slowest"] == ["matrix p95=300 ms"]
    assert line("load", "postgresql", summary) == (
        "BENCH load postgresql rps=5.5 p50_ms=80 p95_ms=250 p99_ms=390 errors=2 requests=100"
    )


def test_gunicorn_runs_threaded_workers_sized_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_THREADS", "16")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"
    assert (config["workers"], config["threads"]) == (3, 16)


def test_gunicorn_refuses_a_worker_count_that_is_not_a_number(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY must be a whole number"):
        runpy.run_path(str(ROOT / "gunicorn.conf.py"))
