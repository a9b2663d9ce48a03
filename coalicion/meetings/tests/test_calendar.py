"""The calendar page and each user's private calendar: the .ics feed
address (shown once, revocable), the feed itself, and the e-mail choices."""

import datetime

import pytest
from django.utils import timezone

from coalicion.meetings.actions.agenda import approve_agenda
from coalicion.meetings.actions.calendar import create_calendar_feed
from coalicion.meetings.actions.events import cancel_event
from coalicion.meetings.models import CalendarFeed, Event
from coalicion.meetings.tests.helpers import url
from coalicion.notifications.actions import preferences_of
from coalicion.notifications.models import Preference

pytestmark = pytest.mark.usefixtures("pages_in_english")


def day_from_today(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


# --- The calendar page ------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("calendar", "my_calendar"):
        response = client.get(url(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_the_calendar_lists_upcoming_events_first_then_past_ones(client, users, make_meeting):
    past = make_meeting(number=11, day=day_from_today(-40), title_en="Past meeting")
    soon = make_meeting(number=12, day=day_from_today(10), title_en="Soon meeting")
    later = make_meeting(number=13, day=day_from_today(60), title_en="Later meeting")
    client.force_login(users["focal_point"])
    response = client.get(url("calendar"))
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index("Upcoming") < text.index("Soon meeting") < text.index("Later meeting")
    assert text.index("Later meeting") < text.index("Past") < text.index("Past meeting")
    assert [e for _month, events in response.context["upcoming"] for e in events] == [soon, later]
    assert [e for _month, events in response.context["past"] for e in events] == [past]
    assert url("my_calendar") in text
    assert url("event_create") not in text  # a focal point does not create events


def test_the_calendar_filters_by_year_and_kind(client, users, make_meeting):
    make_meeting(number=11, day="2025-05-10", title_en="Meeting of 2025")
    make_meeting(number=12, day="2026-03-10", title_en="Meeting of 2026")
    make_meeting(
        kind=Event.Kind.WORKSHOP, day="2026-04-10", title_en="Workshop of 2026", convene=False
    )
    client.force_login(users["presidency"])
    text = client.get(url("calendar"), {"year": "2026"}).content.decode()
    assert "Meeting of 2026" in text and "Workshop of 2026" in text
    assert "Meeting of 2025" not in text
    text = client.get(url("calendar"), {"year": "2026", "kind": "workshop"}).content.decode()
    assert "Workshop of 2026" in text and "Meeting of 2026" not in text
    # Nonsense filters are ignored rather than failing.
    response = client.get(url("calendar"), {"year": "x", "kind": "<b>"})
    assert response.status_code == 200
    assert "Meeting of 2025" in response.content.decode()
    assert url("event_create") in response.content.decode()


def test_an_observer_sees_only_events_open_to_observers(client, users, make_meeting):
    make_meeting(number=11, title_en="Closed meeting")
    make_meeting(number=12, day="2026-06-10", title_en="Open meeting", open_to_observers=True)
    client.force_login(users["observer"])
    text = client.get(url("calendar")).content.decode()
    assert "Open meeting" in text
    assert "Closed meeting" not in text


def test_the_calendar_shows_status_place_and_approved_agenda(
    client, users, make_meeting, quorate_meeting
):
    approve_agenda(actor=users["presidency"], event=quorate_meeting)
    virtual = make_meeting(
        kind=Event.Kind.SEMINAR,
        day="2026-05-05",
        title_en="Online seminar",
        country=None,
        city="",
        is_virtual=True,
        virtual_url="https://meet.invalid/room",
        convene=False,
    )
    cancel_event(actor=users["presidency"], event=virtual, reason="Sin ponentes.")
    client.force_login(users["focal_point"])
    text = client.get(url("calendar")).content.decode()
    assert "agenda approved" in text
    assert "Tegucigalpa" in text
    assert "virtual" in text
    assert "Cancelled" in text and "Held" in text


def test_the_calendar_issues_a_bounded_number_of_queries(
    client, users, make_meeting, django_assert_max_num_queries
):
    make_meeting(number=1, day="2026-01-10")
    client.force_login(users["focal_point"])
    client.get(url("calendar"))  # warm-up (session, roles)
    with django_assert_max_num_queries(20) as first:
        client.get(url("calendar"))
    baseline = len(first.captured_queries)
    for number in range(2, 12):
        make_meeting(number=number, day=f"20{15 + number}-0{1 + number % 9}-10")
    with django_assert_max_num_queries(baseline):
        response = client.get(url("calendar"))
    assert sum(len(events) for _month, events in response.context["past"]) >= 10


# --- The private feed address -------------------------------------------------------------------


def feed_path(response) -> str:
    """The path of the feed address shown on the page (once)."""
    full = response.context["feed_url"]
    assert full.startswith("http://testserver/")
    return full.removeprefix("http://testserver")


def test_creating_an_address_shows_it_once_and_it_works_without_signing_in(
    client, users, make_meeting
):
    make_meeting(number=12, day=day_from_today(20), title_en="Next meeting")
    client.force_login(users["focal_point"])
    response = client.post(url("my_calendar"), {"action": "create"})
    assert response.status_code == 200
    path = feed_path(response)
    assert path.encode() in response.content
    assert b"shown only this once" in response.content
    assert "no-store" in response["Cache-Control"]

    # Not shown again.
    page = client.get(url("my_calendar"))
    assert path.encode() not in page.content
    assert b"You have an active calendar address" in page.content

    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert not response.cookies
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "METHOD:PUBLISH" in text
    assert "SUMMARY:Next meeting" in text


def test_a_new_address_revokes_the_previous_one(client, users):
    client.force_login(users["focal_point"])
    first = feed_path(client.post(url("my_calendar"), {"action": "create"}))
    second = feed_path(client.post(url("my_calendar"), {"action": "create"}))
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert CalendarFeed.objects.filter(user=users["focal_point"], revoked_at=None).count() == 1


def test_a_revoked_or_unknown_address_is_not_found(client, users):
    client.force_login(users["focal_point"])
    path = feed_path(client.post(url("my_calendar"), {"action": "create"}))
    response = client.post(url("my_calendar"), {"action": "revoke"}, follow=True)
    assert b"revoked" in response.content
    assert b"You have no active calendar address" in response.content
    assert client.get(path).status_code == 404
    assert client.get(url("calendar_feed", "not-a-token")).status_code == 404
    assert client.get(url("calendar_feed", "x" * 200)).status_code == 404


def test_the_feed_of_an_observer_lists_only_events_open_to_observers(client, users, make_meeting):
    make_meeting(number=12, day=day_from_today(5), title_en="Closed meeting")
    make_meeting(number=13, day=day_from_today(15), title_en="Open meeting", open_to_observers=True)
    make_meeting(
        number=11,
        day=day_from_today(-400),
        title_en="Old open meeting",
        open_to_observers=True,
    )
    token = create_calendar_feed(actor=users["observer"])
    text = client.get(url("calendar_feed", token)).content.decode()
    assert "SUMMARY:Open meeting" in text
    assert "Closed meeting" not in text
    assert "Old open meeting" not in text  # more than a year ago
    assert text.count("BEGIN:VEVENT") == 1


def test_the_feed_keeps_cancelled_events_as_cancelled(client, users, make_meeting):
    event = make_meeting(number=12, day=day_from_today(5))
    cancel_event(actor=users["presidency"], event=event, reason="Fuerza mayor.")
    token = create_calendar_feed(actor=users["focal_point"])
    assert "STATUS:CANCELLED" in client.get(url("calendar_feed", token)).content.decode()


def test_the_feed_of_a_user_without_roles_any_more_is_empty(client, users, make_meeting):
    make_meeting(number=12, day=day_from_today(5))
    user = users["focal_point"]
    token = create_calendar_feed(actor=user)
    user.person.representations.update(end=timezone.localdate() - datetime.timedelta(days=1))
    text = client.get(url("calendar_feed", token)).content.decode()
    assert "BEGIN:VEVENT" not in text


def test_the_feed_records_its_use_at_most_once_an_hour(client, users):
    token = create_calendar_feed(actor=users["focal_point"])
    feed = CalendarFeed.objects.get(user=users["focal_point"])
    assert feed.last_used_at is None
    client.get(url("calendar_feed", token))
    feed.refresh_from_db()
    first_use = feed.last_used_at
    assert first_use is not None
    client.get(url("calendar_feed", token))
    feed.refresh_from_db()
    assert feed.last_used_at == first_use
    CalendarFeed.objects.filter(pk=feed.pk).update(
        last_used_at=first_use - datetime.timedelta(hours=2)
    )
    client.get(url("calendar_feed", token))
    feed.refresh_from_db()
    assert feed.last_used_at > first_use - datetime.timedelta(hours=1)


def test_the_feed_accepts_only_reading(client, users):
    token = create_calendar_feed(actor=users["focal_point"])
    assert client.post(url("calendar_feed", token)).status_code == 405


# --- E-mail choices --------------------------------------------------------------------------


def test_a_user_opts_out_of_optional_e_mails(client, users):
    client.force_login(users["focal_point"])
    page = client.get(url("my_calendar"))
    assert page.context["form"].initial["agenda_approved"] is True
    assert b"Convocations and cancellations of events always go" in page.content
    response = client.post(
        url("my_calendar"), {"action": "notifications", "agenda_approved": "on"}, follow=True
    )
    assert b"Your e-mail choices were saved" in response.content
    preferences = preferences_of(users["focal_point"])
    assert preferences["meetings.agenda_approved"] is True
    assert preferences["meetings.minutes_circulated"] is False
    assert preferences["meetings.agreement_due"] is False
    assert preferences["meetings.agreement_overdue"] is False
    assert response.context["form"].initial["minutes_circulated"] is False


def test_an_unknown_request_changes_nothing(client, users):
    client.force_login(users["focal_point"])
    response = client.post(url("my_calendar"), {"action": "explode"}, follow=True)
    assert b"nothing was changed" in response.content
    assert not CalendarFeed.objects.exists()
    assert not Preference.objects.exists()
