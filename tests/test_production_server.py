"""The production configuration, started as an operator starts it.

A temporary PostgreSQL database, `manage.py deploy`, then gunicorn with
gunicorn.conf.py on a free port and DJANGO_ENV=production: the main pages,
their security headers and the JSON log; two application processes sharing
sessions, sign-in lockouts and the cache through one database and Redis;
and a database that stops answering (a TCP proxy in between is closed) gives
the 503 page until it answers again. ADRs 0060-0062.

Skipped only when PostgreSQL (or, for the scale-out test, Redis) cannot be
reached, saying so.
"""

import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import socket
import struct
import subprocess  # nosec B404
import sys
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

pytestmark = pytest.mark.production_server

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "coalicion.example.org"


def _pg_server() -> str:
    """The PostgreSQL server the suite runs against (DATABASE_URL), else the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return parts._replace(path="/postgres").geturl()
    return "postgresql://postgres@127.0.0.1:5432/postgres"


PG_SERVER = _pg_server()
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "a-long-test-password-for-production-42"  # nosec B105


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def base_env(database_url: str, tmp: Path) -> dict[str, str]:
    unset = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "CACHE_URL", "CACHE_BACKEND", "DEBUG"}
    env = {k: v for k, v in os.environ.items() if k not in unset and not k.startswith("PYTEST")}
    env.update(
        {
            "DJANGO_ENV": "production",
            "DJANGO_SETTINGS_MODULE": "coalicion.settings",
            "SECRET_KEY": "production-server-test-" + "k" * 40,
            "ALLOWED_HOSTS": HOST,
            "SITE_URL": f"https://{HOST}",
            # Never contacted: no page requested here sends mail.
            "EMAIL_HOST": "smtp.example.org",
            "DEFAULT_FROM_EMAIL": "Coalición <coalicion@example.org>",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(tmp / "static"),
            "MEDIA_ROOT": str(tmp / "media"),
            "LOG_FORMAT": "json",
            "DB_CONNECT_TIMEOUT": "2",
        }
    )
    return env


def manage(env, *args, timeout=300) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603  # nosec B603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


class Response:
    def __init__(self, raw: http.client.HTTPResponse):
        self.status = raw.status
        self.headers = raw.headers
        self.text = raw.read().decode("utf-8", "replace")
        self.cookies = SimpleCookie()
        for header in raw.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)


def request(port, path, *, method="GET", cookies=None, data=None, headers=None, https=True):
    """A request as the load balancer forwards it (TLS ended, X-Forwarded-Proto)."""
    sent = {"Host": HOST, "Accept-Language": "es"}
    if https:
        sent["X-Forwarded-Proto"] = "https"
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if data is not None:
        body = urlencode(data)
        sent["Content-Type"] = "application/x-www-form-urlencoded"
        sent["Referer"] = f"https://{HOST}{path}"
    sent.update(headers or {})
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=sent)
        return Response(connection.getresponse())
    finally:
        connection.close()


@contextlib.contextmanager
def production_server(env, log_path: Path):
    """gunicorn (gthread) with the project's gunicorn.conf.py on a free port."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"}
    env.setdefault("GUNICORN_THREADS", "2")
    with log_path.open("ab") as log:
        process = subprocess.Popen(  # noqa: S603  # nosec B603
            # No control socket: it would take the path of a gunicorn already
            # running on this machine.
            [
                str(BIN / "gunicorn"),
                "coalicion.wsgi",
                *("--config", "gunicorn.conf.py", "--no-control-socket"),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                if request(port, "/health/", https=False).status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer in 90 s"
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def postgres():
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect(PG_SERVER, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.skip(f"PostgreSQL is unreachable at {PG_SERVER}: {exc}")
    # Created by `deploy --create-database`, dropped here in any case.
    name = f"coalicion_prod_{uuid.uuid4().hex[:10]}"
    try:
        yield urlsplit(PG_SERVER)._replace(path=f"/{name}").geturl()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="module")
def deployed(postgres, tmp_path_factory):
    """The database and static files after `manage.py deploy`, run twice."""
    tmp = tmp_path_factory.mktemp("production")
    env = base_env(postgres, tmp)
    first = manage(env, "deploy", "--create-database").stdout
    assert f"database {urlsplit(postgres).path[1:]}: created" in first
    assert re.search(r"migrations: \d+ applied", first)
    assert "cache table coalicion_cache: created" in first
    assert "plan pe-2018-2027: loaded" in first
    second = manage(env, "deploy", "--create-database").stdout
    for said in ("exists", "migrations: none to apply", "already loaded", " 0 copied"):
        assert said in second, second
    assert "Nothing to do" in second, second
    return env, tmp


def test_the_production_server_serves_the_main_pages_with_its_security_headers(deployed):
    env, tmp = deployed
    log_path = tmp / "pages.log"
    with production_server(env, log_path) as port:
        # A load balancer's probe: plain HTTP, no redirect, no session.
        health = request(port, "/health/", https=False)
        assert (health.status, health.text) == (200, "ok")
        assert "sessionid" not in health.cookies
        # Plain HTTP to a page is sent to HTTPS.
        insecure = request(port, "/es/", https=False)
        assert insecure.status == 301
        assert insecure.headers["Location"] == f"https://{HOST}/es/"
        pages = {}
        for path in ("/es/", "/es/plans/pe-2018-2027/", "/es/accounts/login/", "/en/"):
            response = request(port, path)
            assert response.status == 200, (path, response.status, response.text[:500])
            pages[path] = response
            csp = response.headers["Content-Security-Policy"]
            assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
            assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
            assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Referrer-Policy"] == "same-origin"
            assert response.headers["X-Frame-Options"] == "DENY"
            assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
        # Static files: collected by deploy, content-hashed, served by WhiteNoise.
        stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', pages["/es/"].text)
        assert stylesheet, "no content-hashed stylesheet on the home page"
        assert request(port, stylesheet.group(1)).status == 200
        login_id = pages["/es/accounts/login/"].headers["X-Request-ID"]
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
    (login_line,) = [line for line in lines if line.get("request_id") == login_id]
    assert login_line["path"] == "/es/accounts/login/"
    assert login_line["status"] == 200 and login_line["user_id"] is None


def sign_in(port, email, password):
    """allauth's form, in English (its messages are asserted)."""
    form = request(port, "/en/accounts/login/")
    cookies = {"csrftoken": form.cookies["csrftoken"].value}
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return request(
        port,
        "/en/accounts/login/",
        method="POST",
        cookies=cookies,
        data={"csrfmiddlewaretoken": token, "login": email, "password": password},
    )


def totp_code(secret: str) -> str:
    """The current code of RFC 6238, as an authenticator app shows it; waits
    for a fresh 30-second step if this one ends within 20 s, so that a code
    refused later is refused for being used, not for being old."""
    if 30 - time.time() % 30 < 20:
        time.sleep(30 - time.time() % 30 + 0.5)
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time() // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def sign_in_with_code(port, email, password, code):
    """Password, then the second factor's form with `code`."""
    first = sign_in(port, email, password)
    assert first.status == 302, first.text[:500]
    stage = first.headers["Location"]
    cookies = {name: morsel.value for name, morsel in first.cookies.items()}
    form = request(port, stage, cookies=cookies)
    cookies.update({name: morsel.value for name, morsel in form.cookies.items()})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return stage, request(
        port,
        stage,
        method="POST",
        cookies=cookies,
        data={"csrfmiddlewaretoken": token, "code": code},
    )


def test_two_application_processes_share_sessions_lockouts_totp_codes_and_the_cache(deployed):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        pytest.skip(f"Redis is unreachable at {REDIS_URL}: {exc}")
    env, tmp = deployed
    env = {
        **env,
        "CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"coalicion-test-{uuid.uuid4().hex[:8]}",
        "LOGIN_FAILED_RATE_LIMIT": "50/10m/ip,3/15m/key",
    }
    email, locked, with_totp = (f"{uuid.uuid4().hex[:8]}@example.org" for _ in range(3))
    secret = base64.b32encode(os.urandom(20)).decode()
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from allauth.mfa.totp.internal.auth import TOTP\n"
        "from coalicion.accounts.models import User\n"
        f"for e in ({email!r}, {locked!r}, {with_totp!r}):\n"
        f"    user = User.objects.create_user(email=e, password={PASSWORD!r})\n"
        f"TOTP.activate(user, {secret!r})",
    )
    with (
        production_server(env, tmp / "a.log") as a,
        production_server(env, tmp / "b.log") as b,
    ):
        # A session made through A is accepted by B.
        signed_in = sign_in(a, email, PASSWORD)
        assert signed_in.status == 302, signed_in.text[:500]
        session = {"sessionid": signed_in.cookies["sessionid"].value}
        # Anonymous, "My work" asks to sign in; signed in (MFA is required in
        # production), it asks to set up the second factor.
        anonymous = request(b, "/en/my-work/")
        assert anonymous.headers["Location"].startswith("/en/accounts/login/")
        recognised = request(b, "/en/my-work/", cookies=session)
        assert recognised.status == 302
        assert recognised.headers["Location"] == "/en/accounts/2fa/totp/activate/"
        assert request(b, "/en/accounts/2fa/", cookies=session).status == 200
        # Failed sign-ins through A lock the account on B too.
        for _ in range(3):
            failed = sign_in(a, locked, "wrong-password")
            assert failed.status == 200 and "not correct" in failed.text
        refused = sign_in(b, locked, PASSWORD)
        assert refused.status != 302
        assert "Too many failed sign-ins for this address" in refused.text
        # A TOTP code used through A cannot be replayed through B.
        code = totp_code(secret)
        stage, accepted = sign_in_with_code(a, with_totp, PASSWORD, code)
        assert stage.startswith("/en/accounts/2fa/authenticate/")
        assert accepted.status == 302 and not accepted.headers["Location"].startswith(stage)
        _, replayed = sign_in_with_code(b, with_totp, PASSWORD, code)
        assert replayed.status == 200 and "Incorrect code." in replayed.text
    # A value cached by one process is read by another.
    value = uuid.uuid4().hex
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        f"from django.core.cache import cache; cache.set('fig', {value!r})",
    )
    read = manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.core.cache import cache; print(cache.get('fig'))",
    )
    assert read.stdout.strip() == value
    manage(
        env,
        "shell",
        "--no-imports",
        "-c",
        "from django.core.cache import cache; cache.delete('fig')",
    )


class TcpProxy:
    """Forwards a local port to PostgreSQL; `close` cuts every connection and
    refuses new ones, `open` takes them again on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            with self.lock:
                self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        if self.listener is not None:
            with contextlib.suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
            self.listener = None
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets = []


def test_the_site_answers_503_while_the_database_is_down_and_recovers_by_itself(deployed):
    env, tmp = deployed
    database = urlsplit(env["DATABASE_URL"])
    proxy = TcpProxy((database.hostname or "127.0.0.1", database.port or 5432))
    proxy.open()
    through_proxy = database._replace(
        netloc=f"{database.username or 'postgres'}@127.0.0.1:{proxy.port}"
    ).geturl()
    try:
        with production_server({**env, "DATABASE_URL": through_proxy}, tmp / "down.log") as port:
            assert request(port, "/es/plans/pe-2018-2027/").status == 200
            proxy.close()
            spanish = request(port, "/es/plans/pe-2018-2027/")
            assert spanish.status == 503
            assert spanish.headers["Retry-After"] == "30"
            assert spanish.text.index("Servicio no disponible") < spanish.text.index(
                "Temporarily unavailable"
            )
            assert spanish.headers["X-Request-ID"] in spanish.text
            english = request(port, "/en/")
            assert english.status == 503
            assert english.text.index("Temporarily unavailable") < english.text.index(
                "Servicio no disponible"
            )
            health = request(port, "/health/", https=False)
            assert (health.status, health.text) == (503, "unavailable")
            proxy.open()
            deadline = time.monotonic() + 30
            while (status := request(port, "/es/plans/pe-2018-2027/").status) != 200:
                assert status == 503
                assert time.monotonic() < deadline, "the site did not recover in 30 s"
                time.sleep(0.5)
            assert request(port, "/health/", https=False).status == 200
    finally:
        proxy.close()


def test_make_serve_prod_starts_deploy_gunicorn_and_the_worker_and_stops_both(postgres, tmp_path):
    """`scripts/serve_prod.sh` (what `make serve-prod` runs), as an operator
    starts it: it deploys, serves, and a TERM stops gunicorn and the worker."""
    bash, pgrep = shutil.which("bash"), shutil.which("pgrep")
    if bash is None or pgrep is None:
        pytest.skip("bash and pgrep are needed to start and watch serve-prod")
    port = free_port()
    env = {**base_env(postgres, tmp_path), "PORT": str(port), "WEB_CONCURRENCY": "1"}
    env["GUNICORN_THREADS"] = "2"
    env.pop("GUNICORN_BIND", None)
    log_path = tmp_path / "serve-prod.log"
    with log_path.open("ab") as log:
        script = subprocess.Popen(  # noqa: S603  # nosec B603
            [bash, str(ROOT / "scripts" / "serve_prod.sh")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 240  # the first deploy migrates and collects
        while True:
            assert script.poll() is None, log_path.read_text()
            with contextlib.suppress(OSError):
                if request(port, "/health/", https=False).status == 200:
                    break
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.5)
        page = request(port, "/es/")
        assert page.status == 200
        assert "unsafe-eval" not in page.headers["Content-Security-Policy"]
        said = log_path.read_text()
        assert "migrations:" in said and "Coalición (production configuration)" in said
        workers = subprocess.run(  # noqa: S603  # nosec B603
            [pgrep, "-s", str(script.pid), "-f", "db_worker"], capture_output=True, text=True
        )
        assert workers.stdout.strip(), "the job worker is not running"
    finally:
        os.killpg(script.pid, 15)
        script.wait(timeout=60)
    time.sleep(1)
    with pytest.raises(OSError):
        request(port, "/health/", https=False)
    left = subprocess.run(  # noqa: S603  # nosec B603
        [pgrep, "-s", str(script.pid)], capture_output=True, text=True
    )
    assert not left.stdout.strip(), "a process of serve-prod is still running"
