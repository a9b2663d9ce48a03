"""Meetings fixtures: the roles of the root conftest (Presidency: Honduras,
Secretariat: Panamá, focal points of Costa Rica and Guatemala), a convened
ordinary meeting and a quorate one. All people are synthetic."""

import datetime

import pytest
from django.utils import timezone, translation

from coalicion.meetings.actions.agreements import create_agreement
from coalicion.meetings.actions.attendance import record_attendance, verify_quorum
from coalicion.meetings.actions.events import convene_event, create_event
from coalicion.meetings.actions.minutes import approve_minutes, circulate_minutes, draft_minutes
from coalicion.meetings.models import Event
from coalicion.meetings.tests.helpers import named_row
from coalicion.membership.models import Country


def at(day: str, hour: int = 9) -> datetime.datetime:
    """An aware datetime in the project's time zone."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


@pytest.fixture
def make_meeting(users, terms):
    """make_meeting(number, day, kind="ordinary", convene=True, **fields)."""

    def make(number=12, day="2026-03-10", kind=Event.Kind.ORDINARY, convene=True, **fields):
        values = {
            "kind": kind,
            "number": number if kind in Event.MEETING_KINDS else None,
            "title": f"Reunión ordinaria {number}",
            "title_en": f"Ordinary meeting {number}",
            "start": at(day, 9),
            "end": at(day, 17),
            "country": terms["HN"],
            "city": "Tegucigalpa",
        }
        values.update(fields)
        event = create_event(actor=users["presidency"], **values)
        if convene:
            event = convene_event(actor=users["presidency"], event=event)
        return event

    return make


@pytest.fixture
def meeting(make_meeting):
    return make_meeting()


@pytest.fixture
def take_attendance(users):
    """take_attendance(event, present=[codes], status="titular"): the others absent."""

    def take(event, present=("CR", "GT", "HN", "PA", "SV"), status="titular", **statuses):
        rows = []
        for country in Country.objects.filter(is_member=True):
            default = status if country.code in present else "absent"
            wanted = statuses.get(country.code, default)
            rows.append(named_row(country, wanted))
        return record_attendance(actor=users["secretariat"], event=event, rows=rows)

    return take


@pytest.fixture
def make_quorate_meeting(make_meeting, take_attendance, users):
    """make_quorate_meeting(**like make_meeting): held, five of nine member
    countries present, quorum verified."""

    def make(*args, **fields):
        event = make_meeting(*args, **fields)
        take_attendance(event)
        verify_quorum(actor=users["presidency"], event=event)
        event.refresh_from_db()
        return event

    return make


@pytest.fixture
def quorate_meeting(meeting, take_attendance, users):
    """Meeting 12 with five of nine member countries present and quorum verified."""
    take_attendance(meeting)
    verify_quorum(actor=users["presidency"], event=meeting)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def approve_minutes_of(users, make_quorate_meeting):
    """approve_minutes_of(event, day="2026-06-10", approver="secretariat"):
    the minutes of `event` drafted, circulated and approved at a quorate
    meeting 13 held on `day`; the approved minutes are returned."""

    def approve(event, day="2026-06-10", approver="secretariat"):
        minutes = draft_minutes(actor=users["secretariat"], event=event)
        minutes = circulate_minutes(actor=users["secretariat"], minutes=minutes)
        later = make_quorate_meeting(number=13, day=day)
        return approve_minutes(actor=users[approver], minutes=minutes, at_event=later)

    return approve


@pytest.fixture
def pages_in_english():
    """Test-side texts (messages, labels) in English, as the code writes them."""
    with translation.override("en"):
        yield


@pytest.fixture
def agreement(quorate_meeting, users):
    """R12-2026-01, for Costa Rica, due on 30 June 2026."""
    return create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Compartir el protocolo nacional",
        responsible_kind="country",
        country=Country.objects.get(code="CR"),
        due=datetime.date(2026, 6, 30),
    )
