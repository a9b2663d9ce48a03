"""Agreements through their pages: numbering per meeting, quorum, the
responsible party's follow-up with evidence (and what it may not do), the
Secretariat's edits until the minutes are approved, the list with its
filters (overdue first), carry-over to the next meeting, and bounded
queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coalicion.core.tests.files import PDF_BYTES
from coalicion.meetings import selectors
from coalicion.meetings.actions.agenda import approve_agenda
from coalicion.meetings.actions.agreements import add_follow_up, create_agreement
from coalicion.meetings.actions.attendance import verify_quorum
from coalicion.meetings.actions.decisions import record_decision
from coalicion.meetings.models import Agreement, Attachment, FollowUp
from coalicion.meetings.tests.helpers import country, messages_of, others_addresses, url
from coalicion.membership.models import Organ
from coalicion.plans.models import WorkingCommittee


def agreement_data(**extra):
    data = {
        "text": "Compartir el protocolo nacional de atención",
        "responsible_kind": "country",
        "country": country("CR").pk,
        "due": "2026-06-30",
    }
    data.update(extra)
    return data


def follow_up_data(**extra):
    data = {"date": timezone.localdate().isoformat(), "text": "Protocolo enviado", "status": ""}
    data.update(extra)
    return data


# --- Recording agreements --------------------------------------------------------------


def test_agreements_are_numbered_per_meeting(client, users, quorate_meeting, make_meeting):
    client.force_login(users["secretariat"])
    assert client.get(url("agreement_create", quorate_meeting.pk)).status_code == 200
    first = client.post(url("agreement_create", quorate_meeting.pk), agreement_data())
    second = client.post(
        url("agreement_create", quorate_meeting.pk),
        agreement_data(
            responsible_kind="organ", country="", organ=Organ.objects.get(code="presidency").pk
        ),
    )
    codes = list(Agreement.objects.filter(event=quorate_meeting).values_list("code", flat=True))
    assert codes == ["R12-2026-01", "R12-2026-02"]
    assert first["Location"] == url("agreement", Agreement.objects.get(code="R12-2026-01").pk)
    assert second.status_code == 302
    assert Agreement.objects.get(code="R12-2026-02").organ.code == "presidency"


def test_only_the_secretariat_records_agreements(client, users, quorate_meeting):
    for role in ("presidency", "focal_point", "observer"):
        client.force_login(users[role])
        assert client.get(url("agreement_create", quorate_meeting.pk)).status_code == 403
        response = client.post(url("agreement_create", quorate_meeting.pk), agreement_data())
        assert response.status_code == 403
    assert not Agreement.objects.exists()


def test_without_quorum_no_agreement_and_the_text_is_kept(client, users, meeting):
    client.force_login(users["secretariat"])
    response = client.get(url("agreement_create", meeting.pk))
    assert not response.context["has_quorum"]
    response = client.post(url("agreement_create", meeting.pk), agreement_data())
    assert response.status_code == 200
    form = response.context["form"]
    assert any("no quorum" in e for e in form.non_field_errors())
    assert form["text"].value() == "Compartir el protocolo nacional de atención"
    assert not Agreement.objects.exists()


def test_the_responsible_party_must_be_chosen(client, users, quorate_meeting):
    client.force_login(users["secretariat"])
    response = client.post(url("agreement_create", quorate_meeting.pk), agreement_data(country=""))
    assert response.status_code == 200
    assert response.context["form"].errors["country"] == ["Choose the responsible country."]
    assert not Agreement.objects.exists()


def test_a_refused_agreement_lists_a_missing_text_the_responsible_and_the_quorum_at_once(
    client, users, meeting
):
    client.force_login(users["secretariat"])
    response = client.post(
        url("agreement_create", meeting.pk), agreement_data(text="", country="", due="31/31/2026")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["text"] == ["This field is required."]
    assert form.errors["due"] == ["Enter a valid date."]
    assert form.errors["country"] == ["Choose the responsible country."]
    assert any("no quorum" in e for e in form.non_field_errors())
    html = response.content.decode()
    assert "Choose the responsible country." in html and "Enter a valid date." in html
    assert not Agreement.objects.exists()


def test_an_edited_agreement_lists_a_missing_text_and_responsible_at_once(client, users, agreement):
    client.force_login(users["secretariat"])
    response = client.post(
        url("agreement_edit", agreement.pk),
        agreement_data(text="", responsible_kind="organ", version=agreement.version),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["text"] == ["This field is required."]
    assert errors["organ"] == ["Choose the responsible organ."]
    agreement.refresh_from_db()
    assert agreement.text != ""


def test_the_decision_is_one_of_the_meetings(client, users, quorate_meeting, make_quorate_meeting):
    decision = record_decision(
        actor=users["secretariat"], event=quorate_meeting, text="Adoptar", method="consensus"
    )
    other = make_quorate_meeting(number=13, day="2026-09-15")
    foreign = record_decision(
        actor=users["secretariat"], event=other, text="Otra", method="consensus"
    )
    client.force_login(users["secretariat"])
    response = client.post(
        url("agreement_create", quorate_meeting.pk), agreement_data(decision=foreign.pk)
    )
    assert response.context["form"].errors["decision"]
    response = client.post(
        url("agreement_create", quorate_meeting.pk), agreement_data(decision=decision.pk)
    )
    assert Agreement.objects.get().decision == decision


def test_the_secretariat_edits_an_agreement_until_the_minutes_are_approved(
    client, users, agreement, approve_minutes_of
):
    client.force_login(users["focal_point"])
    assert client.get(url("agreement_edit", agreement.pk)).status_code == 403
    client.force_login(users["secretariat"])
    response = client.get(url("agreement_edit", agreement.pk))
    assert response.context["form"]["text"].value() == agreement.text
    assert f'name="version" value="{agreement.version}"' in response.content.decode()
    response = client.post(
        url("agreement_edit", agreement.pk),
        agreement_data(due="2026-12-31", text="Nuevo texto", version=agreement.version),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.due == datetime.date(2026, 12, 31)
    assert agreement.text == "Nuevo texto"
    # A second save from the page shown before the first one is refused.
    response = client.post(
        url("agreement_edit", agreement.pk),
        agreement_data(text="Texto viejo", version=agreement.version - 1),
    )
    assert response.status_code == 200
    assert "Someone else saved this in the meantime" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.text == "Nuevo texto"

    approve_minutes_of(agreement.event, day="2026-09-15")

    # The form is no longer offered: the link is gone and the page sends back with the reason.
    page = client.get(url("agreement", agreement.pk)).content.decode()
    assert url("agreement_edit", agreement.pk) not in page
    response = client.post(url("agreement_edit", agreement.pk), agreement_data(text="Otro"))
    assert response.status_code == 302
    assert response["Location"] == url("agreement", agreement.pk)
    assert any("what they record cannot change" in m for m in messages_of(response))
    agreement.refresh_from_db()
    assert agreement.text == "Nuevo texto"


# --- Follow-up -------------------------------------------------------------------------


def test_the_responsible_focal_point_reports_fulfilment_with_evidence(client, users, agreement):
    client.force_login(users["focal_point"])
    response = client.get(url("agreement", agreement.pk))
    form = response.context["form"]
    assert form is not None
    assert [value for value, _label in form.fields["status"].choices] == [
        "",
        "in_progress",
        "fulfilled",
    ]
    assert form.initial["date"] == timezone.localdate()

    evidence = [
        SimpleUploadedFile("acta-nacional.pdf", PDF_BYTES, content_type="application/pdf"),
        SimpleUploadedFile("notas.txt", b"Notas de la entrega", content_type="text/plain"),
    ]
    response = client.post(
        url("follow_up", agreement.pk), {**follow_up_data(status="fulfilled"), "evidence": evidence}
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.FULFILLED
    assert agreement.closed_on == timezone.localdate()
    entry = FollowUp.objects.get(agreement=agreement)
    assert entry.author == users["focal_point"]
    files = list(entry.attachments.order_by("original_name"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("acta-nacional.pdf", "application/pdf"),
        ("notas.txt", "text/plain"),
    ]
    page = client.get(url("agreement", agreement.pk)).content.decode()
    assert url("attachment", files[0].pk) in page
    assert "Protocolo enviado" in page


def test_another_countrys_focal_point_cannot_follow_up(client, users, agreement):
    client.force_login(users["focal_point_other"])
    response = client.get(url("agreement", agreement.pk))
    assert response.status_code == 200
    assert response.context["form"] is None
    response = client.post(url("follow_up", agreement.pk), follow_up_data(status="fulfilled"))
    assert response.status_code == 403
    assert not FollowUp.objects.exists()
    client.force_login(users["observer"])
    assert client.post(url("follow_up", agreement.pk), follow_up_data()).status_code == 403


def test_the_responsible_party_cannot_cancel_but_the_secretariat_can(client, users, agreement):
    client.force_login(users["focal_point"])
    response = client.post(url("follow_up", agreement.pk), follow_up_data(status="cancelled"))
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert not FollowUp.objects.exists()

    client.force_login(users["secretariat"])
    choices = client.get(url("agreement", agreement.pk)).context["form"].fields["status"].choices
    assert "cancelled" in [value for value, _label in choices]
    response = client.post(
        url("follow_up", agreement.pk), follow_up_data(status="cancelled", text="Sin objeto")
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CANCELLED

    # Closed: the responsible party may still write, but not change the status.
    client.force_login(users["focal_point"])
    choices = client.get(url("agreement", agreement.pk)).context["form"].fields["status"].choices
    assert [value for value, _label in choices] == [""]


def test_one_bad_file_saves_nothing_and_names_the_file(client, users, agreement):
    client.force_login(users["focal_point"])
    evidence = [
        SimpleUploadedFile("bueno.pdf", PDF_BYTES, content_type="application/pdf"),
        SimpleUploadedFile(
            "pagina.html", b"<html><script>x</script></html>", content_type="text/html"
        ),
    ]
    response = client.post(
        url("follow_up", agreement.pk),
        {**follow_up_data(status="in_progress", text="Avance parcial"), "evidence": evidence},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any("pagina.html" in e for e in form.errors["evidence"])
    assert form["text"].value() == "Avance parcial"
    assert response.context["files_lost"]
    assert not FollowUp.objects.exists()
    assert not Attachment.objects.exists()
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.PENDING


def test_a_follow_up_in_the_future_is_refused_with_its_message(client, users, agreement):
    client.force_login(users["focal_point"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url("follow_up", agreement.pk), follow_up_data(date=tomorrow.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "A follow-up entry cannot be dated in the future."
    ]
    assert not FollowUp.objects.exists()


def test_a_follow_up_shows_a_missing_text_and_a_wrong_date_at_once(client, users, agreement):
    client.force_login(users["focal_point"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        url("follow_up", agreement.pk), follow_up_data(date=tomorrow.isoformat(), text="")
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["text"] == ["This field is required."]
    assert errors["date"] == ["A follow-up entry cannot be dated in the future."]
    page = response.content.decode()
    assert "This field is required." in page
    assert "A follow-up entry cannot be dated in the future." in page
    assert not FollowUp.objects.exists()


# --- The list ---------------------------------------------------------------------------


@pytest.fixture
def several(agreement, quorate_meeting, users):
    """Overdue (CR, due June), pending due later (Presidency), fulfilled (GT),
    in a committee without due date."""
    later = create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Preparar el informe anual",
        responsible_kind="organ",
        organ=Organ.objects.get(code="presidency"),
        due=timezone.localdate() + datetime.timedelta(days=60),
    )
    done = create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Actualizar el directorio",
        responsible_kind="country",
        country=country("GT"),
        due=datetime.date(2026, 5, 1),
    )
    add_follow_up(
        actor=users["focal_point_other"],
        agreement=done,
        date=datetime.date(2026, 4, 20),
        text="Hecho",
        status="fulfilled",
    )
    committee = WorkingCommittee.objects.order_by("pk").first()
    undated = create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Proponer indicadores",
        responsible_kind="committee",
        committee=committee,
    )
    return {"overdue": agreement, "later": later, "done": done, "undated": undated}


def test_the_list_puts_overdue_agreements_first(client, users, several):
    client.force_login(users["focal_point"])
    response = client.get(url("agreements"))
    assert response.status_code == 200
    listed = response.context["agreements"]
    assert listed[0] == several["overdue"]
    assert set(listed) == set(several.values())
    page = response.content.decode()
    assert "Overdue" in page
    assert listed[listed.index(several["done"])].last_follow_up == datetime.date(2026, 4, 20)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "fulfilled"}, ["done"]),
        ({"responsible": "country:CR"}, ["overdue"]),
        ({"responsible": "organ:presidency"}, ["later"]),
        ({"overdue": "on"}, ["overdue"]),
    ],
)
def test_the_list_is_filtered(client, users, several, query, expected):
    client.force_login(users["focal_point"])
    listed = client.get(url("agreements"), query).context["agreements"]
    assert listed == [several[name] for name in expected]


def test_the_list_is_filtered_by_committee_and_meeting(
    client, users, several, make_quorate_meeting
):
    other = make_quorate_meeting(number=13, day="2026-09-15")
    elsewhere = create_agreement(
        actor=users["secretariat"],
        event=other,
        text="Otro acuerdo",
        responsible_kind="country",
        country=country("CR"),
    )
    assert elsewhere.code == "R13-2026-01"
    client.force_login(users["focal_point"])
    committee = several["undated"].committee
    listed = client.get(url("agreements"), {"responsible": f"committee:{committee.pk}"})
    assert listed.context["agreements"] == [several["undated"]]
    listed = client.get(url("agreements"), {"meeting": other.pk}).context["agreements"]
    assert listed == [elsewhere]


def test_an_unknown_filter_says_so_and_lists_everything(client, users, several):
    client.force_login(users["focal_point"])
    response = client.get(url("agreements"), {"responsible": "country:XX", "status": "lost"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(response.context["agreements"]) == 4
    assert "Some filters were not understood" in response.content.decode()


def test_observers_see_only_agreements_of_events_open_to_them(
    client, users, agreement, make_quorate_meeting
):
    open_meeting = make_quorate_meeting(number=14, day="2026-10-01", open_to_observers=True)
    visible = create_agreement(
        actor=users["secretariat"],
        event=open_meeting,
        text="Acuerdo abierto",
        responsible_kind="country",
        country=country("CR"),
    )
    client.force_login(users["observer"])
    assert client.get(url("agreements")).context["agreements"] == [visible]
    assert client.get(url("agreement", agreement.pk)).status_code == 403
    response = client.get(url("agreement", visible.pk))
    assert response.status_code == 200
    assert response.context["form"] is None


def test_the_list_issues_a_bounded_number_of_queries(
    client, users, several, quorate_meeting, django_assert_max_num_queries
):
    for number in range(10):
        created = create_agreement(
            actor=users["secretariat"],
            event=quorate_meeting,
            text=f"Acuerdo adicional {number}",
            responsible_kind="committee",
            committee=several["undated"].committee,
            due=datetime.date(2026, 7, 1),
        )
        add_follow_up(
            actor=users["secretariat"],
            agreement=created,
            date=datetime.date(2026, 7, 2),
            text="Seguimiento",
            by_secretariat=True,
        )
    client.force_login(users["focal_point"])
    client.get(url("agreements"))  # warm-up: session, roles
    # Session, user, roles (3), meetings, countries, organs, committees, agreements
    # counted and one page of them, last follow-ups, model permissions (2), plan of
    # the navigation.
    with django_assert_max_num_queries(15):
        response = client.get(url("agreements"))
    assert len(response.context["agreements"]) == 14


# --- Carry-over ---------------------------------------------------------------------------


def test_an_open_agreement_is_carried_to_the_next_meeting_and_fixed_at_agenda_approval(
    client, users, agreement, several, make_meeting, take_attendance
):
    next_meeting = make_meeting(number=13, day="2026-09-15")
    carried = selectors.carried_agreements(next_meeting)
    assert agreement in carried
    assert several["later"] in carried
    assert several["done"] not in carried  # fulfilled

    take_attendance(next_meeting)
    verify_quorum(actor=users["presidency"], event=next_meeting)
    approve_agenda(actor=users["presidency"], event=next_meeting)
    next_meeting.refresh_from_db()
    # Fixed: fulfilling it afterwards does not take it off the approved agenda.
    add_follow_up(
        actor=users["focal_point"],
        agreement=agreement,
        date=timezone.localdate(),
        text="Cumplido",
        status="fulfilled",
    )
    fixed = selectors.carried_agreements(next_meeting)
    assert agreement in fixed
    assert set(fixed) == {agreement, several["later"], several["undated"]}

    client.force_login(users["focal_point"])
    response = client.get(url("agreement", agreement.pk))
    assert response.context["carried_to"] == [next_meeting]
    assert next_meeting.get_absolute_url() in response.content.decode()


def test_a_later_meeting_is_never_called_missing(client, users, agreement, make_meeting):
    """Reproduced in issue 11: "carried over to: no later meeting yet"
    although later meetings existed (their agenda not approved yet)."""
    client.force_login(users["focal_point"])
    page = client.get(url("agreement", agreement.pk))
    assert "no later meeting yet" in page.content.decode()

    later = make_meeting(number=13, day="2026-09-15")
    page = client.get(url("agreement", agreement.pk))
    html = page.content.decode()
    assert "no later meeting yet" not in html
    assert page.context["carried_pending"] == [later]
    assert "To be carried over when the agenda is approved:" in html
    assert later.get_absolute_url() in html


def test_a_closed_agreement_says_it_was_not_carried_over(client, users, agreement, make_meeting):
    add_follow_up(
        actor=users["secretariat"],
        agreement=agreement,
        date=timezone.localdate(),
        text="Cumplido",
        status="fulfilled",
        by_secretariat=True,
    )
    make_meeting(number=13, day="2026-09-15")
    client.force_login(users["focal_point"])
    html = client.get(url("agreement", agreement.pk)).content.decode()
    assert "not carried over to a later meeting" in html
    assert "no later meeting yet" not in html


# --- What observers see -----------------------------------------------------------------


@pytest.fixture
def open_agreement(users, make_quorate_meeting):
    """An agreement of meeting 12, open to observers."""
    event = make_quorate_meeting(open_to_observers=True)
    return create_agreement(
        actor=users["secretariat"],
        event=event,
        text="Compartir el protocolo nacional",
        responsible_kind="country",
        country=country("CR"),
    )


def test_an_observer_is_told_only_of_the_meetings_it_may_see_the_agreement_carried_to(
    client, users, open_agreement, make_meeting, take_attendance
):
    closed = make_meeting(number=13, day="2026-06-10")
    opened = make_meeting(number=14, day="2026-09-15", open_to_observers=True)
    for later in (closed, opened):
        take_attendance(later)
        verify_quorum(actor=users["presidency"], event=later)
        approve_agenda(actor=users["presidency"], event=later)

    client.force_login(users["observer"])
    response = client.get(url("agreement", open_agreement.pk))
    assert response.context["carried_to"] == [opened]
    assert "Ordinary meeting 13" not in response.content.decode()

    client.force_login(users["focal_point"])
    response = client.get(url("agreement", open_agreement.pk))
    assert response.context["carried_to"] == [closed, opened]


def test_observers_read_the_follow_up_without_its_evidence_nor_who_wrote_it(
    client, users, open_agreement
):
    add_follow_up(
        actor=users["focal_point"],
        agreement=open_agreement,
        date=timezone.localdate(),
        text="Protocolo enviado",
        uploads=[(SimpleUploadedFile("acta-sintetica.pdf", PDF_BYTES), "application/pdf")],
    )
    evidence = Attachment.objects.get()

    client.force_login(users["observer"])
    html = client.get(url("agreement", open_agreement.pk)).content.decode()
    assert "Protocolo enviado" in html
    assert "acta-sintetica.pdf" not in html and url("attachment", evidence.pk) not in html
    assert not others_addresses(html, users["observer"])
    assert "Persona focal.cr" not in html and "a user of the Coalition" in html

    client.force_login(users["focal_point_other"])
    html = client.get(url("agreement", open_agreement.pk)).content.decode()
    assert "acta-sintetica.pdf" in html and url("attachment", evidence.pk) in html
    assert "Persona focal.cr" in html and not others_addresses(html, users["focal_point_other"])


def test_the_list_is_paginated_keeping_the_filters(client, users, quorate_meeting, monkeypatch):
    from coalicion.meetings.views import agreements as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for n in range(5):
        create_agreement(
            actor=users["secretariat"],
            event=quorate_meeting,
            text=f"Acuerdo paginado {n}",
            responsible_kind="country",
            country=country("CR"),
        )
    client.force_login(users["focal_point"])
    first = client.get(url("agreements"), {"status": "pending"}).content.decode()
    assert "5 agreements" in first and "Page 1 of 3" in first
    assert "status=pending&amp;page=2" in first
    last = client.get(url("agreements"), {"status": "pending", "page": 3}).content.decode()
    assert "R12-2026-05" in last and "R12-2026-01" not in last
