"""`make run`'s demo data: one synthetic user per role, rights from records,
each app's demo data; never in production."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.test import Client

from coalicion.accounts.models import User
from coalicion.composition import demo
from coalicion.composition.checks import no_demo_users_in_production
from coalicion.core.checks import refuse_to_start_with_errors
from coalicion.core.demo import DEMO_DOMAIN, demo_users_exist
from coalicion.membership.roles import roles_of


@pytest.fixture
def credentials_file(tmp_path, monkeypatch):
    path = tmp_path / ".demo-credentials"
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", path)
    return path


def test_setup_demo_creates_a_login_per_role_with_rights_from_the_records(plan, credentials_file):
    call_command("setup_demo")
    logins = json.loads(credentials_file.read_text())
    assert set(logins) == {
        "secretariat",
        "presidency",
        "focal_point_cr",
        "focal_point_gt",
        "observer",
    }
    roles = {key: roles_of(User.objects.get(email=login["email"])) for key, login in logins.items()}
    assert roles["secretariat"].is_secretariat and not roles["secretariat"].is_presidency
    assert roles["presidency"].is_presidency and not roles["presidency"].is_secretariat
    cr = roles["focal_point_cr"]
    assert cr.is_focal_point and not cr.is_secretariat and not cr.is_presidency
    assert (
        roles["focal_point_gt"].is_focal_point
        and roles["focal_point_gt"].focal_point_of != cr.focal_point_of
    )
    assert roles["observer"].observer and not roles["observer"].is_member
    assert all(login["email"].endswith(f"@{DEMO_DOMAIN}") for login in logins.values())
    assert oct(credentials_file.stat().st_mode)[-3:] == "600"


def test_the_demo_logins_work(plan, credentials_file):
    call_command("setup_demo")
    login = json.loads(credentials_file.read_text())["focal_point_cr"]
    client = Client()
    response = client.post(
        "/es/accounts/login/", {"login": login["email"], "password": login["password"]}
    )
    assert response.status_code == 302
    assert client.get("/es/members/directory/").status_code == 200


def test_setup_demo_twice_keeps_the_same_logins(plan, credentials_file):
    call_command("setup_demo")
    first = credentials_file.read_text()
    call_command("setup_demo")
    assert credentials_file.read_text() == first
    assert User.objects.filter(email__endswith=DEMO_DOMAIN).count() == 5


def test_setup_demo_refuses_to_run_in_production(plan, credentials_file, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never created in production"):
        call_command("setup_demo")
    assert not User.objects.exists()


def test_demo_users_can_be_removed(plan, credentials_file):
    call_command("setup_demo")
    call_command("remove_demo_users")
    assert not demo_users_exist()
    assert not User.objects.filter(is_active=True).exists()


def test_the_demo_has_meetings_made_through_the_rules(plan, credentials_file, mailoutbox):
    from coalicion.meetings.models import Agreement, Event, Minutes
    from coalicion.notifications.models import Notification

    call_command("setup_demo")
    meetings = Event.objects.filter(kind=Event.Kind.ORDINARY).order_by("start")
    assert [m.number for m in meetings] == [21, 22, 23]
    first_minutes = Minutes.objects.get(event=meetings[0])
    assert first_minutes.is_frozen and first_minutes.approved_at_event == meetings[1]
    assert Agreement.objects.filter(status="fulfilled").count() == 1
    assert Event.objects.filter(kind=Event.Kind.REPRESENTATION).exists()
    assert not Notification.objects.filter(sent_at__isnull=True).exists()
    assert mailoutbox == []  # the demo sends no e-mail
    call_command("setup_demo")  # idempotent
    assert Event.objects.filter(kind=Event.Kind.ORDINARY).count() == 3


def test_production_refuses_to_start_while_demo_users_exist(make_user, settings):
    settings.PRODUCTION = True
    assert no_demo_users_in_production(databases=["default"]) == []
    refuse_to_start_with_errors()  # no demo users: starts
    make_user(f"secretaria@{DEMO_DOMAIN}")
    errors = no_demo_users_in_production(databases=["default"])
    assert [error.id for error in errors] == ["coalicion.E001"]
    with pytest.raises(ImproperlyConfigured, match="Demo users"):
        refuse_to_start_with_errors()


def test_demo_users_are_allowed_in_development(make_user, settings):
    settings.PRODUCTION = False
    make_user(f"secretaria@{DEMO_DOMAIN}")
    assert no_demo_users_in_production(databases=["default"]) == []
