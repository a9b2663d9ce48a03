"""Lists that grow without end are paged in the database (issue 13): the
agreements, the past of the calendar, the archive of minutes; the agenda
carries the most urgent open agreements and counts the others. Each page
takes the same number of queries whatever the number of rows."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from coalicion.meetings import documents, selectors
from coalicion.meetings.actions.agreements import create_agreement
from coalicion.meetings.actions.minutes import (
    approve_minutes,
    circulate_minutes,
    correct_minutes,
    draft_minutes,
)
from coalicion.meetings.tests.test_documents import pdf_text
from coalicion.meetings.views import events as event_views
from coalicion.meetings.views import minutes as minutes_views
from coalicion.membership.models import Country


def url(name, *args, **query):
    with translation.override("es"):
        path = reverse(f"meetings:{name}", args=args)
    if query:
        path += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return path


def add_agreements(event, users, count, start=0):
    costa_rica = Country.objects.get(code="CR")
    return [
        create_agreement(
            actor=users["secretariat"],
            event=event,
            text=f"Acuerdo sintético {start + n}",
            responsible_kind="country",
            country=costa_rica,
            due=datetime.date(2026, 4, 1) + datetime.timedelta(days=(start + n) * 7 % 200),
        )
        for n in range(count)
    ]


def measured(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response, len(queries)


# --- The agreements -------------------------------------------------------------------------


def test_the_agreements_list_reads_one_page_from_the_database(client, users, quorate_meeting):
    add_agreements(quorate_meeting, users, 3)
    client.force_login(users["focal_point"])
    client.get(url("agreements"))  # warm-up: session, roles
    small, few = measured(client, url("agreements"))
    assert len(small.context["agreements"]) == 3
    add_agreements(quorate_meeting, users, 54, start=3)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url("agreements"))
    assert len(queries) <= few
    assert len(first.context["agreements"]) == 50
    assert first.context["page"].paginator.count == 57
    assert any("LIMIT 50" in q["sql"] for q in queries.captured_queries)
    second, many = measured(client, url("agreements", page=2))
    assert len(second.context["agreements"]) == 7
    assert many <= few
    assert "page=1" in second.content.decode()  # back to the first page
    listed = {a.pk for a in first.context["agreements"]} | {
        a.pk for a in second.context["agreements"]
    }
    assert len(listed) == 57


# --- The calendar ---------------------------------------------------------------------------


def test_the_past_of_the_calendar_is_paged_latest_first(client, users, make_meeting, monkeypatch):
    monkeypatch.setattr(event_views, "CALENDAR_PAGE_SIZE", 2)
    for number, day in [(1, "2025-01-15"), (2, "2025-02-15")]:
        make_meeting(number, day)
    client.force_login(users["focal_point"])
    client.get(url("calendar"))  # warm-up
    _small, few = measured(client, url("calendar"))
    for number, day in [(3, "2025-03-15"), (4, "2025-04-15"), (5, "2025-05-15")]:
        make_meeting(number, day)
    first, many = measured(client, url("calendar"))
    assert many <= few
    shown = [event.number for _month, events in first.context["past"] for event in events]
    assert shown == [5, 4]
    assert first.context["page"].paginator.num_pages == 3
    last, _count = measured(client, url("calendar", page=3, kind="ordinary"))
    assert [e.number for _m, events in last.context["past"] for e in events] == [1]
    assert "kind=ordinary&amp;page=2" in last.content.decode()


# --- The archive of minutes -----------------------------------------------------------------


def test_the_archive_of_minutes_is_paged_in_the_database(
    client, users, quorate_meeting, make_quorate_meeting, monkeypatch
):
    monkeypatch.setattr(minutes_views, "ARCHIVE_PAGE_SIZE", 2)
    later = make_quorate_meeting(13, "2026-09-15")
    minutes = draft_minutes(actor=users["secretariat"], event=quorate_meeting)
    minutes = circulate_minutes(actor=users["secretariat"], minutes=minutes)
    approved = approve_minutes(actor=users["presidency"], minutes=minutes, at_event=later)

    def correct():
        correction = correct_minutes(actor=users["secretariat"], minutes=approved)
        correction = circulate_minutes(actor=users["secretariat"], minutes=correction)
        approve_minutes(actor=users["secretariat"], minutes=correction, at_event=later)

    correct()
    client.force_login(users["focal_point"])
    client.get(url("archive"))  # warm-up
    _small, few = measured(client, url("archive"))
    for _ in range(3):
        correct()
    first, many = measured(client, url("archive"))
    assert many <= few
    assert len(first.context["minutes_list"]) == 2
    assert first.context["page"].paginator.count == 5
    last, _count = measured(client, url("archive", page=3))
    assert len(last.context["minutes_list"]) == 1


# --- The agenda -----------------------------------------------------------------------------


@pytest.fixture
def crowded_agenda(quorate_meeting, make_quorate_meeting, users):
    """55 open agreements of meeting 12, then meeting 13, whose agenda
    follows up the pending agreements."""
    add_agreements(quorate_meeting, users, 55)
    return make_quorate_meeting(13, "2026-06-10")


def test_the_agenda_carries_the_50_most_urgent_open_agreements_and_counts_the_others(
    crowded_agenda, users, tmp_path: Path
):
    with translation.override("en"):
        data = documents.agenda_data(crowded_agenda, user=users["focal_point"])
    [item] = [i for i in data["items"] if i["agreements"]]
    assert len(item["agreements"]) == selectors.AGENDA_AGREEMENTS == 50
    open_ones = sorted(
        selectors.open_agreements_before(crowded_agenda), key=lambda a: (a.due, a.sequence)
    )
    assert [a["code"] for a in item["agreements"]] == [a.code for a in open_ones[:50]]
    full_list = settings.SITE_URL + url("agreements").replace("/es/", "/en/", 1)
    assert item["more"] == f"5 more open agreements: see {full_list}"
    with translation.override("es"):
        spanish = documents.agenda_data(crowded_agenda, user=users["focal_point"])
    [item] = [i for i in spanish["items"] if i["agreements"]]
    assert item["more"].startswith("5 acuerdos abiertos más: ver ")
    with translation.override("en"):
        pdf = documents.agenda_pdf(crowded_agenda, user=users["focal_point"])
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert "5moreopenagreements" in text
        assert text.count("R12-2026-") == 50


def test_the_agenda_page_links_to_the_full_list(client, users, crowded_agenda):
    client.force_login(users["focal_point"])
    with translation.override("en"):
        path = reverse("meetings:agenda", args=[crowded_agenda.pk])
        full_list = reverse("meetings:agreements")
    response = client.get(path)
    assert len(response.context["live"]["carried"]) == 50
    html = response.content.decode()
    assert "5 more open agreements" in html
    assert f'see <a href="{full_list}">the list of agreements</a>' in html


def test_a_short_agenda_has_no_such_line(users, quorate_meeting, make_quorate_meeting):
    add_agreements(quorate_meeting, users, 3)
    event = make_quorate_meeting(13, "2026-06-10")
    data = documents.agenda_data(event, user=users["focal_point"])
    [item] = [i for i in data["items"] if i["agreements"]]
    assert len(item["agreements"]) == 3
    assert item["more"] == ""
