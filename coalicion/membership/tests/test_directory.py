"""The contact directory: focal points keep their own country's contacts only."""

import pytest

from coalicion.audit.models import AuditEvent
from coalicion.membership.models import Person


@pytest.fixture
def costa_rican(terms):
    return Person.objects.create(given_name="Ana", family_name="Contacto", country=terms["CR"])


@pytest.fixture
def guatemalan(terms):
    return Person.objects.create(given_name="Beto", family_name="Contacto", country=terms["GT"])


def form_data(person=None, **changes):
    data = {
        "given_name": person.given_name if person else "Nueva",
        "family_name": person.family_name if person else "Persona",
        "email": "contacto@test.invalid",
        "phone": "",
        "institution": "Ministerio de prueba",
        "position": "",
    }
    if person is not None:
        data["version"] = person.version  # the edit opened on the entry as saved
    data.update(changes)
    return data


def test_members_see_the_directory_and_observers_do_not(client, users, costa_rican):
    client.force_login(users["focal_point_other"])
    assert "Contacto" in client.get("/es/members/directory/").content.decode()
    client.force_login(users["observer"])
    assert client.get("/es/members/directory/").status_code == 403


def test_a_focal_point_edits_a_contact_of_their_country(client, users, costa_rican):
    client.force_login(users["focal_point"])
    response = client.post(
        f"/es/members/directory/{costa_rican.pk}/", form_data(costa_rican, position="Enlace")
    )
    assert response.status_code == 302
    costa_rican.refresh_from_db()
    assert costa_rican.position == "Enlace"


def test_focal_point_cannot_edit_other_country(client, users, guatemalan):
    client.force_login(users["focal_point"])
    response = client.post(
        f"/es/members/directory/{guatemalan.pk}/", form_data(guatemalan, position="X")
    )
    assert response.status_code == 403
    guatemalan.refresh_from_db()
    assert guatemalan.position == ""
    assert AuditEvent.objects.filter(action="permission_denied", user=users["focal_point"]).exists()


def test_focal_point_cannot_move_a_contact_to_another_country(client, users, terms, costa_rican):
    client.force_login(users["focal_point"])
    client.post(
        f"/es/members/directory/{costa_rican.pk}/", form_data(costa_rican, country=terms["GT"].pk)
    )
    costa_rican.refresh_from_db()
    assert costa_rican.country == terms["CR"]


def test_a_contact_added_by_a_focal_point_belongs_to_their_country(client, users, terms):
    client.force_login(users["focal_point"])
    response = client.post("/es/members/directory/new/", form_data(country=terms["GT"].pk))
    assert response.status_code == 302
    assert Person.objects.get(family_name="Persona").country == terms["CR"]


def test_the_secretariat_edits_any_contact_and_its_country(client, users, terms, guatemalan):
    client.force_login(users["secretariat"])
    client.post(
        f"/es/members/directory/{guatemalan.pk}/", form_data(guatemalan, country=terms["SV"].pk)
    )
    guatemalan.refresh_from_db()
    assert guatemalan.country == terms["SV"]


def test_a_bad_e_mail_is_refused_with_a_message_and_nothing_saved(client, users, costa_rican):
    client.force_login(users["focal_point"])
    response = client.post(
        f"/es/members/directory/{costa_rican.pk}/", form_data(costa_rican, email="not-an-address")
    )
    assert response.status_code == 200
    assert "Introduzca una dirección de correo electrónico válida" in response.content.decode()
    costa_rican.refresh_from_db()
    assert costa_rican.email == ""


def test_changes_to_a_contact_are_in_its_history(client, users, costa_rican):
    client.force_login(users["focal_point"])
    client.post(
        f"/es/members/directory/{costa_rican.pk}/", form_data(costa_rican, position="Enlace")
    )
    html = client.get(f"/es/audit/history/membership/person/{costa_rican.pk}/").content.decode()
    assert "Enlace" in html
    assert users["focal_point"].email in html


def test_an_entry_saved_meanwhile_is_not_overwritten_by_an_older_copy(
    client, users, terms, costa_rican
):
    """The lost update of issue 9 on directory contacts: two people open the
    same entry; the second save, on the older copy, is refused with what
    was typed kept, and the first one's change stays."""
    opened = form_data(costa_rican)
    client.force_login(users["secretariat"])
    first = client.post(
        f"/es/members/directory/{costa_rican.pk}/",
        opened | {"phone": "+506 0000 0000", "country": terms["CR"].pk},
    )
    assert first.status_code == 302

    client.force_login(users["focal_point"])
    response = client.post(
        f"/es/members/directory/{costa_rican.pk}/", opened | {"position": "Jefa de unidad"}
    )

    assert response.status_code == 200
    assert response.context["form"]["position"].value() == "Jefa de unidad"
    assert "Alguien más guardó esto mientras tanto" in response.content.decode()
    costa_rican.refresh_from_db()
    assert (costa_rican.phone, costa_rican.position) == ("+506 0000 0000", "")
    assert costa_rican.version == 2


def test_the_directory_action_refuses_an_outdated_version(users, costa_rican):
    from coalicion.core.actions import StaleEdit
    from coalicion.membership.actions import save_person

    save_person(actor=users["secretariat"], person=costa_rican, version=1, phone="1")
    with pytest.raises(StaleEdit):
        save_person(actor=users["focal_point"], person=costa_rican, version=1, phone="2")
    costa_rican.refresh_from_db()
    assert costa_rican.phone == "1"
