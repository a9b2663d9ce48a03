"""Meetings fixtures: the roles of the root conftest (Presidency: Honduras,
Secretariat: Panamá, focal points of Costa Rica and Guatemala), a convened
ordinary meeting and a quorate one. All people are synthetic."""

import datetime

import pytest
from django.utils import timezone

from coalicion.meetings import actions
from coalicion.meetings.models import Event
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
        event = actions.create_event(user=users["presidency"], **values)
        if convene:
            event = actions.convene_event(user=users["presidency"], event=event)
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
            rows.append({"country": country, "status": wanted})
        return actions.record_attendance(user=users["secretariat"], event=event, rows=rows)

    return take


@pytest.fixture
def quorate_meeting(meeting, take_attendance, users):
    """Meeting 12 with five of nine member countries present and quorum verified."""
    take_attendance(meeting)
    actions.verify_quorum(user=users["presidency"], event=meeting)
    meeting.refresh_from_db()
    return meeting
