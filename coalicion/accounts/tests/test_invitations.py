"""The Technical Secretariat invites users; the invitee sets a password by e-mail link."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext

from coalicion.accounts.models import Invitation, User
from coalicion.audit.models import AuditEvent
from coalicion.membership.models import (
    ObserverMembership,
    ObserverOrganisation,
    Person,
    Representation,
)

INVITE_URL = "/es/users/invite/"
NEW_PASSWORD = "a-long-and-unusual-passphrase-77"
LINK = re.compile(r"http://testserver/es/users/invitation/[\w-]+/")


def invite(client, captured, **fields):
    data = {
        "email": "nueva@test.invalid",
        "given_name": "Ana",
        "family_name": "Pérez",
        "role": "",
        "language": "es",
        **fields,
    }
    with captured(execute=True):
        return client.post(INVITE_URL, data)


def link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(0)


@pytest.fixture
def invited(secretariat_client, django_capture_on_commit_callbacks, terms):
    """An invited titular representative of Costa Rica and the link they received."""
    invite(
        secretariat_client,
        django_capture_on_commit_callbacks,
        role="titular",
        country=terms["CR"].pk,
    )
    user = User.objects.get(email="nueva@test.invalid")
    return user, link_in(mail.outbox[-1])


@pytest.mark.parametrize("role", ["titular", "alternate"])
def test_secretariat_invites_a_representative_of_a_country(
    secretariat_client, django_capture_on_commit_callbacks, terms, role
):
    response = invite(
        secretariat_client, django_capture_on_commit_callbacks, role=role, country=terms["CR"].pk
    )

    user = User.objects.get(email="nueva@test.invalid")
    assert response.status_code == 302
    assert response["Location"] == f"/es/users/{user.pk}/"
    assert not user.has_usable_password()
    assert user.person.given_name == "Ana"
    representation = Representation.objects.get(person=user.person)
    assert representation.country == terms["CR"]
    assert representation.role == role
    assert representation.start == timezone.localdate()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.USER_INVITED, target="nueva@test.invalid"
    ).exists()


def test_secretariat_invites_an_observer(secretariat_client, django_capture_on_commit_callbacks):
    organisation = ObserverOrganisation.objects.create(
        name="Organización Internacional", kind=ObserverOrganisation.Kind.INTERNATIONAL
    )

    invite(
        secretariat_client,
        django_capture_on_commit_callbacks,
        role="observer",
        organisation=organisation.pk,
    )

    person = Person.objects.get(user__email="nueva@test.invalid")
    assert ObserverMembership.objects.get(person=person).organisation == organisation
    assert not Representation.objects.filter(person=person).exists()


def test_the_invitation_email_carries_the_link_to_set_a_password(invited):
    user, link = invited

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nueva@test.invalid"]
    assert link in mail.outbox[0].body
    assert Invitation.objects.get(user=user).accepted_at is None


def test_no_email_leaves_before_the_transaction_commits(
    secretariat_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        secretariat_client.post(
            INVITE_URL,
            {"email": "n@test.invalid", "given_name": "A", "family_name": "B", "language": "es"},
        )

    assert mail.outbox == []
    assert len(callbacks) == 1


def test_accepting_with_a_good_password_sets_it(client, invited):
    user, link = invited
    client.logout()

    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/es/accounts/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert Invitation.objects.get(user=user).accepted_at is not None
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.INVITATION_ACCEPTED, user=user
    ).exists()


@pytest.mark.parametrize("weak", ["password123", "Xy7#kq", "12345678901234"])
def test_accepting_with_a_weak_password_is_refused(client, invited, weak):
    user, link = invited
    client.logout()

    response = client.post(link, {"password1": weak, "password2": weak})

    assert response.status_code == 200
    errors = response.context["form"].errors["password1"]
    assert errors
    assert errors[0] in response.content.decode()
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.INVITATION_ACCEPTED).exists()


def test_accepting_with_two_different_passwords_is_refused(client, invited):
    user, link = invited

    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})

    assert response.status_code == 200
    assert "password2" in response.context["form"].errors
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_an_expired_invitation_shows_the_invalid_page(client, invited):
    user, link = invited
    Invitation.objects.filter(user=user).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    response = client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 404
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_used_invitation_shows_the_invalid_page(client, invited):
    user, link = invited
    client.post(link, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.post(link, {"password1": "another-fine-passphrase-88", "password2": "x"})

    assert response.status_code == 404
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_an_unknown_token_shows_the_invalid_page(client, db):
    response = client.get("/es/users/invitation/not-a-token/")

    assert response.status_code == 404
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]


def test_a_disabled_users_invitation_cannot_be_used(client, invited):
    user, link = invited
    User.objects.filter(pk=user.pk).update(is_active=False)

    assert client.get(link).status_code == 404


def test_inviting_an_existing_address_is_refused_on_the_form(
    secretariat_client, django_capture_on_commit_callbacks, users
):
    users_before, people_before = User.objects.count(), Person.objects.count()

    response = invite(
        secretariat_client, django_capture_on_commit_callbacks, email="FOCAL.CR@test.invalid"
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["email"]
    assert len(errors) == 1
    assert errors[0] in response.content.decode()
    assert User.objects.count() == users_before
    assert Person.objects.count() == people_before
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_representative_without_a_country_is_refused(
    secretariat_client, django_capture_on_commit_callbacks
):
    response = invite(secretariat_client, django_capture_on_commit_callbacks, role="titular")

    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert not User.objects.filter(email="nueva@test.invalid").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["focal_point", "presidency", "observer"])
def test_only_the_secretariat_may_invite(client, users, django_capture_on_commit_callbacks, role):
    client.force_login(users[role])

    response = invite(client, django_capture_on_commit_callbacks)

    assert response.status_code == 403
    assert not User.objects.filter(email="nueva@test.invalid").exists()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_anonymous_visitor_is_sent_to_sign_in_before_inviting(
    client, db, django_capture_on_commit_callbacks
):
    response = invite(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"].startswith("/es/accounts/login/?next=")
    assert not User.objects.filter(email="nueva@test.invalid").exists()


def test_resending_replaces_the_invitation_of_a_user_without_a_password(
    secretariat_client, django_capture_on_commit_callbacks, invited
):
    user, old_link = invited
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/es/users/{user.pk}/resend/")

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    new_link = link_in(mail.outbox[0])
    assert new_link != old_link
    assert Invitation.objects.filter(user=user).count() == 2
    assert secretariat_client.get(old_link).status_code == 404
    assert secretariat_client.get(new_link).status_code == 200


def test_resending_is_refused_for_a_user_who_has_a_password(
    secretariat_client, django_capture_on_commit_callbacks, users
):
    user = users["focal_point"]

    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/es/users/{user.pk}/resend/", follow=True)

    assert response.status_code == 200
    assert not Invitation.objects.filter(user=user).exists()
    assert mail.outbox == []
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_an_address_with_an_account_is_told_beside_a_missing_country(
    secretariat_client, django_capture_on_commit_callbacks, invited
):
    """Issue 12: every problem of the invitation in one round."""
    response = invite(
        secretariat_client,
        django_capture_on_commit_callbacks,
        given_name="",
        role="titular",
        country="",
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    with translation.override("es"):
        taken = gettext("There is already an account with this e-mail address.")
        no_country = gettext("Choose the country this person represents.")
    assert errors["email"] == [taken]
    assert errors["country"] == [no_country]
    assert "given_name" in errors
    assert User.objects.filter(email="nueva@test.invalid").count() == 1
