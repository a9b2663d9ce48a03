"""The plan indicators counted from the cooperation records, each with a
worked example, as of past dates read from the stage history."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from coalicion.cooperation import actions
from coalicion.cooperation.models import Actor, Alliance, GoodPractice
from coalicion.cooperation.tests.conftest import day
from coalicion.monitoring import computations
from coalicion.plans.models import Indicator

NAMES = {
    "regional_instrument_stage",
    "national_instruments_implemented",
    "national_instruments_by_stage",
    "national_instruments_approved",
    "good_practice_replications",
    "alliances",
    "joint_actions",
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def indicator(plan, code):
    return Indicator.objects.get(result__objective__axis__plan=plan, code=code)


def compute(plan, code, when, country=None):
    return computations.compute(indicator=indicator(plan, code), as_of=day(when), country=country)


def test_every_computation_the_plan_names_is_registered(plan):
    assert set(computations.registered()) >= NAMES
    named = set(
        Indicator.objects.filter(result__objective__axis__plan=plan, source="computed").values_list(
            "computation", flat=True
        )
    )
    assert named <= set(computations.registered())


def test_regional_strategy_stage_as_of_past_dates(plan, make_instrument):
    """1: in preparation in March 2019, drafted June 2020, approved February
    2021, back to drafted in May 2021 (a step back with its reason)."""
    make_instrument(
        "regional-prevention-tip",
        None,
        [
            ("in_preparation", "2019-03-01"),
            ("drafted", "2020-06-01"),
            ("approved", "2021-02-01"),
            ("drafted", "2021-05-01", "The Plenary asked for changes."),
        ],
    )
    assert compute(plan, "1a", "2019-01-01").value is None
    assert compute(plan, "1a", "2019-12-31").stage_name == "In preparation"
    assert compute(plan, "1a", "2020-12-31").stage_percent == Decimal(50)
    on_approval = compute(plan, "1a", "2021-03-01")
    assert (on_approval.stage_name, on_approval.value) == ("Approved", Decimal(75))
    assert compute(plan, "1a", "2021-12-31").stage_name == "Drafted"
    # The other regional strategies are not counted by indicator 1.
    assert compute(plan, "1b", "2021-12-31").value is None


def test_regional_stage_for_every_date_at_once(plan, make_instrument):
    make_instrument(
        "communication-strategy", None, [("drafted", "2019-05-01"), ("implemented", "2022-01-10")]
    )
    function = computations.get("regional_instrument_stage")
    results = function.many(
        indicator=indicator(plan, "4.2"),
        dates=[day("2018-12-31"), day("2020-12-31"), day("2022-12-31")],
    )
    assert [r.stage_name for r in results] == ["", "Drafted", "Implemented"]


@pytest.fixture
def national_strategies(make_instrument):
    """2.1: Costa Rica implemented in 2020; Guatemala approved in 2020 and
    implemented in 2022; Honduras drafted."""
    make_instrument(
        "national-care-strategy", "CR", [("drafted", "2019-01-10"), ("implemented", "2020-07-01")]
    )
    make_instrument(
        "national-care-strategy", "GT", [("approved", "2020-03-01"), ("implemented", "2022-02-01")]
    )
    make_instrument("national-care-strategy", "HN", [("drafted", "2021-01-01")])


def test_national_strategies_implemented(plan, national_strategies, countries):
    assert compute(plan, "2.1", "2019-12-31").value == 0
    end_2021 = compute(plan, "2.1", "2021-12-31")
    assert end_2021.value == 1
    assert [i.country.code for i in end_2021.records] == ["CR"]
    assert dict(end_2021.figures)["Drafted"] == "1"
    assert dict(end_2021.figures)["Approved"] == "1"
    assert compute(plan, "2.1", "2022-12-31").value == 2
    # Disaggregated by country.
    assert compute(plan, "2.1", "2021-12-31", country=countries["GT"]).value == 0
    assert compute(plan, "2.1", "2022-12-31", country=countries["GT"]).value == 1


def test_repatriation_protocols_per_stage(plan, make_instrument):
    """2.2: CR drafted, GT approved, HN implemented, PA in preparation:
    three elaborated, two approved or beyond, one implemented."""
    make_instrument("national-repatriation-protocol", "CR", [("drafted", "2019-01-01")])
    make_instrument("national-repatriation-protocol", "GT", [("approved", "2019-01-01")])
    make_instrument("national-repatriation-protocol", "HN", [("implemented", "2019-01-01")])
    make_instrument("national-repatriation-protocol", "PA", [("in_preparation", "2019-01-01")])
    result = compute(plan, "2.2", "2020-01-01")
    assert result.value == 3
    figures = dict(result.figures)
    assert figures["Approved or implemented"] == "2"
    assert figures["Implemented"] == "1"
    assert compute(plan, "2.2", "2018-12-31").value == 0


def test_coordination_procedures_approved(plan, make_instrument):
    """3.2.1: countries whose procedure is approved or implemented; a step
    back below approved stops counting from that date."""
    make_instrument(
        "coordination-procedure",
        "CR",
        [("approved", "2020-01-01"), ("drafted", "2021-06-01", "Annulled by the court.")],
    )
    make_instrument("coordination-procedure", "SV", [("implemented", "2021-01-01")])
    assert compute(plan, "3.2.1", "2020-12-31").value == 1
    assert compute(plan, "3.2.1", "2021-03-01").value == 2
    assert compute(plan, "3.2.1", "2021-12-31").value == 1


def test_good_practice_replications(plan, users, countries):
    """3.1: a practice of Costa Rica adopted by Guatemala (2020) and
    Honduras (2021); a practice of Panamá adopted by Costa Rica (2021)."""
    secretariat = users["secretariat"]
    cr = actions.save_practice(
        actor=secretariat,
        title="Fiscalía especializada",
        country=countries["CR"],
        area="prosecution",
        description="…",
        registered_on=day("2019-01-01"),
    )
    pa = actions.save_practice(
        actor=secretariat,
        title="Albergue",
        country=countries["PA"],
        area="care",
        description="…",
        registered_on=day("2019-01-01"),
    )
    for practice, code, when in [
        (cr, "GT", "2020-05-01"),
        (cr, "HN", "2021-02-01"),
        (pa, "CR", "2021-08-01"),
    ]:
        actions.record_replication(
            actor=secretariat, practice=practice, country=countries[code], day=day(when)
        )
    assert compute(plan, "3.1", "2019-12-31").value == 0
    assert compute(plan, "3.1", "2020-12-31").value == 1
    end_2021 = compute(plan, "3.1", "2021-12-31")
    assert end_2021.value == 3
    assert dict(end_2021.figures)["Good practices replicated"] == "2"
    assert GoodPractice.objects.count() == 2


@pytest.fixture
def network(users):
    secretariat = users["secretariat"]
    sica = actions.save_actor(
        actor=secretariat,
        name="Sistema de la Integración Centroamericana",
        acronym="SICA",
        level="regional",
        kind="regional_space",
    )
    crm = actions.save_actor(
        actor=secretariat,
        name="Conferencia Regional sobre Migración",
        acronym="CRM",
        level="regional",
        kind="regional_space",
    )
    donor = actions.save_actor(
        actor=secretariat, name="Fondo Ejemplo", level="extra_regional", kind="donor"
    )
    actions.save_alliance(
        actor=secretariat,
        actor_id=sica.pk,
        kind="mou",
        status="ended",
        start=day("2019-03-01"),
        end=day("2021-03-01"),
    )
    actions.save_alliance(
        actor=secretariat,
        actor_id=donor.pk,
        kind="agreement",
        status="active",
        start=day("2020-01-01"),
    )
    actions.save_alliance(actor=secretariat, actor_id=crm.pk, kind="letter", status="negotiation")
    actions.record_joint_action(
        actor=secretariat, title="Campaña", day=day("2020-07-30"), actors=[sica, donor]
    )
    actions.record_joint_action(
        actor=secretariat, title="Taller", day=day("2020-09-01"), actors=[donor]
    )
    return {"sica": sica, "crm": crm, "donor": donor}


def test_alliances_with_regional_spaces(plan, network):
    """4.1a: the MoU with SICA counts from its start, and still once it
    ended (it was made); the donor's is not with a regional space; the CRM
    letter is still in negotiation."""
    assert compute(plan, "4.1a", "2018-12-31").value == 0
    end_2020 = compute(plan, "4.1a", "2020-12-31")
    assert end_2020.value == 1
    assert dict(end_2020.figures) == {
        "In force on the date": "1",
        "Alliances with every kind of actor": "2",
    }
    end_2021 = compute(plan, "4.1a", "2021-12-31")
    assert end_2021.value == 1
    assert dict(end_2021.figures)["In force on the date"] == "0"
    assert Alliance.objects.count() == 3


def test_joint_actions_with_regional_spaces(plan, network):
    assert compute(plan, "4.1b", "2020-08-01").value == 1
    result = compute(plan, "4.1b", "2020-12-31")
    assert result.value == 1
    assert dict(result.figures)["Joint actions with every kind of actor"] == "2"
    assert Actor.objects.count() == 3


def test_dates_with_no_record_count_nothing(plan):
    assert compute(plan, "2.1", "2030-01-01").value == 0
    assert compute(plan, "4.1b", "2030-01-01").value == 0
    assert compute(plan, "1b", datetime.date.today().isoformat()).value is None


def test_the_matrix_rows_read_the_instruments_once(plan, make_instrument):
    """Seven indicators count instruments: the matrix's rows read their
    stage changes (and the stages) in one query each, however many indicators and
    instruments there are; each indicator still counts only its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coalicion.monitoring.indicators import _indicator_rows

    make_instrument("regional-prevention-tip", None, [("drafted", "2020-06-01")])
    make_instrument("communication-strategy", None, [("implemented", "2022-01-10")])
    make_instrument("national-care-strategy", "CR", [("approved", "2021-03-01")])
    with CaptureQueriesContext(connection) as queries:
        rows = _indicator_rows(plan=plan, as_of=day("2023-06-30"), axis_code=None, country=None)
    reads = [q["sql"] for q in queries.captured_queries if "cooperation_stagechange" in q["sql"]]
    assert len(reads) == 1
    stages = [q for q in queries.captured_queries if 'FROM "plans_milestonestage"' in q["sql"]]
    assert len(stages) == 1
    current = {row.indicator.code: row.current for row in rows}
    assert current["1a"] == Decimal(50)
    assert current["4.2"] == Decimal(100)
    assert current["1b"] is None


def test_a_batch_keeps_nothing_for_the_next_one(plan, make_instrument):
    """The instruments read once for the matrix's rows are read again by the
    next request: a stage recorded in between is counted."""
    from coalicion.core import figures
    from coalicion.monitoring.indicators import _indicator_rows

    when = day("2023-06-30")
    make_instrument("communication-strategy", None, [("drafted", "2019-05-01")])
    first = {r.indicator.code: r.current for r in _indicator_rows(
        plan=plan, as_of=when, axis_code=None, country=None
    )}  # fmt: skip
    make_instrument("regional-prevention-tip", None, [("approved", "2021-02-01")])
    figures.forget_all()
    again = {r.indicator.code: r.current for r in _indicator_rows(
        plan=plan, as_of=when, axis_code=None, country=None
    )}  # fmt: skip
    assert first["1a"] is None and again["1a"] == Decimal(75)
    assert first["4.2"] == again["4.2"] == Decimal(50)


def test_the_matrix_rows_leave_out_the_drill_down_figures(plan, national_strategies):
    """The rows show values only; the drill-down still gets its figures."""
    from coalicion.monitoring.indicators import _indicator_rows

    rows = _indicator_rows(plan=plan, as_of=day("2022-12-31"), axis_code=None, country=None)
    row = next(r for r in rows if r.indicator.code == "2.1")
    assert row.current == 2 and row.figures == []
    assert dict(compute(plan, "2.1", "2022-12-31").figures)["Implemented"] == "2"
    assert computations.wants_figures()  # only while the rows are computed


def test_an_instrument_recorded_while_the_instruments_are_read_waits_for_the_next_reading(
    plan, make_instrument, monkeypatch
):
    """The instruments and their changes are two reads: a change recorded in
    between by another request (and a stage created since the stages were
    read) must not break the first reading."""
    from coalicion.cooperation import selectors

    make_instrument("national-care-strategy", "CR", [("approved", "2021-03-01")])

    def meanwhile():
        make_instrument("national-care-strategy", "GT", [("implemented", "2021-04-01")])
        return {}  # as if read before any of the stages existed

    monkeypatch.setattr(selectors, "_stages", meanwhile)
    counted = selectors._read_counted_instruments()

    [instrument] = [i for group in counted.values() for i in group]
    assert instrument.country.code == "CR"
    assert [(s.day, s.stage.code) for s in instrument.stage_history] == [
        (day("2021-03-01"), "approved")
    ]
