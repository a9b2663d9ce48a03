"""The country profile shows the country's instruments, good practices,
alliances and joint actions, only what the reader may see."""

import pytest
from django.urls import reverse
from django.utils import translation

from coalicion.cooperation import actions
from coalicion.cooperation.tests.conftest import day


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def costa_rica(make_instrument, users, countries):
    make_instrument("national-care-strategy", "CR", [("drafted", "2020-01-01")], title="Borrador")
    make_instrument(
        "coordination-procedure", "CR", [("approved", "2021-01-01")], title="Procedimiento CR"
    )
    secretariat = users["secretariat"]
    mine = actions.save_practice(
        actor=secretariat,
        title="Fiscalía CR",
        country=countries["CR"],
        area="prosecution",
        description="…",
        registered_on=day("2020-01-01"),
    )
    theirs = actions.save_practice(
        actor=secretariat,
        title="Albergue GT",
        country=countries["GT"],
        area="care",
        description="…",
        registered_on=day("2020-01-01"),
    )
    actions.record_replication(
        actor=secretariat, practice=mine, country=countries["HN"], day=day("2021-01-01")
    )
    actions.record_replication(
        actor=secretariat, practice=theirs, country=countries["CR"], day=day("2021-02-01")
    )
    sica = actions.save_actor(
        actor=secretariat, name="SICA", level="regional", kind="regional_space"
    )
    actions.save_alliance(
        actor=secretariat,
        actor_id=sica.pk,
        country=countries["CR"],
        kind="mou",
        status="active",
        start=day("2021-01-01"),
    )
    actions.record_joint_action(
        actor=secretariat,
        title="Campaña conjunta CR",
        day=day("2021-05-01"),
        country=countries["CR"],
        actors=[sica],
    )
    return countries["CR"]


def test_members_see_every_instrument_of_the_country(costa_rica, client_as):
    page = client_as("focal_point_other").get(reverse("membership:country", args=["CR"]))
    text = page.content.decode()
    assert "Borrador" in text and "Procedimiento CR" in text
    assert "Fiscalía CR" in text and "Albergue GT" in text
    assert "Campaña conjunta CR" in text
    assert "seen by members only" not in text


def test_the_public_sees_approved_instruments_and_how_many_are_hidden(costa_rica, client):
    text = client.get(reverse("membership:country", args=["CR"])).content.decode()
    assert "Procedimiento CR" in text
    assert "Borrador" not in text
    assert "1 instrument not yet approved is seen by members only." in text


def test_a_country_without_records_shows_no_cooperation_section(client, terms):
    text = client.get(reverse("membership:country", args=["BZ"])).content.decode()
    assert "section-instruments" not in text


def test_the_profile_reads_a_bounded_number_of_queries(costa_rica, make_instrument, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("focal_point")
    url = reverse("membership:country", args=["CR"])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for code in ["national-repatriation-protocol", "national-care-strategy"]:
        make_instrument(code, "CR", [("drafted", "2020-01-01"), ("approved", "2021-01-01")])
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
