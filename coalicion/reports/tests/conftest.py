"""A period with known numbers: the Secretariat of Costa Rica in 2018–2019
(POA 2018), reports on shared and own activities, two meetings held in
2018 with their registers, and three agreements with their follow-up.
All people are synthetic."""

import datetime

import pytest

from coalicion.meetings.actions.agreements import add_follow_up, create_agreement
from coalicion.meetings.actions.attendance import verify_quorum
from coalicion.meetings.tests.conftest import make_meeting, take_attendance  # noqa: F401
from coalicion.membership.models import Organ, OrganTerm
from coalicion.monitoring.tests.conftest import periods, poa, validated_report  # noqa: F401
from coalicion.plans.models import Activity, Responsible


def activity(operating_plan, code):
    return Activity.objects.get(objective__operating_plan=operating_plan, code=code)


@pytest.fixture
def term(terms):
    """Costa Rica's Secretariat, 2018–2019."""
    return OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"),
        country=terms["CR"],
        start=datetime.date(2018, 1, 1),
        end=datetime.date(2019, 12, 31),
    )


@pytest.fixture
def known(term, poa, periods, terms, validated_report, make_meeting, take_attendance, users):  # noqa: F811
    """Execution of POA 2018 (Q2, validated on its due date, 15 July 2018):
    shared 2.1.2-1 with parts Costa Rica 40 and Guatemala 20 (mean over the
    nine members: 60 / 9 = 6.67); shared 3.2.1-1 with parts Costa Rica 80
    and Guatemala 100 (20); Costa Rica's own 4.1.1-1 at 100. In Q3
    (validated 15 October 2018) Costa Rica's part of 2.1.2-1 rises to 70.

    Meetings 1 (10 March 2018: CR, GT, HN, PA, SV present) and 2
    (20 September 2018: CR, HN, PA present): 8 presences of 18 possible.
    Agreements of meeting 1: A1 (CR) fulfilled on 1 May 2018, A2 (GT)
    cancelled on 1 June 2018, A3 (CR) pending: 2 adopted and not
    cancelled, 1 fulfilled (50 %)."""
    q2, q3 = periods[1], periods[2]
    for code, parts in [("2.1.2-1", {"CR": 40, "GT": 20}), ("3.2.1-1", {"CR": 80, "GT": 100})]:
        for country, percent in parts.items():
            validated_report(activity(poa, code), q2, percent, country=terms[country])
    validated_report(activity(poa, "2.1.2-1"), q3, 70, country=terms["CR"])
    own = activity(poa, "4.1.1-1")
    Responsible.objects.create(activity=own, kind="national_body", country=terms["CR"])
    validated_report(own, q2, 100)

    first = make_meeting(number=1, day="2018-03-10")
    take_attendance(first)
    verify_quorum(actor=users["presidency"], event=first)
    first.refresh_from_db()
    second = make_meeting(number=2, day="2018-09-20")
    take_attendance(second, present=("CR", "HN", "PA"))
    second.status = second.Status.HELD
    second.save()
    made = [
        create_agreement(
            actor=users["secretariat"],
            event=first,
            text=f"Acuerdo de prueba {n}",
            responsible_kind="country",
            country=terms[code],
        )
        for n, code in [(1, "CR"), (2, "GT"), (3, "CR")]
    ]
    for agreement, day, status in [
        (made[0], datetime.date(2018, 5, 1), "fulfilled"),
        (made[1], datetime.date(2018, 6, 1), "cancelled"),
    ]:
        add_follow_up(
            actor=users["secretariat"],
            agreement=agreement,
            date=day,
            text="Seguimiento",
            status=status,
            by_secretariat=True,
        )
    return {"term": term, "poa": poa, "meetings": [first, second], "agreements": made}
