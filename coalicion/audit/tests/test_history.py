"""The history page of a domain object: who changed which field, from what to what."""

import pytest
from django.utils import translation
from django.utils.html import escape
from django.utils.text import capfirst

from coalicion.audit.history import Change
from coalicion.audit.models import AuditEvent
from coalicion.membership.models import Person
from coalicion.plans.models import Axis

NEW_NAME = "Prevención integral renovada"


def history_url(obj, language="es") -> str:
    meta = obj._meta
    return f"/{language}/audit/history/{meta.app_label}/{meta.model_name}/{obj.pk}/"


def name_label(language: str) -> str:
    """The verbose name of Axis.name as the catalog translates it."""
    with translation.override(language):
        return capfirst(str(Axis._meta.get_field("name").verbose_name))


@pytest.fixture
def renamed_axis(plan, users):
    """Axis 1 renamed by the Secretariat; returns the axis and its old name."""
    axis = plan.axes.get(code="1")
    old_name = axis.name
    axis.name = NEW_NAME
    axis._history_user = users["secretariat"]
    axis.save()
    return axis, old_name


def test_the_history_shows_who_changed_which_field_from_what_to_what(observer_client, renamed_axis):
    axis, old_name = renamed_axis

    response = observer_client.get(history_url(axis))

    assert response.status_code == 200
    latest = response.context["entries"][0]
    assert latest.who == "secretariat@test.invalid"
    assert latest.kind == "changed"
    assert latest.changes == [Change(field="nombre (español)", old=old_name, new=NEW_NAME)]
    html = response.content.decode()
    # Observers do not read the directory: the page does not show addresses.
    assert "secretariat@test.invalid" not in html
    assert escape(old_name) in html
    assert NEW_NAME in html


def test_members_see_who_made_each_change(client, users, renamed_axis):
    axis, _old_name = renamed_axis
    client.force_login(users["focal_point"])

    html = client.get(history_url(axis)).content.decode()

    assert "secretariat@test.invalid" in html


def test_the_first_entry_is_the_creation_by_the_plan_loader(observer_client, renamed_axis):
    axis, _ = renamed_axis

    entries = observer_client.get(history_url(axis)).context["entries"]

    assert [entry.kind for entry in entries] == ["changed", "created"]
    assert entries[-1].who == ""
    assert entries[-1].changes == []


def test_field_labels_follow_the_catalog_in_spanish_and_english(client, users, renamed_axis):
    axis, _ = renamed_axis
    client.force_login(users["focal_point"])
    spanish, english = name_label("es"), name_label("en")
    assert spanish != english

    html_es = client.get(history_url(axis, "es")).content.decode()
    html_en = client.get(history_url(axis, "en")).content.decode()

    assert f"<td>{spanish}</td>" in html_es
    assert f"<td>{english}</td>" in html_en
    assert english not in html_es
    assert spanish not in html_en


def test_an_anonymous_visitor_is_sent_to_sign_in(client, renamed_axis):
    axis, _ = renamed_axis

    response = client.get(history_url(axis))

    assert response.status_code == 302
    assert response["Location"] == f"/es/accounts/login/?next={history_url(axis)}"


def test_a_user_without_a_role_is_refused(client, make_user, renamed_axis):
    axis, _ = renamed_axis
    client.force_login(make_user("nobody@test.invalid", role=""))

    assert client.get(history_url(axis)).status_code == 403


def test_an_observer_may_not_see_the_history_of_a_person(observer_client, users):
    person = Person.objects.get(user=users["focal_point"])

    response = observer_client.get(history_url(person))

    assert response.status_code == 403
    denial = AuditEvent.objects.get(action=AuditEvent.Action.PERMISSION_DENIED)
    assert denial.user == users["observer"]
    assert denial.detail == {"permission": "membership.view_directory"}


@pytest.mark.parametrize("related", ["representations", "observer_memberships"])
def test_an_observer_may_not_see_the_history_of_other_personal_records(
    observer_client, users, related
):
    owner = users["observer"] if related == "observer_memberships" else users["focal_point"]
    record = getattr(Person.objects.get(user=owner), related).get()

    assert observer_client.get(history_url(record)).status_code == 403


def test_a_focal_point_may_see_the_history_of_a_person(client, users):
    client.force_login(users["focal_point"])
    person = Person.objects.get(user=users["focal_point_other"])

    response = client.get(history_url(person))

    assert response.status_code == 200
    assert response.context["entries"][0].kind == "created"


@pytest.mark.parametrize(
    "path",
    [
        "plans/nosuchmodel/1",  # unknown model
        "nosuchapp/axis/1",  # unknown app
        "accounts/user/1",  # no history kept
        "accounts/invitation/1",  # no history kept
        "audit/auditevent/1",  # no history kept
        "plans/historicalaxis/1",  # the history table itself
        "plans/axis/999999",  # no such object
    ],
)
def test_an_unknown_model_or_object_or_one_without_history_is_not_found(observer_client, path):
    assert observer_client.get(f"/es/audit/history/{path}/").status_code == 404
