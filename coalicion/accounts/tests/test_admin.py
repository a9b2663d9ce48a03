"""The administration cannot be used to step outside the governance records."""

from allauth.mfa.models import Authenticator

from coalicion.audit.models import AuditEvent


def change_url(user):
    return f"/es/admin/accounts/user/{user.pk}/change/"


def test_the_secretariat_cannot_make_anyone_a_superuser(client, users):
    secretariat = users["secretariat"]
    client.force_login(secretariat)
    form = client.get(change_url(secretariat)).context["adminform"].form
    assert "is_superuser" not in form.fields

    client.post(
        change_url(secretariat),
        {"email": secretariat.email, "is_active": "on", "is_superuser": "on", "is_staff": "on"},
    )

    secretariat.refresh_from_db()
    assert not secretariat.is_superuser and not secretariat.is_staff


def test_changes_to_an_account_in_the_administration_are_audited(client, users):
    client.force_login(users["secretariat"])
    target = users["observer"]

    response = client.post(
        change_url(target),
        {"email": target.email, "first_name": "Olga", "last_name": "Nueva", "is_active": "on"},
    )

    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.USER_CHANGED)
    assert event.target == target.email and "last_name" in event.detail["fields"]


def test_a_password_set_in_the_administration_is_audited(client, users, make_user):
    client.force_login(make_user("root@example.org", superuser=True))
    target = users["observer"]

    client.post(
        f"/es/admin/accounts/user/{target.pk}/password/",
        {"password1": "una-clave-nueva-larga-1", "password2": "una-clave-nueva-larga-1"},
    )

    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.PASSWORD_CHANGED, target=target.email
    ).exists()


def test_the_secretariat_sees_second_factors_without_their_secrets(client, users):
    target = users["observer"]
    authenticator = Authenticator.objects.create(
        user=target, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    client.force_login(users["secretariat"])

    html = client.get(f"/es/admin/mfa/authenticator/{authenticator.pk}/change/").content.decode()

    assert "JBSWY3DPEHPK3PXP" not in html
    response = client.post(
        f"/es/admin/mfa/authenticator/{authenticator.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    assert Authenticator.objects.filter(pk=authenticator.pk).exists()
