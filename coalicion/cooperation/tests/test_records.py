"""Good practices and replications, actors, alliances, joint actions and
resource requests through their pages: who may keep which."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from coalicion.cooperation import actions
from coalicion.cooperation.models import Actor, GoodPractice, Replication, ResourceRequest
from coalicion.cooperation.tests.conftest import day


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_focal_point_registers_a_practice_of_their_country(client_as, countries):
    response = client_as("focal_point").post(
        reverse("cooperation:practice_create"),
        {
            "title": "Unidad especializada",
            "country": countries["CR"].pk,
            "area": "investigation",
            "description": "Una unidad de la fiscalía.",
            "registered_on": "2022-04-01",
        },
    )
    assert response.status_code == 302
    assert GoodPractice.objects.get(title="Unidad especializada").country == countries["CR"]


def test_focal_point_cannot_register_a_practice_of_another_country(client_as, countries):
    response = client_as("focal_point").post(
        reverse("cooperation:practice_create"),
        {
            "title": "Ajena",
            "country": countries["GT"].pk,
            "area": "care",
            "description": "…",
            "registered_on": "2022-04-01",
        },
    )
    assert response.status_code == 200
    assert not GoodPractice.objects.filter(title="Ajena").exists()


def test_a_focal_point_records_their_countrys_replication(gt_practice, client_as, countries):
    client = client_as("focal_point")
    url = reverse("cooperation:replication_create", args=[gt_practice.pk])
    refused = client.post(url, {"country": countries["HN"].pk, "day": "2022-01-01"})
    assert refused.status_code == 200
    assert not Replication.objects.exists()
    done = client.post(url, {"country": countries["CR"].pk, "day": "2022-01-01"})
    assert done.status_code == 302
    assert Replication.objects.get().country == countries["CR"]
    page = client.get(gt_practice.get_absolute_url())
    assert "Costa Rica adopted it on" in page.content.decode()


def test_a_practice_is_not_replicated_by_its_own_country(gt_practice, users, countries):
    with pytest.raises(ValidationError):
        actions.record_replication(
            actor=users["secretariat"],
            practice=gt_practice,
            country=countries["GT"],
            day=day("2021-01-01"),
        )
    actions.record_replication(
        actor=users["secretariat"],
        practice=gt_practice,
        country=countries["CR"],
        day=day("2021-01-01"),
    )
    with pytest.raises(ValidationError):
        actions.record_replication(
            actor=users["secretariat"],
            practice=gt_practice,
            country=countries["CR"],
            day=day("2021-02-01"),
        )


def test_focal_point_keeps_their_countrys_actors_only(client_as, users, countries):
    cr = actions.save_actor(
        actor=users["secretariat"],
        name="Ministerio CR",
        level="national",
        kind="government",
        country=countries["CR"],
    )
    gt = actions.save_actor(
        actor=users["secretariat"],
        name="Ministerio GT",
        level="national",
        kind="government",
        country=countries["GT"],
    )
    client = client_as("focal_point")
    assert client.get(reverse("cooperation:actor_edit", args=[cr.pk])).status_code == 200
    assert client.get(reverse("cooperation:actor_edit", args=[gt.pk])).status_code == 403
    response = client.post(
        reverse("cooperation:actor_edit", args=[cr.pk]),
        {
            "version": cr.version,
            "name": "Ministerio de Justicia CR",
            "level": "national",
            "kind": "government",
            "country": countries["CR"].pk,
            "contact_email": "x@example.invalid",
        },
    )
    assert response.status_code == 302
    assert Actor.objects.get(pk=cr.pk).name == "Ministerio de Justicia CR"


def test_contacts_are_for_members(client_as, users, countries):
    record = actions.save_actor(
        actor=users["secretariat"],
        name="Fondo",
        level="extra_regional",
        kind="donor",
        contact_email="fondo@example.invalid",
    )
    url = reverse("cooperation:actor", args=[record.pk])
    assert b"fondo@example.invalid" in client_as("focal_point").get(url).content
    assert b"fondo@example.invalid" not in client_as("observer").get(url).content


def test_the_network_view_has_its_table(client_as, users):
    sica = actions.save_actor(
        actor=users["secretariat"],
        name="SICA",
        acronym="SICA",
        level="regional",
        kind="regional_space",
    )
    actions.save_alliance(
        actor=users["secretariat"],
        actor_id=sica.pk,
        kind="mou",
        status="active",
        start=day("2020-01-01"),
    )
    page = client_as("observer").get(reverse("cooperation:actors")).content.decode()
    assert "<svg" in page and 'aria-hidden="true"' in page
    assert "<table" in page and "Memorandum of understanding (In force)" in page


def test_resource_totals_per_donor_year_and_currency(client_as, users):
    donor = actions.save_actor(
        actor=users["secretariat"], name="Fondo", level="extra_regional", kind="donor"
    )
    for amount, currency, when in [
        ("1000", "USD", "2021-02-01"),
        ("500", "USD", "2021-09-01"),
        ("700", "EUR", "2021-03-01"),
        ("300", "USD", "2022-01-05"),
    ]:
        actions.save_resource_request(
            actor=users["secretariat"],
            donor=donor,
            purpose="Taller",
            requested_on=day(when),
            status="obtained",
            amount_obtained=amount,
            currency=currency,
            obtained_on=day(when),
        )
    actions.save_resource_request(
        actor=users["secretariat"],
        donor=donor,
        purpose="Pendiente",
        requested_on=day("2021-01-01"),
        status="submitted",
        amount_requested="9999",
    )
    response = client_as("focal_point").get(reverse("cooperation:resources"))
    totals = [(t["year"], t["currency"], str(t["amount"])) for t in response.context["totals"]]
    assert totals == [(2021, "EUR", "700.00"), (2021, "USD", "1500.00"), (2022, "USD", "300.00")]
    assert client_as("observer").get(reverse("cooperation:resources")).status_code == 403
    with pytest.raises(ValidationError):
        actions.save_resource_request(
            actor=users["secretariat"],
            donor=donor,
            purpose="x",
            requested_on=day("2021-01-01"),
            status="obtained",
        )
    assert ResourceRequest.objects.count() == 5


def test_pages_read_a_bounded_number_of_queries(
    client_as, users, countries, django_assert_max_num_queries
):
    secretariat = users["secretariat"]
    for n in range(6):
        actor = actions.save_actor(
            actor=secretariat, name=f"Actor {n}", level="regional", kind="regional_space"
        )
        actions.save_alliance(
            actor=secretariat,
            actor_id=actor.pk,
            kind="mou",
            status="active",
            start=day("2020-01-01"),
        )
        actions.record_joint_action(
            actor=secretariat, title=f"Acción {n}", day=day("2020-02-01"), actors=[actor]
        )
        practice = actions.save_practice(
            actor=secretariat,
            title=f"Práctica {n}",
            country=countries["CR"],
            area="care",
            description="…",
            registered_on=day("2020-01-01"),
        )
        actions.record_replication(
            actor=secretariat, practice=practice, country=countries["GT"], day=day("2021-01-01")
        )
        actions.save_resource_request(
            actor=secretariat,
            donor=actor,
            purpose="x",
            requested_on=day("2021-01-01"),
            status="obtained",
            amount_obtained="10",
        )
    client = client_as("secretariat")
    for name in ["cooperation:actors", "cooperation:practices", "cooperation:resources"]:
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name)).status_code == 200


# --- Every problem in one round (issue 12) ----------------------------------------------


def test_a_replication_already_recorded_is_told_beside_a_bad_date(
    gt_practice, client_as, countries
):
    client = client_as("focal_point")
    url = reverse("cooperation:replication_create", args=[gt_practice.pk])
    assert client.post(url, {"country": countries["CR"].pk, "day": "2022-01-01"}).status_code == 302
    response = client.post(url, {"country": countries["CR"].pk, "day": "no"})
    assert response.status_code == 200
    errors = response.context["replication_form"].errors
    assert errors["day"] == ["Enter a valid date."]
    assert errors["country"] == ["This country's replication of the practice is already recorded."]
    assert Replication.objects.count() == 1


def test_a_national_actor_without_country_is_told_beside_a_missing_name(client_as):
    response = client_as("secretariat").post(
        reverse("cooperation:actor_create"),
        {"name": "", "level": "national", "kind": "government", "country": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["name"] == ["This field is required."]
    assert errors["country"] == ["A national actor belongs to a member country."]
    assert not Actor.objects.exists()


def test_an_obtained_request_without_amount_is_told_beside_a_missing_purpose(client_as, users):
    donor = actions.save_actor(
        actor=users["secretariat"], name="Fondo", level="extra_regional", kind="donor"
    )
    response = client_as("secretariat").post(
        reverse("cooperation:resource_create"),
        {
            "donor": donor.pk,
            "purpose": "",
            "status": "obtained",
            "requested_on": "2021-02-01",
            "currency": "USD",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["purpose"] == ["This field is required."]
    assert errors["amount_obtained"] == ["Say the amount obtained."]
    assert not ResourceRequest.objects.exists()
