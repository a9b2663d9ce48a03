"""Issue 11: the Secretariat cannot take over an account through the
administration — no password set for somebody else, no second factor
removed, nothing changed on a technical superuser's account — and a reset
goes through the e-mail flow."""

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail

from coalicion.accounts.models import User
from coalicion.notifications.sending import send_pending

ADMIN = "/es/admin/accounts/user"


@pytest.fixture
def root(make_user):
    return make_user("root@test.invalid", superuser=True)


@pytest.fixture
def root_factor(root):
    return Authenticator.objects.create(user=root, type=Authenticator.Type.TOTP, data={})


@pytest.mark.parametrize("target", ["root", "focal_point"])
def test_the_secretariat_sets_nobodys_password_in_the_administration(
    secretariat_client, users, root, target
):
    account = root if target == "root" else users[target]
    page = f"{ADMIN}/{account.pk}/password/"
    assert secretariat_client.get(page).status_code == 403
    response = secretariat_client.post(
        page, {"password1": "otra-clave-muy-larga-1", "password2": "otra-clave-muy-larga-1"}
    )
    assert response.status_code == 403
    account.refresh_from_db()
    assert not account.check_password("otra-clave-muy-larga-1")


def test_the_change_form_shows_no_password_link_below_a_superuser(secretariat_client, users):
    html = secretariat_client.get(f"{ADMIN}/{users['focal_point'].pk}/change/").content.decode()
    assert "/password/" not in html


def test_the_secretariat_changes_nothing_on_a_superusers_account(secretariat_client, root):
    response = secretariat_client.post(
        f"{ADMIN}/{root.pk}/change/",
        {"email": "intruso@test.invalid", "first_name": "X", "last_name": "Y", "is_active": ""},
    )
    assert response.status_code == 403
    assert secretariat_client.post(f"{ADMIN}/{root.pk}/delete/", {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.email == "root@test.invalid" and root.is_active


def test_the_secretariat_removes_no_second_factor(secretariat_client, root_factor):
    page = f"/es/admin/mfa/authenticator/{root_factor.pk}/delete/"
    assert secretariat_client.post(page, {"post": "yes"}).status_code == 403
    assert Authenticator.objects.filter(pk=root_factor.pk).exists()


def test_a_superuser_still_may(client_as, root, users, root_factor):
    client = client_as(root)
    assert client.get(f"{ADMIN}/{users['focal_point'].pk}/password/").status_code == 200
    page = f"/es/admin/mfa/authenticator/{root_factor.pk}/delete/"
    assert client.post(page, {"post": "yes"}).status_code == 302
    assert not Authenticator.objects.filter(pk=root_factor.pk).exists()


def test_the_users_page_refuses_to_disable_a_superuser(secretariat_client, root):
    response = secretariat_client.post(f"/en/users/{root.pk}/disable/", follow=True)
    assert "technical administrator" in response.content.decode()
    root.refresh_from_db()
    assert root.is_active


def test_the_secretariat_sends_a_reset_e_mail_instead(
    secretariat_client, users, django_capture_on_commit_callbacks
):
    user = users["focal_point"]
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/en/users/{user.pk}/reset-password/", follow=True)
    assert "An e-mail to choose a new password was sent" in response.content.decode()
    send_pending()
    (message,) = [m for m in mail.outbox if m.to == [user.email]]
    assert "http://testserver/es/accounts/password/reset/key/" in message.body or (
        "/accounts/password/reset/key/" in message.body
    )
    assert User.objects.get(pk=user.pk).check_password("correct-horse-battery-staple-42")


# --- The administration's account pages, as a matrix ----------------------------------
ROLES_BELOW_SUPERUSER = ["observer", "focal_point", "presidency", "secretariat"]
ACCOUNT_ACTIONS = {
    # action: (method, path for (account, second factor)); the data a takeover would post
    "set-password": ("post", lambda account, factor: f"{ADMIN}/{account.pk}/password/"),
    "change-account": ("post", lambda account, factor: f"{ADMIN}/{account.pk}/change/"),
    "delete-account": ("post", lambda account, factor: f"{ADMIN}/{account.pk}/delete/"),
    "remove-second-factor": (
        "post",
        lambda account, factor: f"/es/admin/mfa/authenticator/{factor.pk}/delete/",
    ),
}
TAKEOVER_DATA = {
    "password1": "toma-de-control-larga-1",
    "password2": "toma-de-control-larga-1",
    "email": "intruso@test.invalid",
    "is_active": "on",
    "post": "yes",
}


@pytest.mark.parametrize("action", ACCOUNT_ACTIONS)
@pytest.mark.parametrize("role", ROLES_BELOW_SUPERUSER)
def test_no_role_below_superuser_takes_over_the_superuser(client_as, role, action, root):
    factor = Authenticator.objects.create(user=root, type=Authenticator.Type.TOTP, data={})
    method, path = ACCOUNT_ACTIONS[action]
    response = getattr(client_as(role), method)(path(root, factor), TAKEOVER_DATA)

    # The Secretariat enters the administration and is refused there; other
    # roles never enter it (sent to the sign-in page).
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    root.refresh_from_db()
    assert root.email == "root@test.invalid" and root.is_active
    assert not root.check_password("toma-de-control-larga-1")
    assert Authenticator.objects.filter(pk=factor.pk).exists()


@pytest.mark.parametrize("role", ROLES_BELOW_SUPERUSER)
def test_no_role_below_superuser_sets_or_removes_another_users_credentials(client_as, users, role):
    target = users["focal_point_other"]
    factor = Authenticator.objects.create(user=target, type=Authenticator.Type.TOTP, data={})
    client = client_as(role)
    for action in ("set-password", "remove-second-factor"):
        method, path = ACCOUNT_ACTIONS[action]
        assert getattr(client, method)(path(target, factor), TAKEOVER_DATA).status_code in (
            302,
            403,
        )
    target.refresh_from_db()
    assert not target.check_password("toma-de-control-larga-1")
    assert Authenticator.objects.filter(pk=factor.pk).exists()
