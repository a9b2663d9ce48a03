"""How sessions end: idle and absolute timeouts, ended by the Secretariat,
a disabled account or a password change."""

import datetime
import time

from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from coalicion.accounts.middleware import LAST_SEEN, LOGIN_AT
from coalicion.accounts.models import User
from coalicion.audit.models import AuditEvent
from conftest import TEST_PASSWORD

HOME = "/es/"


def is_signed_in(client) -> bool:
    """Whether the client's next request is made by a signed-in user."""
    return client.get(HOME).wsgi_request.user.is_authenticated


def set_login_at(client, seconds_ago: float) -> None:
    session = client.session
    session[LOGIN_AT] = time.time() - seconds_ago
    session.save()


def user_action(client, user, action):
    return client.post(f"/es/users/{user.pk}/{action}/")


# --- Timeouts -----------------------------------------------------------------


def test_signing_in_starts_the_absolute_clock(client, users):
    client.force_login(users["focal_point"])

    client.get(HOME)

    assert abs(client.session[LOGIN_AT] - time.time()) < 5


def test_a_session_older_than_the_absolute_timeout_is_signed_out(client, users, settings):
    client.force_login(users["focal_point"])
    set_login_at(client, settings.SESSION_ABSOLUTE_TIMEOUT + 1)

    response = client.get("/es/members/")

    assert response.status_code == 302
    assert response["Location"] == "/es/accounts/login/?next=/es/members/"
    assert not is_signed_in(client)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SESSION_EXPIRED)
    assert event.user == users["focal_point"]


def test_a_session_younger_than_the_absolute_timeout_goes_on(client, users, settings):
    client.force_login(users["focal_point"])
    set_login_at(client, settings.SESSION_ABSOLUTE_TIMEOUT - 60)

    assert is_signed_in(client)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SESSION_EXPIRED).exists()


def set_last_seen(client, seconds_ago: float) -> None:
    session = client.session
    session[LAST_SEEN] = time.time() - seconds_ago
    session.save()


def test_the_stored_session_lasts_no_longer_than_the_absolute_timeout(settings):
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_TIMEOUT
    assert settings.SESSION_IDLE_TIMEOUT < settings.SESSION_ABSOLUTE_TIMEOUT


def test_a_session_idle_longer_than_the_idle_timeout_is_signed_out(client, users, settings):
    client.force_login(users["focal_point"])
    set_last_seen(client, settings.SESSION_IDLE_TIMEOUT + 1)

    response = client.get("/es/members/")

    assert response.status_code == 302
    assert response["Location"] == "/es/accounts/login/?next=/es/members/"
    assert not is_signed_in(client)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SESSION_EXPIRED).exists()


def test_a_request_pushes_the_idle_clock_forward(client, users, settings):
    client.force_login(users["focal_point"])
    set_last_seen(client, settings.SESSION_IDLE_TIMEOUT - 30)

    client.get(HOME)

    assert abs(client.session[LAST_SEEN] - time.time()) < 5
    assert is_signed_in(client)


def test_requests_within_a_minute_do_not_write_the_session(client, users):
    client.force_login(users["focal_point"])
    client.get(HOME)
    key = client.session.session_key
    before = Session.objects.get(session_key=key).session_data

    client.get(HOME)

    assert Session.objects.get(session_key=key).session_data == before


def test_an_expired_stored_session_is_signed_out(client, users):
    client.force_login(users["focal_point"])
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert not is_signed_in(client)


# --- Ended by the Secretariat -------------------------------------------------


def test_the_secretariat_ends_every_session_of_a_user(client_as, secretariat_client, users):
    user = users["focal_point"]
    laptop, phone = client_as(user), client_as(user)
    assert is_signed_in(laptop) and is_signed_in(phone)

    response = user_action(secretariat_client, user, "end-sessions")

    assert response.status_code == 302
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert is_signed_in(secretariat_client)
    event = AuditEvent.objects.get(action=AuditEvent.Action.SESSIONS_ENDED)
    assert event.target == user.email
    assert event.user == users["secretariat"]


def test_ending_sessions_leaves_other_users_signed_in(client_as, secretariat_client, users):
    other = client_as(users["focal_point_other"])

    user_action(secretariat_client, users["focal_point"], "end-sessions")

    assert is_signed_in(other)


def test_a_focal_point_cannot_end_someone_elses_sessions(client_as, users):
    victim = client_as(users["focal_point_other"])
    attacker = client_as(users["focal_point"])

    response = user_action(attacker, users["focal_point_other"], "end-sessions")

    assert response.status_code == 403
    assert is_signed_in(victim)


def test_disabling_a_user_signs_them_out_and_keeps_them_out(client_as, secretariat_client, users):
    cache.clear()
    user = users["focal_point"]
    session = client_as(user)

    user_action(secretariat_client, user, "disable")

    user.refresh_from_db()
    assert not user.is_active
    assert not is_signed_in(session)
    fresh = Client()
    fresh.post("/es/accounts/login/", {"login": user.email, "password": TEST_PASSWORD})
    assert not is_signed_in(fresh)
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.USER_DISABLED, target=user.email
    ).exists()


def test_the_secretariat_cannot_disable_their_own_account(secretariat_client, users):
    user_action(secretariat_client, users["secretariat"], "disable")

    assert User.objects.get(pk=users["secretariat"].pk).is_active
    assert is_signed_in(secretariat_client)


# --- Password change ----------------------------------------------------------


def test_changing_the_password_ends_the_other_sessions_but_not_this_one(client_as, users):
    user = users["focal_point"]
    here, elsewhere = client_as(user), client_as(user)
    new = "another-long-passphrase-93"

    response = here.post(
        "/es/accounts/password/change/",
        {"oldpassword": TEST_PASSWORD, "password1": new, "password2": new},
    )

    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).check_password(new)
    assert is_signed_in(here)
    assert not is_signed_in(elsewhere)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_CHANGED, user=user).exists()


def test_setting_a_new_password_on_the_model_ends_open_sessions(client_as, users):
    user = users["focal_point"]
    session = client_as(user)

    user.set_password("set-by-a-command-line-tool-5")
    user.save()

    assert not is_signed_in(session)
