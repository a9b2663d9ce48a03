"""One JSON line per request with its id, and the id on error pages (ADR 0060)."""

import json
import logging
import re
from unittest import mock

import pytest
from django.db import OperationalError

from coalicion.core.logs import JsonFormatter, RequestIdFilter

REQUEST_LOGGER = "coalicion.request"


def request_lines(caplog) -> list[dict]:
    """The per-request records, formatted as production writes them."""
    formatter = JsonFormatter()
    id_filter = RequestIdFilter()
    lines = []
    for record in caplog.records:
        if record.name == REQUEST_LOGGER:
            id_filter.filter(record)
            lines.append(json.loads(formatter.format(record)))
    return lines


@pytest.fixture
def caplog_info(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def test_each_request_gives_one_json_line_with_its_id(client, plan, caplog_info):
    response = client.get("/es/plans/pe-2018-2027/?q=secret-search")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    (line,) = request_lines(caplog_info)
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == "/es/plans/pe-2018-2027/"
    assert line["status"] == 200
    assert line["user_id"] is None
    assert line["level"] == "INFO"
    assert isinstance(line["duration_ms"], float)
    assert line["time"].endswith("+00:00")


def test_the_line_names_a_signed_in_user_by_number_only(client_as, users, plan, caplog_info):
    response = client_as("focal_point").get(
        "/es/my-work/?email=focal.cr@test.invalid", REMOTE_ADDR="203.0.113.9"
    )
    assert response.status_code == 200
    (line,) = request_lines(caplog_info)
    assert line["user_id"] == users["focal_point"].pk
    written = json.dumps(line)
    for personal in ("focal.cr@test.invalid", "203.0.113.9", "email=", "Persona"):
        assert personal not in written


def test_a_proxys_request_id_is_kept_if_sane_and_replaced_otherwise(client, plan, caplog_info):
    sane = "lb-2f1c9a7e-1b2c-4d5e-8f90-a1b2c3d4e5f6"
    assert client.get("/es/", HTTP_X_REQUEST_ID=sane)["X-Request-ID"] == sane
    for insane in ("short", "x" * 65, "id with spaces 1234", '<script>"1234567'):
        response = client.get("/es/", HTTP_X_REQUEST_ID=insane)
        assert response["X-Request-ID"] != insane
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_secret_keys_in_a_path_are_not_logged(client, db, caplog_info):
    client.get("/es/accounts/password/reset/key/4-abcdef-secret-key/")
    client.get("/es/users/invitation/secret-invitation-token/")
    written = json.dumps(request_lines(caplog_info), ensure_ascii=False)
    assert "secret-key" not in written and "secret-invitation-token" not in written
    assert "/es/accounts/password/reset/key/…/" in written


def test_an_error_page_shows_the_request_id_which_the_logged_traceback_carries(
    client, plan, settings, caplog_info
):
    client.raise_request_exception = False
    with mock.patch("coalicion.plans.views.selectors.get_plan", side_effect=RuntimeError("boom")):
        response = client.get("/en/plans/pe-2018-2027/", HTTP_X_REQUEST_ID="req-0123456789")
    assert response.status_code == 500
    html = response.content.decode()
    assert "req-0123456789" in html
    assert "boom" not in html and "Traceback" not in html
    assert response["X-Request-ID"] == "req-0123456789"
    error = next(r for r in caplog_info.records if r.name == "django.request")
    RequestIdFilter().filter(error)
    logged = json.loads(JsonFormatter().format(error))
    assert logged["request_id"] == "req-0123456789"
    assert "RuntimeError: boom" in logged["traceback"]
    (line,) = request_lines(caplog_info)
    assert line["status"] == 500 and line["level"] == "ERROR"


@pytest.mark.parametrize(
    ("url", "headers", "first"),
    [
        ("/es/plans/pe-2018-2027/", {}, "Servicio no disponible"),
        ("/en/plans/pe-2018-2027/", {}, "Temporarily unavailable"),
        ("/en/plans/pe-2018-2027/", {"HTTP_ACCEPT_LANGUAGE": "es"}, "Temporarily unavailable"),
    ],
)
def test_a_database_that_does_not_answer_gives_a_503_page_in_both_languages(
    client, plan, url, headers, first, django_assert_num_queries
):
    client.raise_request_exception = False
    with (
        mock.patch(
            "coalicion.plans.views.selectors.get_plan",
            side_effect=OperationalError("connection refused"),
        ),
        django_assert_num_queries(0),
    ):
        response = client.get(url, **headers)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "connection refused" not in html
    assert html.index(first) < html.index(
        "Temporarily unavailable" if first.startswith("Servicio") else "Servicio no disponible"
    )
    assert response["X-Request-ID"] in html


def test_the_503_page_follows_the_browser_outside_a_language_prefix(rf):
    from coalicion.core.views import page_language

    assert page_language(rf.get("/health/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")) == "en"
    assert page_language(rf.get("/en/plans/", HTTP_ACCEPT_LANGUAGE="es")) == "en"
    assert page_language(rf.get("/health/", HTTP_ACCEPT_LANGUAGE="es-CR")) == "es"
