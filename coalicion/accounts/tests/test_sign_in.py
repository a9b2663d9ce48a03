"""Signing in with an e-mail address and password, lockout, sign-up closed,
two-factor authentication and password reset."""

import json
import re
import time
import types

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal import auth as totp_auth
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.cache import cache
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils import translation

from coalicion.accounts.models import User
from coalicion.audit.models import AuditEvent
from conftest import TEST_PASSWORD

EMAIL = "focal.cr@test.invalid"


def url(name, *args):
    with translation.override("es"):
        return reverse(name, args=args)


def sign_in(client, email=EMAIL, password=TEST_PASSWORD):
    return client.post(url("account_login"), {"login": email, "password": password})


def signed_in(client) -> bool:
    return SESSION_KEY in client.session


def events(action):
    return AuditEvent.objects.filter(action=action)


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate limits and used TOTP codes live in the cache."""
    cache.clear()
    yield
    cache.clear()


# --- Password sign-in ---------------------------------------------------------


def test_a_user_signs_in_with_their_email_address(client, users):
    response = sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == url("my_work")  # "My work", what is theirs to do
    assert client.session[SESSION_KEY] == str(users["focal_point"].pk)
    event = events(AuditEvent.Action.LOGIN).get()
    assert event.user == users["focal_point"]
    assert event.user_email == EMAIL
    assert event.ip_address == "127.0.0.1"


def test_the_email_address_is_not_case_sensitive(client, users):
    sign_in(client, email="Focal.CR@Test.Invalid")

    assert client.session[SESSION_KEY] == str(users["focal_point"].pk)


def test_a_wrong_password_is_recorded_without_the_password(client, users):
    response = sign_in(client, password="a-wrong-guess-123")

    assert response.status_code == 200
    assert not signed_in(client)
    event = events(AuditEvent.Action.LOGIN_FAILED).get()
    assert event.user_email == EMAIL
    assert event.user is None
    stored = json.dumps(model_to_dict(event), default=str)
    assert "a-wrong-guess-123" not in stored
    assert not events(AuditEvent.Action.LOGIN).exists()


def test_the_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    client, users
):
    for _ in range(5):
        sign_in(client, password="a-wrong-guess-123")
    assert not events(AuditEvent.Action.LOCKOUT).exists()

    response = sign_in(client)

    assert response.status_code == 200
    assert not signed_in(client)
    assert not events(AuditEvent.Action.LOGIN).exists()
    lockout = events(AuditEvent.Action.LOCKOUT).get()
    assert lockout.user_email == EMAIL
    assert response.context["form"].non_field_errors()


def test_the_lockout_says_how_the_owner_still_gets_in_and_records_from_where(client, users):
    for _ in range(5):
        sign_in(client, password="a-wrong-guess-123")

    with translation.override("en"):
        response = client.post(
            url("account_login"),
            {"login": EMAIL, "password": TEST_PASSWORD},
            REMOTE_ADDR="203.0.113.9",
        )

    assert "¿Olvidó su contraseña?" in " ".join(response.context["form"].non_field_errors())
    lockout = events(AuditEvent.Action.LOCKOUT).get()
    assert lockout.ip_address == "203.0.113.9"
    assert lockout.target == str(users["focal_point"])


def test_the_owner_of_a_locked_account_gets_in_after_the_e_mail_reset(
    client, users, django_capture_on_commit_callbacks
):
    for _ in range(6):
        sign_in(client, password="a-wrong-guess-123")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("account_reset_password"), {"email": EMAIL})
    link = re.search(
        r"http://testserver(/es/accounts/password/reset/key/\S+/)", mail.outbox[0].body
    )
    form_page = client.get(link.group(1))
    client.post(
        form_page["Location"],
        {"password1": "a-brand-new-passphrase-31", "password2": "a-brand-new-passphrase-31"},
    )

    sign_in(client, password="a-brand-new-passphrase-31")

    assert client.session[SESSION_KEY] == str(users["focal_point"].pk)


def test_the_lockout_is_per_address(client, users):
    for _ in range(5):
        sign_in(client, password="a-wrong-guess-123")

    sign_in(client, email="focal.gt@test.invalid")

    assert client.session[SESSION_KEY] == str(users["focal_point_other"].pk)


def test_four_failures_do_not_lock_the_account(client, users):
    for _ in range(4):
        sign_in(client, password="a-wrong-guess-123")

    sign_in(client)

    assert signed_in(client)


def test_a_disabled_user_cannot_sign_in(client, users):
    User.objects.filter(email=EMAIL).update(is_active=False)

    sign_in(client)

    assert not signed_in(client)
    assert not events(AuditEvent.Action.LOGIN).exists()


def test_the_session_key_changes_at_sign_in(client, users):
    session = client.session
    session["before"] = True
    session.save()
    key_before = session.session_key

    sign_in(client)

    assert signed_in(client)
    assert client.session.session_key != key_before


def test_signing_out_is_recorded(client, users):
    sign_in(client)

    response = client.post(url("account_logout"))

    assert response.status_code == 302
    assert not signed_in(client)
    assert events(AuditEvent.Action.LOGOUT).get().user == users["focal_point"]


# --- No public sign-up --------------------------------------------------------


def test_public_sign_up_is_closed(client, db):
    response = client.get(url("account_signup"))

    assert "account/signup_closed.html" in [t.name for t in response.templates]
    assert "<form" not in response.content.decode()


def test_posting_the_sign_up_form_creates_no_user(client, db):
    client.post(
        url("account_signup"),
        {"email": "intruder@test.invalid", "password1": TEST_PASSWORD, "password2": TEST_PASSWORD},
    )

    assert not User.objects.filter(email="intruder@test.invalid").exists()
    assert not signed_in(client)


# --- Two-factor authentication -------------------------------------------------


@pytest.fixture
def frozen_totp_clock(monkeypatch):
    """TOTP codes are checked against this instant, in the middle of a period."""
    now = (int(time.time()) // 30) * 30 + 15
    monkeypatch.setattr(totp_auth, "time", types.SimpleNamespace(time=lambda: now))
    return now


@pytest.fixture
def totp_secret(users, frozen_totp_clock):
    secret = generate_totp_secret()
    TOTP.activate(users["focal_point"], secret)
    return secret


def current_code(secret, now) -> str:
    return format_hotp_value(totp_auth.hotp_value(secret, now // 30))


def test_mfa_required_sends_a_user_without_it_to_set_it_up(client, users, settings):
    settings.MFA_REQUIRED = True
    sign_in(client)  # a real sign-in: setting up TOTP needs a recent authentication

    for page in [url("home"), url("accounts:users"), "/es/members/"]:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"] == url("mfa_activate_totp")
    # allauth asks for the password again before setting up TOTP; both pages open.
    response = client.get(url("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] in {
        url("mfa_activate_totp"),
        url("account_reauthenticate"),
    }


def test_mfa_required_still_lets_a_user_without_it_sign_out(client, users, settings):
    settings.MFA_REQUIRED = True
    client.force_login(users["focal_point"])

    response = client.post(url("account_logout"))

    assert response.status_code == 302
    assert response["Location"] != url("mfa_activate_totp")
    assert not signed_in(client)


def test_mfa_required_lets_a_user_with_totp_reach_internal_pages(
    client, users, settings, totp_secret
):
    settings.MFA_REQUIRED = True
    client.force_login(users["focal_point"])

    assert client.get(url("home")).status_code == 200


def test_sign_in_asks_for_the_code_and_a_valid_code_completes_it(
    client, users, totp_secret, frozen_totp_clock
):
    response = sign_in(client)

    assert response.status_code == 302
    assert response["Location"] == url("mfa_authenticate")
    assert not signed_in(client)
    assert not events(AuditEvent.Action.LOGIN).exists()

    response = client.post(
        url("mfa_authenticate"), {"code": current_code(totp_secret, frozen_totp_clock)}
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(users["focal_point"].pk)
    assert events(AuditEvent.Action.LOGIN).count() == 1


def test_a_wrong_code_does_not_sign_in(client, users, totp_secret, frozen_totp_clock):
    sign_in(client)
    wrong = f"{(int(current_code(totp_secret, frozen_totp_clock)) + 1) % 10**6:06}"

    response = client.post(url("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not signed_in(client)


def test_a_totp_code_works_only_once(client, users, totp_secret, frozen_totp_clock):
    code = current_code(totp_secret, frozen_totp_clock)
    sign_in(client)
    client.post(url("mfa_authenticate"), {"code": code})
    assert signed_in(client)

    other = Client()  # another browser
    sign_in(other)
    response = other.post(url("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert not signed_in(other)
    assert events(AuditEvent.Action.LOGIN).count() == 1


def test_a_recovery_code_works_only_once(client, users, totp_secret):
    code = RecoveryCodes.activate(users["focal_point"]).get_unused_codes()[0]
    sign_in(client)
    client.post(url("mfa_authenticate"), {"code": code})
    assert signed_in(client)

    other = Client()  # another browser
    sign_in(other)
    response = other.post(url("mfa_authenticate"), {"code": code})

    assert "code" in response.context["form"].errors
    assert not signed_in(other)


# --- Password reset -----------------------------------------------------------


def test_a_password_reset_does_not_sign_the_user_in(
    client, users, django_capture_on_commit_callbacks
):
    user = users["focal_point"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("account_reset_password"), {"email": EMAIL})
    assert len(mail.outbox) == 1
    link = re.search(
        r"http://testserver(/es/accounts/password/reset/key/\S+/)", mail.outbox[0].body
    )
    assert link, mail.outbox[0].body

    form_page = client.get(link.group(1))
    assert form_page.status_code == 302
    response = client.post(
        form_page["Location"],
        {"password1": "a-brand-new-passphrase-31", "password2": "a-brand-new-passphrase-31"},
    )

    assert response.status_code == 302
    assert response["Location"] == url("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password("a-brand-new-passphrase-31")
    assert not signed_in(client)
    assert client.get(url("accounts:users")).status_code == 302
    assert events(AuditEvent.Action.PASSWORD_RESET).get().user == user
    assert not events(AuditEvent.Action.LOGIN).exists()
