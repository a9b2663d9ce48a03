"""The read functions other apps (the accountability report) call: plain
data as of a date, what the reader may see, and what is hidden."""

import pytest
from django.utils import translation

from coalicion.cooperation import actions, selectors
from coalicion.cooperation.tests.conftest import day


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_instruments_by_stage_as_of_a_past_date(make_instrument, users):
    make_instrument(
        "national-care-strategy", "CR", [("drafted", "2019-01-01"), ("approved", "2021-01-01")]
    )
    make_instrument("national-care-strategy", "GT", [("in_preparation", "2020-01-01")])
    make_instrument("communication-strategy", None, [("implemented", "2019-06-01")])
    report = selectors.instruments_by_stage(as_of=day("2020-06-30"), user=users["observer"])
    by_code = {t["code"]: t for t in report["types"]}
    national = by_code["national-care-strategy"]
    assert national["counts"]["drafted"] == 1
    assert national["counts"]["in_preparation"] == 1
    assert national["counts"]["approved"] == 0
    # Observers see a national instrument once it is approved (today): Costa
    # Rica's, with its stage on that date; Guatemala's is counted, not listed.
    assert [(i["country"], i["stage"]) for i in national["instruments"]] == [("CR", "drafted")]
    assert report["hidden"] == 1
    assert by_code["communication-strategy"]["instruments"][0]["stage"] == "implemented"
    member = selectors.instruments_by_stage(as_of=day("2021-06-30"), user=users["focal_point"])
    rows = {t["code"]: t for t in member["types"]}["national-care-strategy"]["instruments"]
    assert {(r["country"], r["stage"]) for r in rows} == {
        ("CR", "approved"),
        ("GT", "in_preparation"),
    }
    assert member["hidden"] == 0
    assert [s["code"] for s in member["stages"]][-1] == "implemented"


def test_practices_summary(users, countries):
    secretariat = users["secretariat"]
    practice = actions.save_practice(
        actor=secretariat,
        title="Fiscalía",
        country=countries["CR"],
        area="prosecution",
        description="…",
        registered_on=day("2019-01-01"),
    )
    actions.record_replication(
        actor=secretariat, practice=practice, country=countries["GT"], day=day("2020-01-01")
    )
    summary = selectors.practices_summary(as_of=day("2020-12-31"), user=users["observer"])
    assert (summary["practices"], summary["replications"], summary["practices_replicated"]) == (
        1,
        1,
        1,
    )
    assert summary["by_country"] == [
        {"country": "CR", "given": 1, "adopted": 0},
        {"country": "GT", "given": 0, "adopted": 1},
    ]
    assert summary["items"][0]["replicated_in"] == ["GT"]
    before = selectors.practices_summary(as_of=day("2018-12-31"), user=users["observer"])
    assert before["practices"] == 0
    public = selectors.practices_summary(as_of=day("2020-12-31"), user=None)
    assert public["items"] == [] and public["hidden"] == 1


def test_alliances_summary(users):
    secretariat = users["secretariat"]
    sica = actions.save_actor(
        actor=secretariat, name="SICA", level="regional", kind="regional_space"
    )
    actions.save_alliance(
        actor=secretariat, actor_id=sica.pk, kind="mou", status="active", start=day("2020-01-01")
    )
    actions.record_joint_action(
        actor=secretariat, title="Foro", day=day("2020-03-01"), actors=[sica]
    )
    summary = selectors.alliances_summary(as_of=day("2020-12-31"), user=users["observer"])
    assert summary["alliances"] == summary["alliances_with_regional_spaces"] == 1
    assert summary["in_force"] == 1
    assert summary["joint_actions_with_regional_spaces"] == 1
    assert summary["items"][0]["actor"] == "SICA"
    assert selectors.alliances_summary(as_of=day("2019-12-31"), user=None)["alliances"] == 0
