"""Every URL of the cooperation app, for every role (the rows of
tests/test_permission_matrix.py for this app, with its fixtures and helpers).
The objects belong to Costa Rica: its focal point keeps them, Guatemala's
does not; the instrument is a national one not yet approved, so observers
do not see it."""

import datetime

import pytest

from coalicion.core.tests.files import PDF_BYTES
from tests.test_permission_matrix import (
    DENY,
    LOGIN,
    MEMBERS,
    OK,
    OWN_COUNTRY,
    POST_ONLY,
    SIGNED_IN,
    Row,
    client_for,
    expect,
    fixtures,  # noqa: F401 (the fixture, reused)
    outcome,
    resolve_url,
    url_names,
)

# The Secretariat and every focal point (the Presidency's user is Honduras's).
ADDS = expect(LOGIN, DENY, OK, OK, OK, OK)

MATRIX = {
    "cooperation:instruments": Row(SIGNED_IN),
    "cooperation:instrument_create": Row(ADDS, write=ADDS),
    "cooperation:instrument": Row(ADDS, args=lambda f: (f["instrument"].pk,)),
    "cooperation:instrument_edit": Row(
        OWN_COUNTRY, write=OWN_COUNTRY, args=lambda f: (f["instrument"].pk,)
    ),
    "cooperation:change_stage": Row(
        POST_ONLY, write=OWN_COUNTRY, args=lambda f: (f["instrument"].pk,)
    ),
    "cooperation:stage_evidence": Row(ADDS, args=lambda f: (f["stage_evidence"].pk,)),
    "cooperation:record_evidence": Row(SIGNED_IN, args=lambda f: (f["record_evidence"].pk,)),
    "cooperation:practices": Row(SIGNED_IN),
    "cooperation:practice_create": Row(ADDS, write=ADDS),
    "cooperation:practice": Row(SIGNED_IN, args=lambda f: (f["practice"].pk,)),
    "cooperation:practice_edit": Row(
        OWN_COUNTRY, write=OWN_COUNTRY, args=lambda f: (f["practice"].pk,)
    ),
    "cooperation:replication_create": Row(
        POST_ONLY, write=ADDS, args=lambda f: (f["practice"].pk,)
    ),
    "cooperation:actors": Row(SIGNED_IN),
    "cooperation:actor_create": Row(ADDS, write=ADDS),
    "cooperation:actor": Row(SIGNED_IN, args=lambda f: (f["actor"].pk,)),
    "cooperation:actor_edit": Row(OWN_COUNTRY, write=OWN_COUNTRY, args=lambda f: (f["actor"].pk,)),
    "cooperation:alliance_create": Row(ADDS, write=ADDS),
    "cooperation:alliance_edit": Row(
        OWN_COUNTRY, write=OWN_COUNTRY, args=lambda f: (f["alliance"].pk,)
    ),
    "cooperation:joint_action_create": Row(ADDS, write=ADDS),
    "cooperation:resources": Row(MEMBERS),
    "cooperation:resource_create": Row(ADDS, write=ADDS),
    "cooperation:resource_edit": Row(
        OWN_COUNTRY, write=OWN_COUNTRY, args=lambda f: (f["resource"].pk,)
    ),
}


@pytest.fixture
def cooperation(fixtures):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coalicion.cooperation import actions
    from coalicion.cooperation.models import InstrumentType
    from coalicion.plans.models import MilestoneStage

    users = fixtures["users"]
    secretariat, cr = users["secretariat"], fixtures["cr_person"].country
    drafted = MilestoneStage.objects.get(plan__code="pe-2018-2027", code="drafted")
    instrument = actions.create_instrument(
        actor=secretariat,
        type=InstrumentType.objects.get(code="national-care-strategy"),
        country=cr,
        title="Estrategia nacional CR",
        stage=drafted,
        day=datetime.date(2020, 1, 1),
        evidence=[(SimpleUploadedFile("borrador.pdf", PDF_BYTES), "application/pdf")],
    )
    practice = actions.save_practice(
        actor=secretariat,
        title="Práctica CR",
        country=cr,
        area="care",
        description="…",
        registered_on=datetime.date(2020, 1, 1),
        evidence=[(SimpleUploadedFile("practica.pdf", PDF_BYTES), "application/pdf")],
    )
    actor = actions.save_actor(
        actor=secretariat, name="Ministerio CR", level="national", kind="government", country=cr
    )
    alliance = actions.save_alliance(
        actor=secretariat, actor_id=actor.pk, country=cr, kind="mou", status="negotiation"
    )
    resource = actions.save_resource_request(
        actor=secretariat,
        donor=actor,
        country=cr,
        purpose="Capacitación",
        requested_on=datetime.date(2020, 1, 1),
        status="submitted",
    )
    return {
        **fixtures,
        "instrument": instrument,
        "stage_evidence": instrument.changes.get().evidence.get(),
        "practice": practice,
        "record_evidence": practice.evidence_files.get(),
        "actor": actor,
        "alliance": alliance,
        "resource": resource,
    }


def test_every_cooperation_url_has_an_expectation():
    names = [name for name in url_names() if name.startswith("cooperation:")]
    assert names
    assert sorted(names) == sorted(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_who_may_read_and_write_cooperation(name, cooperation, client):
    row = MATRIX[name]
    url = resolve_url(name, row, cooperation)
    problems = []
    for role, user in cooperation["users"].items():
        got = outcome(client_for(type(client), user).get(url, row.query))
        if got != row.read[role]:
            problems.append(f"GET as {role}: {got}, expected {row.read[role]}")
        if row.write is not None:
            got = outcome(client_for(type(client), user).post(url, {}))
            if got != row.write[role]:
                problems.append(f"POST as {role}: {got}, expected {row.write[role]}")
    assert not problems, f"{url}: " + "; ".join(problems)
