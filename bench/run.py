"""python -m bench: run every measurement on SQLite and on PostgreSQL.

For each backend a temporary database is made (a SQLite file in a temporary
folder; a PostgreSQL database `coalicion_bench_<pid>`, dropped afterwards),
then `python -m bench.measure` runs in a subprocess with DATABASE_URL set to
it: it migrates, seeds the synthetic dataset and measures. PostgreSQL is
reached at BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres);
when it cannot be reached, its measurements are skipped with a message.
"""

import argparse
import os
import subprocess  # nosec B404
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("sqlite", "postgresql")
DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def sqlite_database():
    with tempfile.TemporaryDirectory(prefix="coalicion-bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}", None


@contextmanager
def postgresql_database():
    admin_url = os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    try:
        import psycopg
        from psycopg import sql

        admin = psycopg.connect(admin_url, autocommit=True, connect_timeout=5)
    except Exception as exc:
        reason = " ".join(str(exc).split())
        yield None, f"PostgreSQL unreachable at {_without_password(admin_url)}: {reason}"
        return
    name = f"coalicion_bench_{os.getpid()}"
    try:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        parts = urlsplit(admin_url)
        yield urlunsplit(parts._replace(path=f"/{name}")), None
    finally:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        admin.close()


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


DATABASES = {"sqlite": sqlite_database, "postgresql": postgresql_database}


# Measurements whose data does not depend on the synthetic plan's scale (the
# statistics module seeds its own records): run at the first scale only.
SCALE_INDEPENDENT = (
    "stats_import",
    "stats_protect",
    "stats_pivot",
    "stats_protect_small",
    "stats_audit_small",
)


def run_backend(
    backend: str, scale: float, args, *, first: bool
) -> tuple[list[str], list[str], bool]:
    """(BENCH lines, SKIP lines, ok) of one backend at one scale."""
    with DATABASES[backend]() as (url, problem):
        if url is None:
            return [], [f"SKIP * {backend} {problem}"], True
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "False"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "coalicion.settings")
        command = [
            sys.executable,
            "-m",
            "bench.measure",
            "--backend",
            backend,
            "--years",
            str(args.years),
            "--scale",
            f"{scale:g}",
            "--runs",
            str(args.runs),
        ]
        if args.only:
            command += ["--only", *args.only]
        if not first:
            command += ["--exclude", *SCALE_INDEPENDENT]
        started = time.perf_counter()
        print(
            f"== {backend}: migrating, seeding {args.years} years at scale {scale:g}, "
            f"measuring ({args.runs} runs each)…",
            flush=True,
        )
        # A fixed command: this same Python on bench.measure.
        done = subprocess.run(  # noqa: S603  # nosec B603
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        lines = done.stdout.splitlines()
        for line in lines:
            if not line.startswith(("BENCH ", "SKIP ")):
                print(f"   {line}")
        print(f"   done in {time.perf_counter() - started:.1f} s", flush=True)
        if done.returncode != 0:
            print(f"!! {backend} failed (exit {done.returncode}):", file=sys.stderr)
            print(done.stderr, file=sys.stderr)
        bench_lines = [line for line in lines if line.startswith("BENCH ")]
        skip_lines = [line for line in lines if line.startswith("SKIP ")]
        ok = done.returncode == 0
        if backend == "postgresql" and first and wants_load(args):
            load_lines, load_ok = run_load(env, args)
            bench_lines += load_lines
            ok = ok and load_ok
        return bench_lines, skip_lines, ok


def wants_load(args) -> bool:
    return not args.no_load and (not args.only or "load" in args.only)


def run_load(env: dict, args) -> tuple[list[str], bool]:
    """The load test (bench/load.py) on this backend's database."""
    print(
        f"== load test: gunicorn (production settings), {args.load_users} users, "
        f"{args.load_seconds} s with pauses, then without…",
        flush=True,
    )
    command = [
        sys.executable,
        "-m",
        "bench.load",
        "--users",
        str(args.load_users),
        "--seconds",
        str(args.load_seconds),
    ]
    # A fixed command: this same Python on bench.load.
    done = subprocess.run(  # noqa: S603  # nosec B603
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    for line in done.stdout.splitlines():
        if not line.startswith("BENCH "):
            print(f"   {line}")
    if done.returncode != 0:
        print(f"!! load test failed (exit {done.returncode}):", file=sys.stderr)
        print(done.stderr, file=sys.stderr)
    return [line for line in done.stdout.splitlines() if line.startswith("BENCH ")], (
        done.returncode == 0
    )


def parse(line: str) -> dict:
    _bench, name, backend, *pairs = line.split()
    values = dict(pair.split("=", 1) for pair in pairs)
    return {"name": name, "backend": backend, **values}


def table(bench_lines: list[str]) -> str:
    rows = [parse(line) for line in bench_lines if "median_s=" in line]
    header = (
        f"{'measurement':<28}{'backend':<12}{'scale':>6}{'median (ms)':>12}{'queries':>9}"
        f"{'ratio':>8}"
    )
    out = [header, "-" * len(header)]
    for row in rows:
        ratio = row.get("ratio", "")
        out.append(
            f"{row['name']:<28}{row['backend']:<12}{row.get('scale', ''):>6}"
            f"{float(row['median_s']) * 1000:>12.2f}{row['queries']:>9}{ratio:>8}"
        )
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--scale",
        type=float,
        nargs="+",
        default=[1.0, 10.0],
        help="40 × scale activities per POA; each scale is a fresh database (default: 1 10).",
    )
    parser.add_argument("--years", type=int, default=10, help="POAs (years) to seed.")
    parser.add_argument("--runs", type=int, default=7, help="Timed runs per measurement.")
    parser.add_argument(
        "--backend", action="append", choices=BACKENDS, help="Only this backend (repeatable)."
    )
    parser.add_argument(
        "--only", nargs="*", help="Only these measurements ('load': the load test)."
    )
    parser.add_argument("--no-load", action="store_true", help="Skip the load test.")
    parser.add_argument("--load-users", type=int, default=50)
    parser.add_argument("--load-seconds", type=int, default=60)
    args = parser.parse_args(argv)

    all_bench, all_skip, ok = [], [], True
    for index, scale in enumerate(args.scale):
        for backend in args.backend or BACKENDS:
            bench_lines, skip_lines, backend_ok = run_backend(
                backend, scale, args, first=index == 0
            )
            all_bench += bench_lines
            all_skip += skip_lines
            ok = ok and backend_ok

    print()
    print(table(all_bench))
    for line in all_skip:
        print(line)
    print()
    for line in all_bench:
        print(line)
    return 0 if ok else 1
