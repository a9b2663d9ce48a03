"""/health/ for load balancers (ADR 0060)."""

import json
from unittest import mock

import pytest
from django.db import OperationalError

HEALTH_TOKEN = "a-health-token-for-the-test-only"  # nosec B105


@pytest.fixture
def token(settings):
    settings.HEALTH_CHECK_TOKEN = HEALTH_TOKEN
    return HEALTH_TOKEN


def test_health_says_ok_and_nothing_more_to_an_anonymous_caller(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"
    assert response.cookies == {}  # no session, no CSRF cookie


def test_health_needs_no_language_prefix_allowed_host_or_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    response = client.get("/health/", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert client.get("/es/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.parametrize("failing", ["check_database", "check_cache", "check_job_queue"])
def test_health_is_unavailable_when_a_check_fails_and_tells_no_anonymous_caller_which(
    client, db, failing
):
    with mock.patch(f"coalicion.core.health.{failing}", side_effect=OperationalError("down")):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.content == b"unavailable"


def test_the_job_queue_check_reads_the_queue_table(client, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with mock.patch(
        "django_tasks_db.models.DBTaskResult.objects.values", side_effect=OperationalError("gone")
    ):
        assert client.get("/health/").status_code == 503
    assert client.get("/health/").status_code == 200


def test_health_names_the_failing_check_to_a_caller_with_the_token(client, db, token):
    with mock.patch("coalicion.core.health.check_cache", side_effect=ConnectionError("redis")):
        response = client.get("/health/", HTTP_X_HEALTH_TOKEN=token)
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {
        "status": "unavailable",
        "checks": {"cache": False, "database": True, "jobs": True},
    }
    assert "redis" not in response.content.decode()  # the reason goes to the log only


def test_a_wrong_token_gets_no_details(client, db, token):
    response = client.get("/health/", HTTP_X_HEALTH_TOKEN=token + "x")
    assert response.content == b"ok"


def test_staff_see_the_details_and_others_with_a_session_do_not(client_as, make_user, users):
    staff = make_user("staff@test.invalid")
    staff.is_staff = True
    staff.save()
    response = client_as(staff).get("/health/")
    assert response.status_code == 200
    assert json.loads(response.content)["checks"]["database"] is True
    assert client_as("observer").get("/health/").content == b"ok"
