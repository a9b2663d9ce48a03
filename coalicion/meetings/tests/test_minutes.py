"""Minutes through their pages: the prefilled draft, edit (with optimistic
locking), circulation, comments of the member countries, approval at a
later meeting with quorum, the frozen state that no page, the admin nor a
bulk update can change, corrections as new linked documents, the stored PDF
and its hash, and the archive."""

import hashlib

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation

from coalicion.audit.models import AuditEvent
from coalicion.meetings.actions.agreements import create_agreement
from coalicion.meetings.actions.attendance import (
    record_attendance,
    record_observer_attendance,
)
from coalicion.meetings.actions.decisions import record_decision, record_objection, record_tally
from coalicion.meetings.actions.events import cancel_event
from coalicion.meetings.actions.minutes import (
    approve_minutes,
    circulate_minutes,
    comment_on_minutes,
    correct_minutes,
    draft_minutes,
    prefilled_minutes,
    save_minutes,
)
from coalicion.meetings.actions.reports import save_country_report
from coalicion.meetings.models import Attendance, Event, FrozenError, Minutes, MinutesComment
from coalicion.meetings.tests.helpers import country, messages_of, named_row, others_addresses, url
from coalicion.membership.models import Country, ObserverOrganisation


@pytest.fixture
def next_meeting(users, make_quorate_meeting):
    """Meeting 13, six months later, with quorum verified."""
    event = make_quorate_meeting(number=13, day="2026-09-15")
    return event


@pytest.fixture
def draft(quorate_meeting, users):
    return draft_minutes(actor=users["secretariat"], event=quorate_meeting)


@pytest.fixture
def circulated(draft, users):
    return circulate_minutes(actor=users["secretariat"], minutes=draft)


@pytest.fixture
def approved(circulated, next_meeting, users):
    return approve_minutes(actor=users["presidency"], minutes=circulated, at_event=next_meeting)


# --- Drafting ----------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    for address in (url("archive"), url("minutes", draft.pk), url("minutes_pdf", draft.pk)):
        response = client.get(address)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_only_the_secretariat_drafts_minutes(client, users, quorate_meeting):
    for role in ("presidency", "focal_point", "observer"):
        client.force_login(users[role])
        assert client.get(url("minutes_create", quorate_meeting.pk)).status_code == 403
        assert client.post(url("minutes_create", quorate_meeting.pk)).status_code == 403
    assert not Minutes.objects.exists()


def test_the_secretariat_previews_the_prefilled_text_then_creates_the_draft(
    client, users, quorate_meeting
):
    client.force_login(users["secretariat"])
    response = client.get(url("minutes_create", quorate_meeting.pk))
    assert response.status_code == 200
    assert "Reunión ordinaria 12".upper() in response.context["preview"]
    assert "Costa Rica" in response.context["preview"]
    assert not Minutes.objects.exists()

    response = client.post(url("minutes_create", quorate_meeting.pk))
    minutes = Minutes.objects.get(event=quorate_meeting)
    assert response.status_code == 302
    assert response["Location"] == url("minutes", minutes.pk)
    assert minutes.status == Minutes.Status.DRAFT
    assert "Costa Rica" in minutes.body

    # A second visit goes to the minutes instead of drafting them again.
    response = client.get(url("minutes_create", quorate_meeting.pk))
    assert response.status_code == 302
    assert response["Location"] == url("minutes", minutes.pk)


def test_only_meetings_have_minutes(client, users, make_meeting):
    seminar = make_meeting(kind=Event.Kind.SEMINAR, title="Seminario de prueba")
    client.force_login(users["secretariat"])
    assert client.get(url("minutes_create", seminar.pk)).status_code == 404
    assert client.post(url("minutes_create", seminar.pk)).status_code == 404


def test_a_cancelled_meeting_gets_no_minutes_and_says_why(client, users, make_meeting):
    event = make_meeting(number=20, day="2026-10-10")
    cancel_event(actor=users["presidency"], event=event, reason="Sin fondos")
    client.force_login(users["secretariat"])
    response = client.post(url("minutes_create", event.pk))
    assert response.status_code == 200
    assert "This event was cancelled." in messages_of(response)
    assert not Minutes.objects.exists()


def test_the_prefilled_text_has_every_section(quorate_meeting, make_meeting, users):
    make_meeting(number=11, day="2025-09-01")
    organisation = ObserverOrganisation.objects.create(
        name="Organización Observadora Ficticia", kind=ObserverOrganisation.Kind.NGO
    )
    record_observer_attendance(
        actor=users["secretariat"],
        event=quorate_meeting,
        organisation=organisation,
        present=True,
        people="Persona Observadora",
    )
    save_country_report(
        actor=users["focal_point"],
        event=quorate_meeting,
        country=country("CR"),
        summary="Nueva ley\nde protección aprobada.",
    )
    consensus = record_decision(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Aprobar el plan de trabajo",
        method="consensus",
    )
    record_objection(
        actor=users["secretariat"],
        decision=consensus,
        country=country("GT"),
        kind="dissent",
        text="Reserva sobre el plazo",
    )
    vote = record_decision(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Elegir la sede",
        method="vote",
        majority="simple",
    )
    present = dict.fromkeys(Country.objects.filter(code__in=["CR", "GT", "HN", "PA", "SV"]), "yes")
    present[country("SV")] = "abstain"
    record_tally(actor=users["secretariat"], decision=vote, choices=present)
    create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Compartir el protocolo",
        responsible_kind="country",
        country=country("CR"),
    )

    record_attendance(
        actor=users["secretariat"],
        event=quorate_meeting,
        rows=[named_row(country("CR"), "both", titular=users["focal_point"].person)],
    )

    text = prefilled_minutes(quorate_meeting)
    with translation.override("es"):  # the language of the Coalition's records
        both = str(Attendance.Status.BOTH.label)
        titular = translation.gettext("titular: %(name)s") % {"name": "Persona focal.cr"}
        dissent = translation.gettext(
            "Dissent of %(country)s (recorded; it does not block consensus)"
        ) % {"country": "Guatemala"}

    assert "REUNIÓN ORDINARIA 12" in text.splitlines()[0]
    assert "Tegucigalpa" in text
    assert f"- Costa Rica: {both} ({titular}; " in text  # both present, both named
    assert "Belice" in text or "Belize" in text  # every member country has its line
    assert "Organización Observadora Ficticia: Persona Observadora" in text
    assert "5" in text and "9" in text  # present of members
    for section in range(1, 10):
        assert f"\n{section}. " in "\n" + text
    assert "Reunión ordinaria 11" in text  # the previous minutes
    # Which countries presented, not what they said (reports are for members only).
    with translation.override("es"):
        presented = translation.gettext("Countries that presented their report:")
    assert f"{presented} Costa Rica." in text
    assert "Nueva ley" not in text and "protección aprobada" not in text
    assert "Aprobar el plan de trabajo" in text
    assert f"{dissent}: Reserva sobre el plazo" in text
    assert "Elegir la sede" in text
    assert "R12-2026-01: Compartir el protocolo" in text


# --- The lifecycle through the pages ------------------------------------------------------


def test_draft_edit_circulate_comment_approve_then_frozen(
    client, users, quorate_meeting, next_meeting, make_meeting
):
    secretariat, focal_point, presidency = (
        users["secretariat"],
        users["focal_point"],
        users["presidency"],
    )
    client.force_login(secretariat)
    client.post(url("minutes_create", quorate_meeting.pk))
    minutes = Minutes.objects.get(event=quorate_meeting)

    # Draft: only the Secretariat sees it; it edits the text.
    response = client.get(url("minutes", minutes.pk))
    assert response.context["edit_form"] is not None
    assert response.context["may_circulate"]
    response = client.post(
        url("minutes", minutes.pk), {"body": "ACTA\n\nTexto revisado.", "version": 1}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.body == "ACTA\n\nTexto revisado."
    assert minutes.version == 2

    client.force_login(focal_point)
    assert client.get(url("minutes", minutes.pk)).status_code == 403
    assert client.post(url("comment_minutes", minutes.pk), {"text": "Hola"}).status_code == 403

    # Circulated: members read and comment; observers still do not see it.
    client.force_login(secretariat)
    response = client.post(url("circulate_minutes", minutes.pk))
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.CIRCULATED

    client.force_login(users["observer"])
    assert client.get(url("minutes", minutes.pk)).status_code == 403

    client.force_login(focal_point)
    response = client.get(url("minutes", minutes.pk))
    assert response.status_code == 200
    assert response.context["edit_form"] is None
    assert response.context["comment_form"] is not None
    assert response.context["approve_form"] is None
    assert client.post(url("circulate_minutes", minutes.pk)).status_code == 403
    assert (
        client.post(url("minutes", minutes.pk), {"body": "Otro", "version": 3}).status_code == 403
    )
    response = client.post(url("comment_minutes", minutes.pk), {"text": "Corregir la hora."})
    assert response.status_code == 302
    comment = MinutesComment.objects.get(minutes=minutes)
    assert comment.author == focal_point
    assert comment.country == country("CR")
    response = client.get(url("minutes", minutes.pk))
    assert "Corregir la hora." in response.content.decode()
    assert "Costa Rica" in response.content.decode()

    # Approval by the Presidency, at the next meeting by default.
    client.force_login(presidency)
    response = client.get(url("minutes", minutes.pk))
    form = response.context["approve_form"]
    assert form.initial["at_event"] == next_meeting.pk
    response = client.post(url("approve_minutes", minutes.pk), {"at_event": next_meeting.pk})
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED
    assert minutes.approved_at_event == next_meeting
    with minutes.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == minutes.pdf_sha256

    page = client.get(url("minutes", minutes.pk)).content.decode()
    assert minutes.pdf_sha256 in page
    assert url("minutes_pdf", minutes.pk) in page

    # Frozen: no page changes it.
    frozen = (minutes.body, minutes.version, minutes.pdf_sha256)
    client.force_login(secretariat)
    response = client.get(url("minutes", minutes.pk))
    assert response.context["edit_form"] is None
    assert response.context["may_correct"]
    response = client.post(url("minutes", minutes.pk), {"body": "Cambio", "version": 3})
    assert response.status_code == 302
    assert any("frozen" in m for m in messages_of(response))
    response = client.post(url("circulate_minutes", minutes.pk))
    assert any("frozen" in m for m in messages_of(response))
    response = client.post(url("approve_minutes", minutes.pk), {"at_event": next_meeting.pk})
    assert messages_of(response)
    client.force_login(focal_point)
    response = client.post(url("comment_minutes", minutes.pk), {"text": "Tarde"})
    assert "Comments are taken while the minutes are circulated." in messages_of(response)
    minutes.refresh_from_db()
    assert (minutes.body, minutes.version, minutes.pdf_sha256) == frozen
    assert minutes.status == Minutes.Status.APPROVED
    assert MinutesComment.objects.filter(minutes=minutes).count() == 1

    # Nor a bulk update.
    with pytest.raises(FrozenError):
        Minutes.objects.filter(pk=minutes.pk).update(body="Cambio")

    # A correction is a new draft, linked both ways.
    client.force_login(secretariat)
    response = client.post(url("correct_minutes", minutes.pk))
    correction = Minutes.objects.get(corrects=minutes)
    assert response["Location"] == url("minutes", correction.pk)
    assert correction.status == Minutes.Status.DRAFT
    assert correction.body == minutes.body
    page = client.get(url("minutes", correction.pk)).content.decode()
    assert "This corrects the minutes approved on" in page
    assert url("minutes", minutes.pk) in page
    page = client.get(url("minutes", minutes.pk)).content.decode()
    assert url("minutes", correction.pk) in page
    # Asking twice goes to the correction in preparation.
    response = client.post(url("correct_minutes", minutes.pk))
    assert response["Location"] == url("minutes", correction.pk)
    assert Minutes.objects.filter(corrects=minutes).count() == 1


def test_the_admin_cannot_change_approved_minutes(client, users, approved):
    try:
        with translation.override("en"):
            address = reverse("admin:meetings_minutes_change", args=[approved.pk])
    except NoReverseMatch:
        pytest.skip("The minutes are not registered in the admin: nothing to change there.")
    MinutesComment.objects.create(minutes=approved, author=users["focal_point"], text="Antes")
    client.force_login(users["secretariat"])
    assert client.get(address).status_code == 200
    data = {
        "body": "Cambiado en la administración",
        "comments-TOTAL_FORMS": "1",
        "comments-INITIAL_FORMS": "1",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        "comments-0-id": str(approved.comments.get().pk),
        "comments-0-minutes": str(approved.pk),
        "_save": "Save",
    }
    try:
        response = client.post(address, data)
    except FrozenError:
        refused = True
    else:
        refused = response.status_code != 302
    assert refused
    stored = Minutes.objects.get(pk=approved.pk)
    assert stored.body == approved.body
    assert stored.version == approved.version


def test_a_stale_edit_keeps_the_typed_text_and_shows_the_saved_one(client, users, draft):
    save_minutes(actor=users["secretariat"], minutes=draft, body="Texto de otra persona", version=1)
    client.force_login(users["secretariat"])
    response = client.post(url("minutes", draft.pk), {"body": "Mi texto nuevo", "version": 1})
    assert response.status_code == 200
    form = response.context["edit_form"]
    assert form["body"].value() == "Mi texto nuevo"
    assert any("Someone else saved this" in e for e in form.non_field_errors())
    assert response.context["saved_body"] == "Texto de otra persona"
    draft.refresh_from_db()
    assert draft.body == "Texto de otra persona"
    # Having seen the saved text, the next save goes through.
    response = client.post(
        url("minutes", draft.pk), {"body": "Texto unido", "version": form["version"].value()}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Texto unido"


def test_an_empty_text_is_refused_and_nothing_is_saved(client, users, draft):
    client.force_login(users["secretariat"])
    response = client.post(url("minutes", draft.pk), {"body": "   ", "version": 1})
    assert response.status_code == 200
    assert response.context["edit_form"].errors
    draft.refresh_from_db()
    assert draft.version == 1


def test_members_cannot_edit_circulate_approve_or_correct(client, users, circulated, next_meeting):
    client.force_login(users["focal_point"])
    assert client.post(url("circulate_minutes", circulated.pk)).status_code == 403
    assert client.post(url("correct_minutes", circulated.pk)).status_code == 403
    response = client.post(url("approve_minutes", circulated.pk), {"at_event": next_meeting.pk})
    assert response.status_code == 403
    client.force_login(users["presidency"])
    assert client.post(url("correct_minutes", circulated.pk)).status_code == 403
    circulated.refresh_from_db()
    assert circulated.status == Minutes.Status.CIRCULATED


def test_approval_needs_quorum_at_the_chosen_meeting(client, users, circulated, make_meeting):
    without_quorum = make_meeting(number=13, day="2026-09-15")
    client.force_login(users["presidency"])
    response = client.post(url("approve_minutes", circulated.pk), {"at_event": without_quorum.pk})
    assert response.status_code == 200
    errors = response.context["approve_form"].non_field_errors()
    assert any("no quorum" in e for e in errors)
    circulated.refresh_from_db()
    assert circulated.status == Minutes.Status.CIRCULATED
    assert not circulated.pdf_sha256


def test_only_a_later_meeting_can_approve(client, users, circulated, make_meeting):
    earlier = make_meeting(number=11, day="2025-09-01")
    client.force_login(users["secretariat"])
    response = client.post(url("approve_minutes", circulated.pk), {"at_event": earlier.pk})
    assert response.status_code == 200
    assert response.context["approve_form"].errors["at_event"]
    circulated.refresh_from_db()
    assert circulated.status == Minutes.Status.CIRCULATED


def test_a_draft_cannot_be_approved(client, users, draft, next_meeting):
    client.force_login(users["presidency"])  # drafts are the Secretariat's alone
    response = client.post(url("approve_minutes", draft.pk), {"at_event": next_meeting.pk})
    assert response.status_code == 403
    client.force_login(users["secretariat"])
    response = client.post(url("approve_minutes", draft.pk), {"at_event": next_meeting.pk})
    assert response.status_code == 200
    assert any("circulated for comment before" in m for m in messages_of(response))
    draft.refresh_from_db()
    assert draft.status == Minutes.Status.DRAFT


# --- The PDF ---------------------------------------------------------------------------


def test_the_approved_pdf_is_served_as_stored_and_the_download_is_logged(client, users, approved):
    client.force_login(users["focal_point"])
    response = client.get(url("minutes_pdf", approved.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "draft" not in response["Content-Disposition"]
    content = b"".join(response.streaming_content)
    assert hashlib.sha256(content).hexdigest() == approved.pdf_sha256
    event = AuditEvent.objects.get(action=AuditEvent.Action.DOWNLOAD)
    assert event.user == users["focal_point"]
    assert event.detail == {"minutes": approved.pk, "draft": False}


def test_a_stored_pdf_that_no_longer_matches_its_hash_is_not_served(client, users, approved):
    with open(approved.pdf.path, "ab") as handle:
        handle.write(b"tampered")
    client.force_login(users["secretariat"])
    response = client.get(url("minutes_pdf", approved.pk))
    assert response.status_code == 409
    assert response["Content-Type"].startswith("text/html")
    assert "The stored file does not match its hash" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DOWNLOAD).exists()


def test_a_draft_pdf_is_made_on_the_fly_for_those_who_may_read_it(client, users, draft):
    client.force_login(users["focal_point"])
    assert client.get(url("minutes_pdf", draft.pk)).status_code == 403
    client.force_login(users["secretariat"])
    response = client.get(url("minutes_pdf", draft.pk))
    assert response.status_code == 200
    assert "-draft.pdf" in response["Content-Disposition"]  # in the page's language
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    draft.refresh_from_db()
    assert not draft.pdf


# --- The archive -------------------------------------------------------------------------


def test_the_archive_lists_approved_minutes_and_corrections_newest_first(
    client, users, approved, next_meeting, take_attendance, make_meeting
):
    correction = correct_minutes(actor=users["secretariat"], minutes=approved)
    correction = circulate_minutes(actor=users["secretariat"], minutes=correction)
    correction = approve_minutes(
        actor=users["secretariat"], minutes=correction, at_event=next_meeting
    )
    later = draft_minutes(actor=users["secretariat"], event=next_meeting)  # not approved
    client.force_login(users["focal_point"])
    response = client.get(url("archive"))
    assert response.status_code == 200
    listed = response.context["minutes_list"]
    assert listed == [correction, approved]
    assert later not in listed
    page = response.content.decode()
    assert approved.pdf_sha256 in page and correction.pdf_sha256 in page
    assert url("minutes_pdf", approved.pk) in page


def test_observers_see_only_the_minutes_of_events_open_to_them(
    client, users, approved, make_quorate_meeting
):
    open_meeting = make_quorate_meeting(number=14, day="2026-10-01", open_to_observers=True)
    later = make_quorate_meeting(number=15, day="2026-11-01")
    minutes = draft_minutes(actor=users["secretariat"], event=open_meeting)
    minutes = circulate_minutes(actor=users["secretariat"], minutes=minutes)
    minutes = approve_minutes(actor=users["secretariat"], minutes=minutes, at_event=later)

    client.force_login(users["observer"])
    response = client.get(url("archive"))
    assert response.context["minutes_list"] == [minutes]
    assert client.get(url("minutes", approved.pk)).status_code == 403
    assert client.get(url("minutes", minutes.pk)).status_code == 200
    assert client.get(url("minutes_pdf", minutes.pk)).status_code == 200


@pytest.fixture
def open_approved(next_meeting, users, make_quorate_meeting):
    """Minutes of meeting 11 (open to observers), commented by Costa Rica's
    focal point, approved at meeting 13 (closed to observers)."""
    event = make_quorate_meeting(number=11, day="2026-01-20", open_to_observers=True)
    minutes = draft_minutes(actor=users["secretariat"], event=event)
    minutes = circulate_minutes(actor=users["secretariat"], minutes=minutes)
    comment_on_minutes(
        actor=users["focal_point"],
        minutes=minutes,
        text="Comentario sintético.",
        country=country("CR"),
    )
    return approve_minutes(actor=users["presidency"], minutes=minutes, at_event=next_meeting)


def test_observers_are_not_told_which_closed_meeting_approved_open_minutes(
    client, users, open_approved
):
    client.force_login(users["observer"])
    archive = client.get(url("archive")).content.decode()
    detail = client.get(url("minutes", open_approved.pk)).content.decode()
    assert "Ordinary meeting 11" in archive
    for html in (archive, detail):
        assert "Ordinary meeting 13" not in html
    assert "Approved on" in detail

    client.force_login(users["focal_point"])
    for address in (url("archive"), url("minutes", open_approved.pk)):
        assert "Ordinary meeting 13" in client.get(address).content.decode()


def test_observers_read_the_comments_without_who_wrote_them(client, users, open_approved):
    client.force_login(users["observer"])
    html = client.get(url("minutes", open_approved.pk)).content.decode()
    assert "Comentario sintético." in html
    assert not others_addresses(html, users["observer"])
    assert "Persona focal.cr" not in html and "a user of the Coalition" in html

    client.force_login(users["focal_point_other"])
    html = client.get(url("minutes", open_approved.pk)).content.decode()
    assert "Persona focal.cr" in html and not others_addresses(html, users["focal_point_other"])


def test_a_correction_in_preparation_is_listed_only_for_the_secretariat(
    client, users, open_approved, next_meeting
):
    def listed(role) -> list[Minutes]:
        client.force_login(users[role])
        return client.get(url("minutes", open_approved.pk)).context["corrections"]

    correction = correct_minutes(actor=users["secretariat"], minutes=open_approved)
    assert listed("secretariat") == [correction]
    assert listed("focal_point") == [] and listed("observer") == []
    correction = circulate_minutes(actor=users["secretariat"], minutes=correction)
    assert listed("focal_point") == [] and listed("observer") == []
    html = client.get(url("minutes", open_approved.pk)).content.decode()
    assert "correction in preparation" not in html

    correction = approve_minutes(
        actor=users["secretariat"], minutes=correction, at_event=next_meeting
    )
    for role in ("secretariat", "focal_point", "observer"):
        assert listed(role) == [correction]


def test_the_archive_issues_a_bounded_number_of_queries(
    client, users, approved, next_meeting, django_assert_max_num_queries
):
    for _ in range(3):
        correction = correct_minutes(actor=users["secretariat"], minutes=approved)
        correction = circulate_minutes(actor=users["secretariat"], minutes=correction)
        approve_minutes(actor=users["secretariat"], minutes=correction, at_event=next_meeting)
    client.force_login(users["focal_point"])
    client.get(url("archive"))  # warm-up: session, roles
    with django_assert_max_num_queries(9):  # the documents counted, then one page read
        response = client.get(url("archive"))
    assert len(response.context["minutes_list"]) == 4


# --- The minutes state only what the records show (issue 11) -----------------------------

READ = "%(minutes)s (held on %(date)s): read and approved at this meeting."
AWAITING = "%(minutes)s: circulated on %(date)s, not approved at this meeting."
NONE_READ = "No minutes of the %(title)s (held on %(date)s) were circulated: none were read."


def reading_section(text: str) -> str:
    return text.rsplit("\n6. ", 1)[1].split("\n7. ", 1)[0]  # after the agenda's item 6


def in_records_language(message: str, **values) -> str:
    """A sentence of the pre-filled minutes as the template writes it."""
    with translation.override("es"):
        values = {
            k: formats.date_format(timezone.localtime(v), "DATE_FORMAT")
            if hasattr(v, "tzinfo")
            else str(v)
            for k, v in values.items()
        }
        return translation.gettext(message) % values


def test_no_minutes_are_said_to_be_read_when_none_were_circulated(quorate_meeting, make_meeting):
    """Reproduced in issue 11: the draft said the minutes of the previous
    meeting were read, though that meeting had no minutes at all."""
    previous = make_meeting(number=11, day="2025-09-01")

    section = reading_section(prefilled_minutes(quorate_meeting))

    expected = in_records_language(NONE_READ, title=previous.title, date=previous.start)
    _heading, *said = section.strip().splitlines()
    assert said == [expected]  # and nothing said to have been read


def test_minutes_approved_at_the_meeting_are_said_read_and_approved(
    circulated, next_meeting, users
):
    approve_minutes(actor=users["presidency"], minutes=circulated, at_event=next_meeting)
    circulated.refresh_from_db()

    section = reading_section(prefilled_minutes(next_meeting))

    with translation.override("es"):
        title = str(circulated)
    assert in_records_language(READ, minutes=title, date=circulated.event.start) in section


def test_circulated_minutes_not_approved_are_said_to_await_approval(circulated, next_meeting):
    section = reading_section(prefilled_minutes(next_meeting))

    with translation.override("es"):
        title = str(circulated)
    assert in_records_language(AWAITING, minutes=title, date=circulated.circulated_at) in section
    assert in_records_language(READ, minutes=title, date=circulated.event.start) not in section
