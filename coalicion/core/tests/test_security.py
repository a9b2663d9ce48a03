"""The security baseline: production settings, headers, demo accounts."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a" * 10 + "-production-secret-for-the-test-only-" + "z" * 20,
    "ALLOWED_HOSTS": "coalicion.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
    "SITE_URL": "https://coalicion.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "DEFAULT_FROM_EMAIL": "Coalición <coalicion@example.org>",
}
MAIL_AND_SITE = ("SITE_URL", "EMAIL_HOST", "DEFAULT_FROM_EMAIL")


def manage(*args, env_overrides=None):
    # The browser tests allow async-unsafe ORM calls in this process; a
    # deployment never does.
    unset = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {key: value for key, value in os.environ.items() if key not in unset}
    env.update(env_overrides or {})
    return subprocess.run(  # noqa: S603 (fixed arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_mail_and_address_naming_each_at_once():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key not in MAIL_AND_SITE}
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    for name in MAIL_AND_SITE:
        assert name in result.stderr


@pytest.mark.parametrize(
    "override",
    [
        {"SITE_URL": "http://127.0.0.1:8000"},
        {"SITE_URL": "coalicion.example.org"},
        {"DEFAULT_FROM_EMAIL": "coalicion@localhost"},
        {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"},
    ],
    ids=["loopback-address", "address-without-scheme", "local-sender", "console-mail"],
)
def test_production_refuses_a_mail_or_address_setting_that_reaches_nobody(override):
    result = manage("check", env_overrides={**PRODUCTION_ENV, **override})
    assert result.returncode != 0
    assert "production configuration is incomplete" in result.stderr
    assert next(iter(override)) in result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY is required"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS is required"),
    ],
)
def test_production_refuses_to_start_without_its_settings(missing, message):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = manage("check", env_overrides=env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DEBUG", "true", "DEBUG cannot be on"),
        ("MFA_REQUIRED", "false", "MFA_REQUIRED cannot be off"),
        ("CACHE_BACKEND", "locmem", "not shared between processes"),
        ("SECRET_KEY", "short", "50 characters"),
        ("SESSION_IDLE_TIMEOUT", "half an hour", "must be a whole number"),
    ],
)
def test_production_refuses_unsafe_or_malformed_settings(name, value, message):
    result = manage("check", env_overrides={**PRODUCTION_ENV, name: value})
    assert result.returncode != 0
    assert message in result.stderr


def test_every_page_has_a_strict_content_security_policy(client, plan):
    policy = client.get("/es/").headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "http" not in policy  # no external origin


def test_security_headers_are_sent(client, plan):
    response = client.get("/es/members/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_pages_seen_while_signed_in_are_not_stored(client, users):
    assert "no-store" not in client.get("/es/members/").get("Cache-Control", "")
    client.force_login(users["observer"])
    assert client.get("/es/members/")["Cache-Control"] == "no-store"


@pytest.mark.real_password_hashing
def test_passwords_are_hashed_with_argon2id(users):
    assert users["observer"].password.startswith("argon2$argon2id$")


def test_request_size_is_limited():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 10 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS <= 5000


def test_an_error_page_shows_no_stack_trace(client, plan, settings):
    settings.DEBUG = False
    client.raise_request_exception = False
    from unittest import mock

    with mock.patch("coalicion.plans.views.selectors.get_plan", side_effect=RuntimeError("boom")):
        response = client.get("/es/plans/pe-2018-2027/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "boom" not in html and "Traceback" not in html
    assert "Ocurrió un error" in html and "Something went wrong" in html


def test_every_problem_in_the_configuration_is_named_in_one_message():
    result = manage(
        "check",
        env_overrides={
            **{k: v for k, v in PRODUCTION_ENV.items() if k not in {"SECRET_KEY", "SITE_URL"}},
            "CACHE_URL": "memcached://127.0.0.1:11211",
            "DB_CONN_MAX_AGE": "a minute",
            "LOG_FORMAT": "xml",
            "HEALTH_CHECK_TOKEN": "short",
        },
    )
    assert result.returncode != 0
    message = result.stderr[result.stderr.index("configuration is incomplete") :]
    for named in (
        "SECRET_KEY is required",
        "SITE_URL must be",
        "CACHE_URL must be a Redis address",
        "DB_CONN_MAX_AGE must be a whole number",
        "LOG_FORMAT must be json or text",
        "HEALTH_CHECK_TOKEN must be",
    ):
        assert named in message


def test_production_accepts_a_redis_cache_url():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        env_overrides={**PRODUCTION_ENV, "CACHE_URL": "redis://127.0.0.1:6379/3"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
