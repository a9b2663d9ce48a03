"""The append-only audit log and the Secretariat's page to read it."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from coalicion.accounts.models import User
from coalicion.audit.actions import record_event
from coalicion.audit.models import AppendOnlyError, AuditEvent

LOG_URL = "/es/audit/"


def event_on(day: datetime.date, **fields) -> AuditEvent:
    """An event recorded at noon (local time) on ``day``."""
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    with mock.patch("django.utils.timezone.now", return_value=noon):
        return record_event(**fields)


def shown(response) -> set[int]:
    return {event.pk for event in response.context["page"].object_list}


# --- Append-only ----------------------------------------------------------------


@pytest.fixture
def event(db):
    return record_event(action=AuditEvent.Action.LOGIN_FAILED, email="x@test.invalid")


def test_a_saved_event_cannot_be_saved_again(event):
    event.user_email = "someone.else@test.invalid"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).user_email == "x@test.invalid"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnlyError):
        event.delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_events_cannot_be_updated_in_bulk(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(user_email="")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.update(user_email="")

    assert AuditEvent.objects.get(pk=event.pk).user_email == "x@test.invalid"


def test_events_cannot_be_deleted_in_bulk(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_an_event_keeps_the_address_after_the_user_is_deleted(make_user):
    user = make_user("leaving@test.invalid")
    event = record_event(action=AuditEvent.Action.LOGIN, actor=user)

    User.objects.filter(pk=user.pk).delete()

    event = AuditEvent.objects.get(pk=event.pk)
    assert event.user is None
    assert event.user_email == "leaving@test.invalid"


# --- Who may read it ------------------------------------------------------------


def test_the_secretariat_reads_the_log(secretariat_client):
    response = secretariat_client.get(LOG_URL)

    assert response.status_code == 200
    assert "audit/log.html" in [t.name for t in response.templates]


@pytest.mark.parametrize("role", ["observer", "focal_point", "presidency"])
def test_other_roles_are_refused_and_the_refusal_is_logged(client, users, role):
    client.force_login(users[role])

    response = client.get(LOG_URL)

    assert response.status_code == 403
    denial = AuditEvent.objects.get(action=AuditEvent.Action.PERMISSION_DENIED)
    assert denial.user == users[role]
    assert denial.path == LOG_URL
    assert denial.detail == {"permission": "audit.view_auditevent"}


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(LOG_URL)

    assert response.status_code == 302
    assert response["Location"] == f"/es/accounts/login/?next={LOG_URL}"


# --- Filters and pages ----------------------------------------------------------


@pytest.fixture
def march(users):
    """Three events in March 2024, by two users, of two kinds."""
    return {
        "observer_failed": event_on(
            datetime.date(2024, 3, 1),
            action=AuditEvent.Action.LOGIN_FAILED,
            email="observer@test.invalid",
        ),
        "focal_download": event_on(
            datetime.date(2024, 3, 10),
            action=AuditEvent.Action.DOWNLOAD,
            actor=users["focal_point"],
            target="informe.pdf",
        ),
        "focal_failed": event_on(
            datetime.date(2024, 3, 20),
            action=AuditEvent.Action.LOGIN_FAILED,
            email="focal.cr@test.invalid",
        ),
    }


def test_the_log_filters_by_user(secretariat_client, march):
    response = secretariat_client.get(LOG_URL, {"user": "FOCAL.CR"})

    assert shown(response) == {march["focal_download"].pk, march["focal_failed"].pk}


def test_the_log_filters_by_action(secretariat_client, march):
    response = secretariat_client.get(LOG_URL, {"action": "login_failed"})

    assert shown(response) == {march["observer_failed"].pk, march["focal_failed"].pk}


def test_the_log_filters_by_dates_both_inclusive(secretariat_client, march):
    response = secretariat_client.get(LOG_URL, {"since": "2024-03-10", "until": "2024-03-20"})

    assert shown(response) == {march["focal_download"].pk, march["focal_failed"].pk}


def test_the_log_combines_filters(secretariat_client, march):
    response = secretariat_client.get(
        LOG_URL, {"user": "focal", "action": "login_failed", "until": "2024-03-31"}
    )

    assert shown(response) == {march["focal_failed"].pk}


def test_an_unknown_action_or_malformed_date_is_ignored(secretariat_client, march):
    response = secretariat_client.get(
        LOG_URL, {"action": "drop_table", "since": "2024-13-45", "until": "2024-03-31"}
    )

    assert response.status_code == 200
    assert shown(response) == {event.pk for event in march.values()}


def test_the_log_is_newest_first_and_paginated_keeping_the_filters(secretariat_client, users):
    for day in range(1, 29):
        for hour in (9, 15):
            event_on(datetime.date(2024, 2, day), action=AuditEvent.Action.DOWNLOAD, target=hour)

    first = secretariat_client.get(LOG_URL, {"action": "download"})
    second = secretariat_client.get(LOG_URL, {"action": "download", "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 6
    assert first.context["page"].object_list[0].at.date() == datetime.date(2024, 2, 28)
    assert second.context["page"].object_list[5].at.date() == datetime.date(2024, 2, 1)
    assert '?action=download&amp;page=2"' in first.content.decode()


# --- Languages ------------------------------------------------------------------


def test_the_log_is_in_english_under_en(secretariat_client, march):
    html = secretariat_client.get("/en/audit/").content.decode()

    assert '<html lang="en">' in html
    assert "Audit log" in html
    assert "File downloaded" in html
    assert "Failed sign-in" in html


def test_the_log_is_in_spanish_under_es(secretariat_client, march):
    html = secretariat_client.get(LOG_URL).content.decode()

    assert '<html lang="es">' in html
    with translation.override("es"):
        labels = [
            gettext("Audit log"),
            str(AuditEvent.Action.DOWNLOAD.label),
            str(AuditEvent.Action.LOGIN_FAILED.label),
        ]
    assert labels != ["Audit log", "File downloaded", "Failed sign-in"]
    for label in labels:
        assert label in html
    assert "File downloaded" not in html
