"""The agenda through the web: items added, edited, moved and removed by the
Presidency and the Secretariat, documents attached and downloaded, the live
content of the automatic items, approval (only with quorum) and the PDF."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coalicion.audit.models import AuditEvent
from coalicion.core.pdf import PdfError
from coalicion.core.tests.files import PDF_BYTES
from coalicion.core.uploads import PDF
from coalicion.meetings import documents
from coalicion.meetings.actions.agenda import add_agenda_item
from coalicion.meetings.actions.agreements import create_agreement
from coalicion.meetings.actions.common import attach_file
from coalicion.meetings.actions.minutes import circulate_minutes, draft_minutes
from coalicion.meetings.models import AgendaItem, Attachment, Event
from coalicion.meetings.tests.helpers import messages_of, url

pytestmark = pytest.mark.usefixtures("pages_in_english")

HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


def titles(event: Event) -> list[str]:
    return list(event.agenda_items.order_by("order").values_list("title", flat=True))


def add_item(event, users, title, **fields) -> AgendaItem:
    return add_agenda_item(actor=users["presidency"], event=event, title=title, **fields)


# --- Reading --------------------------------------------------------------------------------


def test_members_read_the_agenda_with_presenters_durations_and_total(client, users, meeting):
    add_item(meeting, users, "Plan de trabajo 2027", presenter="Secretaría", duration_minutes=45)
    add_item(meeting, users, "Varios", duration_minutes=15)
    client.force_login(users["focal_point"])
    response = client.get(url("agenda", meeting.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Plan de trabajo 2027" in text
    assert "Presented by Secretaría" in text
    assert "Total duration: 60 minutes." in text
    assert response.context["can_edit"] is False
    assert "Add an item" not in text


def test_an_observer_reads_the_agenda_of_an_event_open_to_observers_only(
    client, users, make_meeting
):
    closed = make_meeting(number=12)
    opened = make_meeting(number=13, day="2026-06-10", open_to_observers=True)
    client.force_login(users["observer"])
    assert client.get(url("agenda", closed.pk)).status_code == 403
    assert client.get(url("agenda", opened.pk)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, meeting):
    response = client.get(url("agenda", meeting.pk))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_automatic_items_show_their_live_content(
    client, users, make_meeting, make_quorate_meeting
):
    previous = make_quorate_meeting(number=11, day="2025-11-10")
    minutes = draft_minutes(actor=users["secretariat"], event=previous)
    circulate_minutes(actor=users["secretariat"], minutes=minutes)
    carried = create_agreement(
        actor=users["secretariat"],
        event=previous,
        text="Compartir el protocolo regional.",
        responsible_kind="country",
        country=previous.country,
        due=datetime.date(2026, 1, 31),
    )
    make_meeting(
        kind=Event.Kind.REPRESENTATION,
        day="2026-01-20",
        title="Foro hemisférico",
        title_en="Hemispheric forum",
        convene=False,
    )
    reported = make_meeting(
        kind=Event.Kind.REPRESENTATION,
        day="2026-02-20",
        title="Cumbre",
        title_en="Summit",
        report="Se presentó el informe regional.",
        convene=False,
    )
    current = make_meeting(number=12, day="2026-03-10")

    client.force_login(users["focal_point"])
    response = client.get(url("agenda", current.pk))
    text = response.content.decode()
    assert url("minutes", minutes.pk) in text
    assert "Ordinary meeting 11" in text
    assert "Hemispheric forum" in text and "report pending" in text
    assert url("event", reported.pk) in text and "Se presentó el informe regional." in text
    assert url("country_reports", current.pk) in text
    assert carried.code in text and "overdue" in text


def test_observers_do_not_see_circulated_minutes_nor_closed_events_on_an_open_agenda(
    client, users, make_meeting, make_quorate_meeting
):
    previous = make_quorate_meeting(number=11, day="2025-11-10")
    minutes = draft_minutes(actor=users["secretariat"], event=previous)
    circulate_minutes(actor=users["secretariat"], minutes=minutes)
    agreement = create_agreement(
        actor=users["secretariat"],
        event=previous,
        text="Acuerdo reservado.",
        responsible_kind="country",
        country=previous.country,
    )
    make_meeting(
        kind=Event.Kind.REPRESENTATION, day="2026-01-20", title="Misión reservada", convene=False
    )
    current = make_meeting(number=12, day="2026-03-10", open_to_observers=True)
    client.force_login(users["observer"])
    text = client.get(url("agenda", current.pk)).content.decode()
    assert url("minutes", minutes.pk) not in text
    assert agreement.code not in text
    assert "Misión reservada" not in text
    # There was a previous meeting: the observer is told it is not open to them,
    # not that there was none (issue 11: the two copies of the item disagreed).
    assert "There is no previous meeting." not in text
    assert "The previous meeting is not open to observers." in text


def test_the_first_meeting_says_there_is_no_previous_one_to_everyone(client, users, make_meeting):
    first = make_meeting(number=1, day="2026-03-10", open_to_observers=True)
    for role in ("observer", "secretariat"):
        client.force_login(users[role])
        assert (
            "There is no previous meeting." in client.get(url("agenda", first.pk)).content.decode()
        )


# --- Adding and editing items ----------------------------------------------------------------


def test_a_focal_point_cannot_change_the_agenda(client, users, meeting):
    item = meeting.agenda_items.get(kind=AgendaItem.Kind.AGENDA)
    client.force_login(users["focal_point"])
    assert client.post(url("agenda", meeting.pk), {"title": "Intruso"}).status_code == 403
    assert client.get(url("agenda_item", item.pk)).status_code == 403
    assert client.post(url("agenda_item_action", item.pk, "remove")).status_code == 403
    assert client.post(url("approve_agenda", meeting.pk)).status_code == 403
    assert meeting.agenda_items.count() == len(AgendaItem.AUTOMATIC)


def test_the_presidency_adds_an_item_with_a_document(client, users, meeting):
    client.force_login(users["presidency"])
    response = client.post(
        url("agenda", meeting.pk),
        {
            "title": "Informe financiero",
            "presenter": "Tesorería",
            "duration_minutes": "30",
            "notes": "",
            "attachment": SimpleUploadedFile("informe.pdf", PDF_BYTES, "text/html"),
        },
    )
    assert response.status_code == 302
    item = meeting.agenda_items.get(title="Informe financiero")
    assert response["Location"] == url("agenda", meeting.pk) + f"#item-{item.pk}"
    assert item.order == len(AgendaItem.AUTOMATIC) + 1
    assert item.duration_minutes == 30
    attachment = item.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("informe.pdf", PDF)
    assert attachment.uploaded_by == users["presidency"]


def test_a_refused_document_saves_neither_the_item_nor_the_file(client, users, meeting):
    client.force_login(users["presidency"])
    response = client.post(
        url("agenda", meeting.pk),
        {
            "title": "Informe con archivo malo",
            "attachment": SimpleUploadedFile("informe.html", HTML_BYTES, "text/plain"),
        },
    )
    assert response.status_code == 200
    assert "attachment" in response.context["form"].errors
    assert b"Informe con archivo malo" in response.content  # what was typed is kept
    assert not meeting.agenda_items.filter(title="Informe con archivo malo").exists()
    assert not Attachment.objects.exists()


def test_an_item_without_a_title_is_refused(client, users, meeting):
    client.force_login(users["presidency"])
    response = client.post(url("agenda", meeting.pk), {"title": "", "presenter": "Alguien"})
    assert response.status_code == 200
    assert "title" in response.context["form"].errors
    assert meeting.agenda_items.count() == len(AgendaItem.AUTOMATIC)


def test_the_secretariat_edits_an_item(client, users, meeting):
    item = add_item(meeting, users, "Varios")
    client.force_login(users["secretariat"])
    response = client.get(url("agenda_item", item.pk))
    assert response.status_code == 200
    assert response.context["form"].initial["title"] == "Varios"
    response = client.post(
        url("agenda_item", item.pk),
        {
            "title": "Asuntos varios",
            "presenter": "Presidencia",
            "duration_minutes": "20",
            "version": item.version,
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.presenter, item.duration_minutes) == (
        "Asuntos varios",
        "Presidencia",
        20,
    )


# --- Ordering and removal ---------------------------------------------------------------------


def test_items_move_up_and_down_and_are_removed(client, users, meeting):
    first = add_item(meeting, users, "Primero")
    second = add_item(meeting, users, "Segundo")
    client.force_login(users["presidency"])

    response = client.post(url("agenda_item_action", second.pk, "up"))
    assert response.status_code == 302
    assert titles(meeting)[-2:] == ["Segundo", "Primero"]

    client.post(url("agenda_item_action", second.pk, "down"))
    assert titles(meeting)[-2:] == ["Primero", "Segundo"]

    client.post(url("agenda_item_action", first.pk, "remove"))
    assert titles(meeting)[-1] == "Segundo"
    assert not AgendaItem.objects.filter(pk=first.pk).exists()
    orders = list(meeting.agenda_items.order_by("order").values_list("order", flat=True))
    assert orders == list(range(1, len(orders) + 1))


def test_the_quorum_and_the_previous_minutes_cannot_be_removed(client, users, meeting):
    client.force_login(users["presidency"])
    for kind in (AgendaItem.Kind.QUORUM, AgendaItem.Kind.PREVIOUS_MINUTES):
        item = meeting.agenda_items.get(kind=kind)
        response = client.post(url("agenda_item_action", item.pk, "remove"), follow=True)
        assert b"stay on the agenda" in response.content
        assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_an_unknown_operation_is_not_found(client, users, meeting):
    item = meeting.agenda_items.first()
    client.force_login(users["presidency"])
    assert client.post(url("agenda_item_action", item.pk, "delete")).status_code == 404
    assert client.get(url("agenda_item_action", item.pk, "up")).status_code == 405


# --- Approval ------------------------------------------------------------------------------------


def test_approval_is_refused_without_quorum(client, users, meeting):
    client.force_login(users["presidency"])
    response = client.post(url("approve_agenda", meeting.pk), follow=True)
    assert b"has no quorum" in response.content
    meeting.refresh_from_db()
    assert not meeting.agenda_approved


def test_approval_with_quorum_makes_the_agenda_read_only(client, users, quorate_meeting):
    item = add_item(quorate_meeting, users, "Varios")
    client.force_login(users["presidency"])
    response = client.post(url("approve_agenda", quorate_meeting.pk), follow=True)
    assert b"The agenda was approved" in response.content
    quorate_meeting.refresh_from_db()
    assert quorate_meeting.agenda_approved

    response = client.get(url("agenda", quorate_meeting.pk))
    assert b"This agenda was approved on" in response.content
    assert response.context["can_edit"] is False
    assert url("agenda_item_action", item.pk, "remove").encode() not in response.content

    # Nothing changes it any more, whatever is posted.
    response = client.post(url("agenda", quorate_meeting.pk), {"title": "Tarde"}, follow=True)
    assert b"cannot change any more" in response.content
    assert not quorate_meeting.agenda_items.filter(title="Tarde").exists()
    client.post(url("agenda_item_action", item.pk, "remove"))
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    assert client.get(url("agenda_item", item.pk)).status_code == 302


def test_once_the_minutes_are_approved_the_agenda_offers_no_edits(
    client, users, quorate_meeting, approve_minutes_of
):
    item = add_item(quorate_meeting, users, "Varios")
    approve_minutes_of(quorate_meeting)
    client.force_login(users["presidency"])

    response = client.get(url("agenda", quorate_meeting.pk))

    assert response.context["can_edit"] is False and response.context["form"] is None
    assert url("agenda_item", item.pk).encode() not in response.content
    assert b"what they record cannot change" in response.content
    refused = client.post(url("agenda", quorate_meeting.pk), {"title": "Tarde"}, follow=True)
    assert b"what they record cannot change" in refused.content
    assert not quorate_meeting.agenda_items.filter(title="Tarde").exists()


# --- Attachments ---------------------------------------------------------------------------------


@pytest.fixture
def attachment(users, make_meeting):
    event = make_meeting(number=13, day="2026-06-10", open_to_observers=True)
    item = add_item(event, users, "Documento")
    return attach_file(
        actor=users["presidency"],
        uploaded=SimpleUploadedFile("orden del día", PDF_BYTES),
        content_type=PDF,
        agenda_item=item,
    )


def test_an_attachment_is_downloaded_as_an_audited_file(client, users, attachment):
    client.force_login(users["focal_point"])
    response = client.get(url("attachment", attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "orden%20del%20d%C3%ADa.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.user == users["focal_point"]
    assert event.detail == {"attachment": attachment.pk}


def test_attachments_follow_the_visibility_of_their_event(client, users, attachment, meeting):
    client.force_login(users["observer"])
    assert client.get(url("attachment", attachment.pk)).status_code == 200
    item = meeting.agenda_items.first()
    closed = attach_file(
        actor=users["presidency"],
        uploaded=SimpleUploadedFile("reservado.pdf", PDF_BYTES),
        content_type=PDF,
        agenda_item=item,
    )
    assert client.get(url("attachment", closed.pk)).status_code == 403
    client.logout()
    response = client.get(url("attachment", attachment.pk))
    assert response.status_code == 302


def test_the_agenda_links_its_attachments(client, users, attachment):
    client.force_login(users["focal_point"])
    event = attachment.agenda_item.event
    response = client.get(url("agenda", event.pk))
    assert url("attachment", attachment.pk).encode() in response.content


# --- PDF and query counts --------------------------------------------------------------------


def test_the_agenda_prints_as_a_pdf(client, users, meeting):
    add_item(meeting, users, "Plan de trabajo", presenter="Secretaría", duration_minutes=30)
    client.force_login(users["focal_point"])
    response = client.get(url("agenda_pdf", meeting.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="agenda-R12-2026.pdf"' in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")


def test_the_agenda_issues_a_bounded_number_of_queries(
    client, users, quorate_meeting, make_meeting, django_assert_max_num_queries
):
    page = url("agenda", quorate_meeting.pk)
    client.force_login(users["presidency"])
    client.get(page)  # warm-up (session, roles)
    with django_assert_max_num_queries(40) as first:
        client.get(page)
    baseline = len(first.captured_queries)
    for number in range(4):
        item = add_item(quorate_meeting, users, f"Punto {number}", duration_minutes=10)
        attach_file(
            actor=users["presidency"],
            uploaded=SimpleUploadedFile(f"anexo-{number}.pdf", PDF_BYTES),
            content_type=PDF,
            agenda_item=item,
        )
        create_agreement(
            actor=users["secretariat"],
            event=quorate_meeting,
            text=f"Acuerdo {number}.",
            responsible_kind="country",
            country=quorate_meeting.country,
        )
        make_meeting(
            kind=Event.Kind.REPRESENTATION,
            day=f"2026-04-1{number}",
            title=f"Representación {number}",
            title_en=f"Representación {number}",
            convene=False,
        )
    later = make_meeting(number=13, day="2026-06-10")
    client.get(url("agenda", later.pk))
    with django_assert_max_num_queries(baseline):
        response = client.get(url("agenda", later.pk))
    assert response.content.count(b"Representaci\xc3\xb3n ") == 4
    with django_assert_max_num_queries(baseline):
        response = client.get(page)
    assert response.content.count(b"anexo-") == 4


# --- The printed agenda shows what the page shows -------------------------------------------


def test_the_printed_agenda_is_made_for_the_reader(
    client, users, make_meeting, monkeypatch, make_quorate_meeting
):
    previous = make_quorate_meeting(number=11, day="2025-11-10")
    create_agreement(
        actor=users["secretariat"],
        event=previous,
        text="Acuerdo reservado sintético.",
        responsible_kind="country",
        country=previous.country,
    )
    current = make_meeting(number=12, day="2026-03-10", open_to_observers=True)
    printed = []

    def fake_render(*, template, data):
        printed.append(data)
        return b"%PDF-1.4 fake"

    monkeypatch.setattr(documents, "render_pdf", fake_render)
    for role in ("observer", "focal_point"):
        client.force_login(users[role])
        assert client.get(url("agenda_pdf", current.pk)).status_code == 200
    observer, member = ([a["text"] for i in d["items"] for a in i["agreements"]] for d in printed)
    assert observer == []
    assert member == ["Acuerdo reservado sintético."]


def test_a_pdf_that_cannot_be_made_sends_back_to_the_agenda_with_a_message(
    client, users, meeting, monkeypatch
):
    def broken(event, *, user):
        raise PdfError("synthetic failure")

    monkeypatch.setattr(documents, "agenda_pdf", broken)
    client.force_login(users["focal_point"])

    response = client.get(url("agenda_pdf", meeting.pk))

    assert response.status_code == 302 and response["Location"] == url("agenda", meeting.pk)
    assert "The PDF of the agenda could not be produced." in messages_of(response)


# --- Two people editing an item at once -------------------------------------------------------


def test_an_item_saved_meanwhile_is_not_overwritten_by_an_older_copy(client, users, meeting):
    """The lost update of issue 9 on agenda items: the second save of two
    edits opened on the same version is refused, with what was typed kept."""
    item = add_item(meeting, users, "Varios", presenter="Presidencia")
    opened = item.version
    client.force_login(users["secretariat"])
    first = {"title": "Asuntos varios", "presenter": "Secretaría", "version": opened}
    assert client.post(url("agenda_item", item.pk), first).status_code == 302

    client.force_login(users["presidency"])
    second = {"title": "Varios y cierre", "presenter": "Presidencia", "version": opened}
    response = client.post(url("agenda_item", item.pk), second)

    assert response.status_code == 200
    assert "Someone else saved this in the meantime" in response.content.decode()
    assert response.context["form"]["title"].value() == "Varios y cierre"
    item.refresh_from_db()
    assert (item.title, item.presenter) == ("Asuntos varios", "Secretaría")


def test_the_item_action_refuses_an_outdated_version(users, meeting):
    from coalicion.core.actions import StaleEdit
    from coalicion.meetings.actions.agenda import update_agenda_item

    item = add_item(meeting, users, "Varios")
    update_agenda_item(actor=users["presidency"], item=item, version=item.version, title="A")
    with pytest.raises(StaleEdit):
        update_agenda_item(actor=users["secretariat"], item=item, version=item.version, title="B")
    item.refresh_from_db()
    assert (item.title, item.version) == ("A", 2)
