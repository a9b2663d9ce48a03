"""The load test (issue 13): the production configuration under gunicorn on
loopback, against the benchmark's PostgreSQL database, and locust driving 50
signed-in focal points (password and TOTP, through the real sign-in pages).

    DATABASE_URL=postgresql://… python -m bench.load [--users 50] [--seconds 60]

Two runs: with each user pausing 1–3 s between requests (`load`), then
without pauses (`load_saturation`, the throughput the machine saturates at).
Each prints one line:

    BENCH load postgresql rps=… p50_ms=… p95_ms=… p99_ms=… errors=…

`python -m bench` runs it on its PostgreSQL database after the measurements
(at the first scale), unless `--no-load`.
"""

import argparse
import base64
import csv
import hashlib
import hmac
import json
import os
import secrets
import socket
import struct
import subprocess  # nosec B404
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "synthetic-load-password-42"  # noqa: S105  # nosec B105
EMAIL = "load.{n}@synthetic.invalid"


def totp(secret: str, at: float | None = None) -> str:
    """The six-digit code of RFC 6238 (30-second steps, HMAC-SHA1), as an
    authenticator app shows it for `secret` (base 32)."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def prepare_users(count: int, path: Path) -> None:
    """`count` synthetic focal points, spread over the member countries, each
    with a password and a TOTP authenticator; their credentials in `path`."""
    import datetime

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalicion.settings")
    django.setup()
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from coalicion.accounts.models import User
    from coalicion.membership.models import Country, Person, Representation

    countries = list(Country.objects.filter(is_member=True).order_by("code"))
    accounts = []
    for n in range(count):
        email = EMAIL.format(n=n)
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=PASSWORD)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            country = countries[n % len(countries)]
            person = Person.objects.create(
                given_name="Carga",
                family_name=f"Sintética {n}",
                email=email,
                user=user,
                country=country,
            )
            Representation.objects.create(
                person=person, country=country, role="titular", start=datetime.date(2018, 1, 1)
            )
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        secret = generate_totp_secret()
        TOTP.activate(user, secret)
        accounts.append({"email": email, "password": PASSWORD, "secret": secret})
    path.write_text(json.dumps(accounts), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_env(database_url: str, port: int, media: str) -> dict:
    return {
        **os.environ,
        "DJANGO_ENV": "production",
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "https://coalicion.example.org",
        "EMAIL_HOST": "smtp.example.invalid",
        "DEFAULT_FROM_EMAIL": "Coalición <no-reply@coalicion.example.org>",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        # locust plays the front proxy: X-Forwarded-For carries each user's address.
        "TRUSTED_PROXY_COUNT": "1",
    }


def _manage(env: dict, *args: str) -> None:
    # A fixed command: this same Python on manage.py.
    subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


def _wait_until_up(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/es/accounts/login/", headers={"X-Forwarded-Proto": "https"}
    )
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped (exit {server.returncode})")
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310  # nosec B310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer within a minute")


def _summary(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
        failures = [
            f"{row['Occurrences']}× {row['Name']}: {row['Error']}" for row in csv.DictReader(handle)
        ]
    slowest = sorted(
        (row for name, row in rows.items() if name != "Aggregated"),
        key=lambda row: -float(row["95%"]),
    )[:3]
    return {
        "failures": failures,
        "slowest": [f"{row['Name']} p95={row['95%']} ms" for row in slowest],
        "rps": float(total["Requests/s"]),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "p99_ms": float(total["99%"]),
        "errors": int(total["Failure Count"]),
        "requests": int(total["Request Count"]),
    }


# Users arrive two a second: sign-ins (argon2 and TOTP) stay under the sign-in
# limit and do not crowd the machine; the figures count from the moment all
# have arrived (--reset-stats) for `seconds` more.
SPAWN_RATE = 2


def run_locust(*, port: int, users_file: Path, users: int, seconds: int, pause: bool, out: Path):
    prefix = out / ("paused" if pause else "saturation")
    run_time = seconds + -(-users // SPAWN_RATE) + 2
    env = {**os.environ, "LOAD_USERS_FILE": str(users_file), "LOAD_PAUSE": "1" if pause else "0"}
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(SPAWN_RATE),
        "--reset-stats",
        "--run-time",
        f"{run_time}s",
        "--host",
        f"http://127.0.0.1:{port}",
        "--csv",
        str(prefix),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    # A fixed command: this same Python on locust.
    subprocess.run(command, cwd=ROOT, env=env, check=False, capture_output=True)  # noqa: S603  # nosec B603
    return _summary(prefix)


def line(name: str, backend: str, summary: dict) -> str:
    return (
        f"BENCH {name} {backend} rps={summary['rps']:.1f} p50_ms={summary['p50_ms']:.0f} "
        f"p95_ms={summary['p95_ms']:.0f} p99_ms={summary['p99_ms']:.0f} "
        f"errors={summary['errors']} requests={summary['requests']}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--saturation-seconds", type=int, default=30)
    parser.add_argument("--backend", default="postgresql", help="Label of the lines.")
    args = parser.parse_args(argv)
    database_url = os.environ["DATABASE_URL"]

    with tempfile.TemporaryDirectory(prefix="coalicion-load-") as folder:
        folder = Path(folder)
        users_file = folder / "users.json"
        prepare_users(args.users, users_file)
        port = _free_port()
        env = production_env(database_url, port, str(folder / "media"))
        _manage(env, "createcachetable")
        _manage(env, "collectstatic", "--noinput")
        # A fixed command: gunicorn with the repository's settings.
        server = subprocess.Popen(  # nosec B603
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "coalicion.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            _wait_until_up(port, server)
            for name, pause, seconds in (
                ("load", True, args.seconds),
                ("load_saturation", False, args.saturation_seconds),
            ):
                summary = run_locust(
                    port=port,
                    users_file=users_file,
                    users=args.users,
                    seconds=seconds,
                    pause=pause,
                    out=folder,
                )
                for failure in summary["failures"]:
                    print(f"# {name}: failed {failure}", flush=True)
                print(f"# {name}: slowest " + "; ".join(summary["slowest"]), flush=True)
                print(line(name, args.backend, summary), flush=True)
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
