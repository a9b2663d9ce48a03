"""Indicators 4.3a and 4.3b come from the figures cache (ADR 0055) and are
never stale: a follow-up, a change of the register or of an agreement shows
on the matrix right after the write."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from coalicion.meetings.models import Event
from coalicion.meetings.tests.test_attendance import register_data

D = Decimal


def indicator_value(client, code):
    with translation.override("es"):
        path = reverse("monitoring:matrix")
    page = client.get(path)
    assert page.status_code == 200
    return next(s for s in page.context["indicators"] if s.indicator.code == code).current


def test_the_indicators_are_read_from_the_cache_the_second_time(client, users, agreement):
    client.force_login(users["secretariat"])
    indicator_value(client, "4.3a")  # warm the session and the figures
    with CaptureQueriesContext(connection) as cached:
        assert indicator_value(client, "4.3a") == D(0)
    # Nothing of the meetings' records is read again.
    assert not [q for q in cached.captured_queries if "meetings_" in q["sql"]]


def test_a_follow_up_fulfilling_an_agreement_shows_at_once(client, users, agreement):
    client.force_login(users["secretariat"])
    assert indicator_value(client, "4.3a") == D(0)
    client.force_login(users["focal_point"])  # Costa Rica answers for it
    with translation.override("es"):
        path = reverse("meetings:follow_up", args=[agreement.pk])
    response = client.post(
        path,
        {
            "date": timezone.localdate().isoformat(),
            "text": "Protocolo enviado",
            "status": "fulfilled",
        },
    )
    assert response.status_code == 302
    client.force_login(users["secretariat"])
    assert indicator_value(client, "4.3a") == D(1)


def test_a_change_of_the_register_shows_at_once(client, users, quorate_meeting):
    assert quorate_meeting.status == Event.Status.HELD
    client.force_login(users["secretariat"])
    assert indicator_value(client, "4.3b") == D(5)  # five of nine present
    with translation.override("es"):
        path = reverse("meetings:attendance", args=[quorate_meeting.pk])
    present = dict.fromkeys(("CR", "GT", "HN", "PA", "SV", "BZ"), "titular")
    response = client.post(path, register_data(present, version=quorate_meeting.register_version))
    assert response.status_code == 302
    assert indicator_value(client, "4.3b") == D(6)
