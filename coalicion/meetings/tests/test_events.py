"""Events through the web: creation and editing by the Presidency and the
Secretariat, the overview page, convocation with e-mailed .ics invitations,
cancellation, and the single-event .ics download."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coalicion.meetings.actions.agreements import create_agreement
from coalicion.meetings.actions.decisions import record_decision
from coalicion.meetings.actions.events import cancel_event, update_event
from coalicion.meetings.actions.minutes import draft_minutes
from coalicion.meetings.models import AgendaItem, Event
from coalicion.meetings.tests.conftest import at
from coalicion.meetings.tests.helpers import url
from coalicion.notifications.models import Notification
from coalicion.plans.models import Activity

pytestmark = pytest.mark.usefixtures("pages_in_english")


def event_post(**overrides) -> dict:
    data = {
        "kind": "ordinary",
        "number": "13",
        "title": "Reunión ordinaria 13",
        "title_en": "Ordinary meeting 13",
        "description": "",
        "start": "2026-12-10T09:00",
        "end": "2026-12-10T17:00",
        "country": "",
        "city": "Ciudad de Prueba",
        "venue": "",
        "virtual_url": "",
        "organiser": "Presidencia",
        "report": "",
        "version": "0",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Who may do what ------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    for name, args in (("calendar", ()), ("event", (meeting.pk,)), ("event_create", ())):
        response = client.get(url(name, *args))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_a_focal_point_cannot_create_edit_convene_or_cancel(client, users, make_meeting):
    event = make_meeting(convene=False)
    client.force_login(users["focal_point"])
    assert client.get(url("event_create")).status_code == 403
    assert client.post(url("event_create"), event_post()).status_code == 403
    assert client.get(url("event_edit", event.pk)).status_code == 403
    assert client.post(url("convene", event.pk)).status_code == 403
    assert client.post(url("cancel", event.pk), {"reason": "No."}).status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.PLANNED
    assert Event.objects.count() == 1


def test_a_focal_point_sees_the_overview_without_the_chair_buttons(client, users, meeting):
    client.force_login(users["focal_point"])
    response = client.get(url("event", meeting.pk))
    assert response.status_code == 200
    assert url("cancel", meeting.pk).encode() not in response.content
    assert url("event_edit", meeting.pk).encode() not in response.content


def test_an_observer_sees_only_events_open_to_observers(client, users, make_meeting):
    closed = make_meeting(number=12)
    opened = make_meeting(number=13, day="2026-06-10", open_to_observers=True)
    client.force_login(users["observer"])
    assert client.get(url("event", closed.pk)).status_code == 403
    assert client.get(url("event_ics", closed.pk)).status_code == 403
    assert client.get(url("event", opened.pk)).status_code == 200
    assert client.get(url("event_create")).status_code == 403


# --- Creating and editing ---------------------------------------------------------------


def test_the_presidency_creates_a_meeting_with_its_fixed_items_and_activities(
    client, users, terms, plan
):
    activities = list(Activity.objects.order_by("pk")[:2])
    client.force_login(users["presidency"])
    response = client.post(
        url("event_create"),
        event_post(country=str(terms["HN"].pk), activities=[str(a.pk) for a in activities]),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert response["Location"] == url("event", event.pk)
    assert event.number == 13
    assert event.created_by == users["presidency"]
    assert timezone.localtime(event.start).hour == 9
    assert set(event.activities.all()) == set(activities)
    assert event.agenda_items.filter(kind=AgendaItem.Kind.QUORUM).exists()
    assert event.agenda_items.count() == len(AgendaItem.AUTOMATIC)


def test_the_form_lists_the_activities_of_the_operating_plans(client, users, plan):
    activity = Activity.objects.select_related("objective__operating_plan").first()
    client.force_login(users["secretariat"])
    response = client.get(url("event_create"))
    assert response.status_code == 200
    assert activity.code.encode() in response.content
    assert f"Operating plan {activity.objective.operating_plan.year}".encode() in response.content


def test_a_meeting_without_a_number_is_refused_on_its_field_and_nothing_is_saved(
    client, users, terms
):
    client.force_login(users["presidency"])
    response = client.post(url("event_create"), event_post(number="", title="Sin número"))
    assert response.status_code == 200
    assert Event.objects.count() == 0
    form = response.context["form"]
    assert "number" in form.errors
    # What was typed is kept.
    assert b"Sin n\xc3\xbamero" in response.content


def test_an_event_ending_before_it_starts_is_refused(client, users):
    client.force_login(users["presidency"])
    response = client.post(url("event_create"), event_post(end="2026-12-09T17:00"))
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert Event.objects.count() == 0


def test_a_failed_submit_shows_the_required_fields_and_the_events_rules_at_once(client, users):
    client.force_login(users["presidency"])
    response = client.post(
        url("event_create"),
        event_post(title="", number="", end="2026-12-09T17:00", city=""),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["end"] == ["The event cannot end before it starts."]
    assert errors["number"] == ["An ordinary or extraordinary meeting needs its number."]
    assert errors["country"] == ["Give the country and city, or mark the event as virtual."]
    page = response.content.decode()
    for message in ("This field is required.", "The event cannot end before it starts."):
        assert message in page
    assert Event.objects.count() == 0


def test_a_number_already_taken_is_told_beside_the_required_fields(client, users, make_meeting):
    make_meeting(number=13, convene=False)
    client.force_login(users["presidency"])
    response = client.post(url("event_create"), event_post(title="", start="mañana"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["start"] == ["Enter a valid date/time."]
    assert errors["number"] == ["There is already a meeting of this kind with number 13."]
    assert Event.objects.count() == 1


def test_an_edit_tells_the_kind_and_number_rules_beside_the_required_fields(
    client, users, make_meeting
):
    make_meeting(number=13, convene=False)
    event = make_meeting(number=12, day="2026-04-10", convene=False)
    client.force_login(users["secretariat"])
    response = client.post(
        url("event_edit", event.pk),
        event_post(number="13", title="", version=str(event.version)),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["number"] == ["There is already a meeting of this kind with number 13."]
    response = client.post(
        url("event_edit", event.pk),
        event_post(kind="workshop", number="", title="", version=str(event.version)),
    )
    errors = response.context["form"].errors
    assert errors["title"] == ["This field is required."]
    assert errors["kind"] == ["A meeting cannot become another kind of event, nor the reverse."]
    event.refresh_from_db()
    assert (event.number, event.title) == (12, "Reunión ordinaria 12")


def test_a_report_is_only_written_for_a_representation(client, users):
    client.force_login(users["presidency"])
    response = client.post(url("event_create"), event_post(report="Informe."))
    assert "report" in response.context["form"].errors
    response = client.post(
        url("event_create"),
        event_post(kind="representation", number="", report="Informe de la representación."),
    )
    assert response.status_code == 302
    assert Event.objects.get().report == "Informe de la representación."


def test_editing_saves_and_increments_the_version(client, users, make_meeting):
    event = make_meeting(convene=False)
    client.force_login(users["secretariat"])
    response = client.get(url("event_edit", event.pk))
    assert response.status_code == 200
    assert response.context["form"].initial["version"] == event.version
    response = client.post(
        url("event_edit", event.pk),
        event_post(number="12", title="Nuevo título", version=str(event.version)),
    )
    assert response.status_code == 302
    saved = Event.objects.get(pk=event.pk)
    assert saved.title == "Nuevo título"
    assert saved.version == event.version + 1


def test_an_edit_based_on_an_old_version_is_refused_and_keeps_the_input(
    client, users, make_meeting
):
    event = make_meeting(convene=False)
    update_event(
        actor=users["presidency"], event=event, version=event.version, title="Cambio de otro"
    )
    client.force_login(users["secretariat"])
    response = client.post(
        url("event_edit", event.pk),
        event_post(number="12", title="Mi cambio", version=str(event.version)),
    )
    assert response.status_code == 200
    assert b"Someone else saved this" in response.content
    assert b"Mi cambio" in response.content
    assert Event.objects.get(pk=event.pk).title == "Cambio de otro"


def test_a_cancelled_event_cannot_be_edited(client, users, make_meeting):
    event = make_meeting(convene=False)
    cancel_event(actor=users["presidency"], event=event, reason="Sin fondos.")
    client.force_login(users["presidency"])
    response = client.get(url("event_edit", event.pk))
    assert response.status_code == 302
    assert response["Location"] == url("event", event.pk)


# --- Convocation and cancellation --------------------------------------------------------


def test_convening_sends_each_member_an_invitation_with_an_ics_file(
    client, users, make_meeting, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_meeting(convene=False, day="2026-12-10")
    client.force_login(users["presidency"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("convene", event.pk))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CONVENED
    assert event.convened_by == users["presidency"]
    members = {
        users[k].email for k in ("focal_point", "focal_point_other", "presidency", "secretariat")
    }
    assert {m.to[0] for m in mailoutbox} == members  # not the observer: the event is closed
    for message in mailoutbox:
        (name, content, mimetype) = message.attachments[0]
        assert name.endswith(".ics")
        assert mimetype.startswith("text/calendar")
        assert "BEGIN:VEVENT" in content
        assert f"event-{event.pk}@" in content
    # A second convocation is refused and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("convene", event.pk))
    assert len(mailoutbox) == len(members)


def test_the_page_of_a_planned_event_explains_the_convocation(client, users, make_meeting):
    event = make_meeting(convene=False)
    client.force_login(users["presidency"])
    response = client.get(url("event", event.pk))
    assert url("convene", event.pk).encode() in response.content
    assert b".ics" in response.content


def test_cancelling_needs_a_reason_and_keeps_nothing_else(client, users, make_meeting):
    event = make_meeting(convene=False)
    client.force_login(users["presidency"])
    response = client.post(url("cancel", event.pk), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["cancel_form"].errors
    event.refresh_from_db()
    assert event.status == Event.Status.PLANNED

    response = client.post(url("cancel", event.pk), {"reason": "Emergencia sanitaria."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert "Emergencia sanitaria." in event.description


def test_an_event_that_took_place_cannot_be_cancelled(client, users, quorate_meeting):
    client.force_login(users["presidency"])
    response = client.post(url("cancel", quorate_meeting.pk), {"reason": "Error."})
    assert response.status_code == 200
    assert b"already has attendance" in response.content
    assert b"Error." in response.content  # the reason typed is kept
    quorate_meeting.refresh_from_db()
    assert quorate_meeting.status != Event.Status.CANCELLED


def test_a_missing_reason_and_a_meeting_that_took_place_are_told_at_once(
    client, users, quorate_meeting
):
    client.force_login(users["presidency"])
    response = client.post(url("cancel", quorate_meeting.pk), {"reason": ""})
    assert response.status_code == 200
    form = response.context["cancel_form"]
    assert form.errors["reason"] == ["This field is required."]
    assert any("already has attendance" in e for e in form.non_field_errors())
    quorate_meeting.refresh_from_db()
    assert quorate_meeting.status != Event.Status.CANCELLED


def test_cancelling_a_convened_meeting_tells_the_members(
    client, users, meeting, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(users["presidency"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("cancel", meeting.pk), {"reason": "Fuerza mayor."})
    assert mailoutbox
    assert all("STATUS:CANCELLED" in m.attachments[0][1] for m in mailoutbox)
    assert Notification.objects.filter(key=f"event:{meeting.pk}:cancelled").exists()


# --- Overview and .ics ---------------------------------------------------------------------


def test_the_overview_shows_quorum_decisions_and_agreements(client, users, quorate_meeting):
    decision = record_decision(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Aprobar el plan.",
        method="consensus",
    )
    agreement = create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Enviar el informe.",
        responsible_kind="country",
        country=decision.event.country,
        due=datetime.date(2026, 4, 1),
    )
    client.force_login(users["focal_point"])
    response = client.get(url("event", quorate_meeting.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "5 of 9 member countries present" in text
    assert "quorum (needs 5)" in text
    assert url("decision", decision.pk) in text
    assert "adopted" in text
    assert agreement.code in text
    assert "overdue" in text  # due on 1 April 2026, still pending
    assert url("attendance", quorate_meeting.pk) in text


def test_the_overview_links_the_activities_to_the_operating_plan(client, users, plan, make_meeting):
    activity = Activity.objects.select_related("objective__operating_plan").first()
    event = make_meeting(activities=[activity])
    client.force_login(users["focal_point"])
    response = client.get(url("event", event.pk))
    poa = reverse("plans:poa", args=[plan.code, activity.objective.operating_plan.year])
    assert poa.encode() in response.content


def test_a_representation_shows_its_report_or_that_it_is_pending(client, users, make_meeting):
    event = make_meeting(kind=Event.Kind.REPRESENTATION, title="Foro regional", convene=False)
    client.force_login(users["focal_point"])
    response = client.get(url("event", event.pk))
    assert b"the report is pending" in response.content
    assert url("attendance", event.pk).encode() not in response.content  # not a meeting


def test_the_event_ics_is_a_calendar_file(client, users, meeting):
    client.force_login(users["focal_point"])
    response = client.get(url("event_ics", meeting.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR")
    assert "METHOD:PUBLISH" in text
    assert "SUMMARY:Ordinary meeting 12" in text


def test_the_overview_issues_a_bounded_number_of_queries(
    client, users, quorate_meeting, plan, django_assert_max_num_queries
):
    client.force_login(users["secretariat"])
    page = url("event", quorate_meeting.pk)
    client.get(page)  # warm-up (session, roles)
    with django_assert_max_num_queries(30) as first:
        client.get(page)
    baseline = len(first.captured_queries)
    quorate_meeting.activities.set(Activity.objects.all()[:10])
    for number in range(3):
        record_decision(
            actor=users["secretariat"],
            event=quorate_meeting,
            text=f"Decisión {number}.",
            method="consensus",
        )
        create_agreement(
            actor=users["secretariat"],
            event=quorate_meeting,
            text=f"Acuerdo {number}.",
            responsible_kind="country",
            country=quorate_meeting.country,
        )
    with django_assert_max_num_queries(baseline):
        response = client.get(page)
    assert response.content.count(b"Acuerdo ") == 3


def test_the_dates_are_shown_in_local_time(client, users, make_meeting):
    event = make_meeting(start=at("2026-12-10", 9), end=at("2026-12-10", 17), convene=False)
    client.force_login(users["focal_point"])
    response = client.get(url("event", event.pk))
    assert "10 December 2026, 9 a.m.–5 p.m." in response.content.decode()


def test_an_edit_without_its_version_is_refused(client, users, make_meeting):
    event = make_meeting(convene=False)
    client.force_login(users["presidency"])
    response = client.post(
        url("event_edit", event.pk), event_post(number="12", title="Sin versión", version="")
    )
    assert response.status_code == 200
    assert b"The form was sent incomplete" in response.content
    assert Event.objects.get(pk=event.pk).title == event.title


# --- Tabs of an event ----------------------------------------------------------------------


def test_the_tabs_lead_to_the_minutes_or_to_drafting_them(client, users, quorate_meeting):
    client.force_login(users["secretariat"])
    response = client.get(url("event", quorate_meeting.pk))
    assert url("minutes_create", quorate_meeting.pk).encode() in response.content
    assert b'aria-current="page">Overview' in response.content

    minutes = draft_minutes(actor=users["secretariat"], event=quorate_meeting)
    response = client.get(url("agenda", quorate_meeting.pk))
    assert url("minutes", minutes.pk).encode() in response.content
    assert b'aria-current="page">Agenda' in response.content

    # A draft stays with the Secretariat: a focal point sees no minutes tab.
    client.force_login(users["focal_point"])
    response = client.get(url("event", quorate_meeting.pk))
    assert url("minutes", minutes.pk).encode() not in response.content
    assert url("minutes_create", quorate_meeting.pk).encode() not in response.content
    assert url("country_reports", quorate_meeting.pk).encode() in response.content


def test_an_observer_sees_no_country_reports_tab(client, users, make_meeting):
    event = make_meeting(open_to_observers=True)
    client.force_login(users["observer"])
    response = client.get(url("event", event.pk))
    assert response.status_code == 200
    assert url("country_reports", event.pk).encode() not in response.content
    assert url("attendance", event.pk).encode() in response.content


def test_once_the_minutes_are_approved_the_event_offers_no_edit(
    client, users, quorate_meeting, approve_minutes_of
):
    approve_minutes_of(quorate_meeting)

    for role in ("presidency", "secretariat"):
        client.force_login(users[role])
        page = client.get(url("event", quorate_meeting.pk))
        html = page.content.decode()
        assert page.context["frozen"] is True
        assert url("agreement_create", quorate_meeting.pk) not in html
        assert "what they record cannot change" in html
        assert "Edit what can still change" in html
        form = client.get(url("event_edit", quorate_meeting.pk)).context["form"]
        assert form.fields["number"].disabled and form.fields["start"].disabled
        assert not form.fields["open_to_observers"].disabled
