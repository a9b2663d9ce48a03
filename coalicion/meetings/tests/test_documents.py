"""The printable agenda and minutes (coalicion.meetings.documents)."""

import datetime
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from coalicion.core.tests.files import PDF_BYTES
from coalicion.meetings import documents
from coalicion.meetings.actions.agenda import add_agenda_item, approve_agenda
from coalicion.meetings.actions.agreements import create_agreement
from coalicion.meetings.actions.attendance import verify_quorum
from coalicion.meetings.actions.common import attach_file
from coalicion.meetings.actions.decisions import record_decision, record_objection, record_tally
from coalicion.meetings.actions.minutes import (
    approve_minutes,
    circulate_minutes,
    correct_minutes,
    draft_minutes,
    save_minutes,
)
from coalicion.meetings.models import Decision, Event, Minutes

pytestmark = pytest.mark.django_db

MARKUP = "#set page(width: 1cm) *x* $y$"
A4_MEDIA_BOX = b"/MediaBox[0 0 595.2756 841.8898]"
BODY = "Primer párrafo del acta,\nen dos líneas.\n\nSegundo párrafo: " + MARKUP


@pytest.fixture(autouse=True)
def plain_prefill(monkeypatch) -> None:
    # The documents print the body as it is; the pre-filled text is another module's concern.
    monkeypatch.setattr(
        "coalicion.meetings.actions.minutes.prefilled_minutes", lambda event: "Texto inicial."
    )


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str] | None:
    """The text of each page with all whitespace removed, or None without pdftotext."""
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        return None
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    result = subprocess.run(  # noqa: S603 (fixed arguments)
        [pdftotext, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    pages = result.stdout.decode("utf-8").split("\f")
    return ["".join(page.split()) for page in pages if page.strip()]


def pdf_text(pdf: bytes, tmp_path: Path) -> str | None:
    pages = pdf_pages(pdf, tmp_path)
    return None if pages is None else "".join(pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def reader(users):
    """A member: the agenda's live content as members see it."""
    return users["focal_point"]


@pytest.fixture
def held_meeting(quorate_meeting: Event, users, terms) -> Event:
    """Meeting 12 with items, attendance, quorum, a consensus decision with a
    dissent, a voted decision with a recount and an agreement."""
    secretariat = users["secretariat"]
    item = add_agenda_item(
        actor=users["presidency"],
        event=quorate_meeting,
        title="Plan de trabajo " + MARKUP,
        presenter="Persona Presentadora",
        duration_minutes=45,
    )
    add_agenda_item(
        actor=users["presidency"], event=quorate_meeting, title="Varios", duration_minutes=30
    )
    attach_file(
        actor=secretariat,
        uploaded=SimpleUploadedFile("programa-sintetico.pdf", PDF_BYTES),
        content_type="application/pdf",
        agenda_item=item,
    )
    consensus = record_decision(
        actor=secretariat,
        event=quorate_meeting,
        text="Aprobar el plan de trabajo.",
        method="consensus",
    )
    record_objection(
        actor=secretariat,
        decision=consensus,
        country=terms["GT"],
        kind="dissent",
        text="Disenso sintético.",
    )
    vote = record_decision(
        actor=secretariat,
        event=quorate_meeting,
        text="Cambiar la sede del encuentro.",
        method=Decision.Method.VOTE,
        majority=Decision.Majority.SIMPLE,
    )
    codes = ("CR", "GT", "HN", "PA", "SV")
    first = dict(zip(codes, ("yes", "yes", "no", "no", "abstain"), strict=True))
    second = dict(zip(codes, ("yes", "yes", "yes", "no", "abstain"), strict=True))
    record_tally(actor=secretariat, decision=vote, choices={terms[c]: v for c, v in first.items()})
    record_tally(
        actor=secretariat,
        decision=vote,
        choices={terms[c]: v for c, v in second.items()},
        reason="Recuento solicitado",
    )
    create_agreement(
        actor=secretariat,
        event=quorate_meeting,
        text="Enviar el informe regional.",
        responsible_kind="country",
        country=terms["CR"],
        due=datetime.date(2026, 5, 31),
    )
    return quorate_meeting


@pytest.fixture
def minutes(held_meeting: Event, users) -> Minutes:
    draft = draft_minutes(actor=users["secretariat"], event=held_meeting)
    return save_minutes(actor=users["secretariat"], minutes=draft, body=BODY, version=draft.version)


@pytest.fixture
def meeting13(minutes, users, make_quorate_meeting):
    """The next meeting, with quorum, once the minutes of meeting 12 are circulated."""
    circulate_minutes(actor=users["secretariat"], minutes=minutes)
    event = make_quorate_meeting(13, "2026-06-10")
    return event


def test_agenda_pdf_lists_the_items_with_their_total_duration(
    reader, held_meeting: Event, tmp_path: Path
) -> None:
    with translation.override("en"):
        pdf = documents.agenda_pdf(held_meeting, user=reader)

    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert "RegionalCoalitionagainstTraffickinginPersons" in text
        assert "Ordinarymeeting12" in text
        assert "Draftagenda" in text
        assert "PersonaPresentadora" in text
        assert "programa-sintetico.pdf" in text
        assert "Verificationofquorum" in text  # an automatic item, in the active language
        assert "Totalduration" in text
        assert "1h15min" in text


def test_agenda_pdf_carries_the_live_content_of_the_automatic_items(
    reader, meeting13: Event, make_meeting, users, tmp_path: Path
) -> None:
    make_meeting(
        None,
        "2026-04-20",
        kind=Event.Kind.REPRESENTATION,
        title="Representación en foro sintético",
        title_en="Representation at a synthetic forum",
    )

    with translation.override("en"):
        data = documents.agenda_data(meeting13, user=reader)
        pdf = documents.agenda_pdf(meeting13, user=reader)

    items = {item["title"]: item for item in data["items"]}
    with translation.override("en"):
        circulated = documents._date(Minutes.objects.get().circulated_at)
    previous = items["Reading and approval of the previous minutes"]
    assert previous["lines"] == [f"Minutes of Ordinary meeting 12 (circulated on {circulated})"]
    assert items["Reports of the Presidency on its representations"]["lines"] == [
        "Representation at a synthetic forum — 20 April 2026 — Tegucigalpa, Honduras"
    ]
    carried = items["Follow-up of pending agreements"]["agreements"]
    assert [(a["code"], a["responsible"], a["due"], a["status"]) for a in carried] == [
        ("R12-2026-01", "Costa Rica", "31 May 2026", "Pending")
    ]
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert "MinutesofOrdinarymeeting12" in text
        assert "R12-2026-01" in text
        assert "Enviarelinformeregional." in text


def test_an_observers_agenda_leaves_out_what_observers_may_not_see(
    make_meeting, users, make_quorate_meeting
):
    closed = make_quorate_meeting(11, "2025-11-10")
    create_agreement(
        actor=users["secretariat"],
        event=closed,
        text="Acuerdo reservado sintético.",
        responsible_kind="country",
        country=closed.country,
    )
    make_meeting(
        None,
        "2026-01-20",
        kind=Event.Kind.REPRESENTATION,
        title="Misión reservada sintética",
        title_en="Synthetic reserved mission",
        convene=False,
    )
    current = make_meeting(12, "2026-03-10", open_to_observers=True)

    def shown(user) -> str:
        with translation.override("en"):
            data = documents.agenda_data(current, user=user)
        return repr(data)

    for_observer, for_member = shown(users["observer"]), shown(users["focal_point"])
    assert "Acuerdo reservado sintético." not in for_observer
    assert "Synthetic reserved mission" not in for_observer
    assert "Ordinary meeting 11" not in for_observer  # the closed previous meeting
    # ... which the observer's copy does not deny existed (issue 11)
    assert "There is no previous meeting." not in for_observer
    assert "the previous meeting is not open to observers" in for_observer
    assert "Acuerdo reservado sintético." in for_member
    assert "Synthetic reserved mission" in for_member


def test_agenda_pdf_says_when_the_agenda_was_approved(reader, held_meeting: Event, users) -> None:
    approve_agenda(actor=users["presidency"], event=held_meeting)
    held_meeting.refresh_from_db()

    with translation.override("en"):
        data = documents.agenda_data(held_meeting, user=reader)

    assert data["status"].startswith("Agenda approved on ")
    assert data["approved"] is True


def test_minutes_pdf_records_register_quorum_decisions_and_agreements(
    minutes: Minutes, tmp_path: Path
) -> None:
    with translation.override("en"):
        data = documents.minutes_data(minutes)
        pdf = documents.minutes_pdf(minutes)

    assert data["title"] == "Minutes of Ordinary meeting 12"
    assert data["draft"] is True
    assert data["body"] == [
        ["Primer párrafo del acta,", "en dos líneas."],
        ["Segundo párrafo: " + MARKUP],
    ]
    register = {row[0]: row[1] for row in data["register"]}
    assert len(register) == 9
    assert register["Costa Rica"] == "Principal representative present"
    assert register["Belize"] == "Absent"
    assert dict(data["quorum"])["Member countries present"] == "5 / 9"
    assert dict(data["quorum"])["Verdict"] == "Quorum"
    consensus, vote = data["decisions"]
    assert dict([consensus["outcome"]]) == {"Result": "Adopted"}
    assert [row[0] for row in consensus["objections"]] == ["Guatemala"]
    assert vote["tallies"] == [
        ["Count 1 (superseded by a recount)", "2", "2", "1", "Not adopted", ""],
        ["Count 2 (official)", "3", "1", "1", "Adopted", "Recuento solicitado"],
    ]
    assert [a["code"] for a in data["agreements"]] == ["R12-2026-01"]
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert "Attendanceregister" in text
        assert "Disensosintético." in text
        assert "Count2(official)" in text
        assert "R12-2026-01" in text
        assert "Enviarelinformeregional." in text


def test_the_same_records_give_the_same_bytes(reader, minutes: Minutes) -> None:
    assert documents.minutes_pdf(minutes) == documents.minutes_pdf(minutes)
    assert documents.agenda_pdf(minutes.event, user=reader) == documents.agenda_pdf(
        minutes.event, user=reader
    )


def test_draft_minutes_carry_the_draft_mark_on_every_page(
    minutes: Minutes, users, tmp_path: Path
) -> None:
    long_body = "\n\n".join(f"Párrafo {n} del acta sintética." for n in range(120))
    minutes = save_minutes(
        actor=users["secretariat"], minutes=minutes, body=long_body, version=minutes.version
    )

    with translation.override("en"):
        pdf = documents.minutes_pdf(minutes)

    pages = pdf_pages(pdf, tmp_path)
    if pages is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert len(pages) > 1
    assert all("DRAFT—notapproved" in page for page in pages)


def test_approved_minutes_have_no_draft_mark_and_say_when_they_were_approved(
    minutes: Minutes, meeting13: Event, users, tmp_path: Path
) -> None:
    with translation.override("en"):
        approved = approve_minutes(
            actor=users["presidency"], minutes=Minutes.objects.get(), at_event=meeting13
        )
        data = documents.minutes_data(approved)
        pdf = documents.minutes_pdf(approved)

    assert data["draft"] is False
    with translation.override("en"):
        approved_on = documents._date(approved.approved_at)
    assert data["approval"] == f"Approved on {approved_on} at Ordinary meeting 13"
    text = pdf_text(pdf, tmp_path)
    if text is not None:
        assert "DRAFT" not in text
        assert squeeze(data["approval"]) in text


def test_approval_is_read_from_the_object_passed_in(minutes: Minutes, meeting13: Event) -> None:
    # As in approve_minutes: the PDF is made before the approval is saved.
    minutes.refresh_from_db()
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = meeting13.start
    minutes.approved_at_event = meeting13

    data = documents.minutes_data(minutes)

    assert data["draft"] is False
    assert data["approval"]
    assert Minutes.objects.get().status == Minutes.Status.CIRCULATED


def test_minutes_open_to_observers_do_not_name_a_closed_approving_meeting(
    make_meeting, take_attendance, users
) -> None:
    open_meeting = make_meeting(11, "2026-01-20", open_to_observers=True)
    closed = make_meeting(13, "2026-06-10")
    for event in (open_meeting, closed):
        take_attendance(event)
        verify_quorum(actor=users["presidency"], event=event)
    minutes = draft_minutes(actor=users["secretariat"], event=open_meeting)
    minutes = circulate_minutes(actor=users["secretariat"], minutes=minutes)
    # The stored PDF is the same for every reader, observers included.
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = closed.start
    minutes.approved_at_event = closed

    with translation.override("en"):
        data = documents.minutes_data(minutes)
        approved_on = documents._date(closed.start)

    assert data["approval"] == f"Approved on {approved_on}"


def test_approve_minutes_stores_the_pdf_with_its_hash(
    minutes: Minutes, meeting13: Event, users
) -> None:
    approved = approve_minutes(
        actor=users["presidency"], minutes=Minutes.objects.get(), at_event=meeting13
    )

    stored = Minutes.objects.get()
    with stored.pdf.open("rb") as handle:
        content = handle.read()
    assert hashlib.sha256(content).hexdigest() == stored.pdf_sha256 == approved.pdf_sha256
    # Made again later from what was stored, in the records' language (the
    # frozen copy's, whatever the approver's): the same bytes.
    with translation.override(settings.LANGUAGE_CODE):
        assert documents.minutes_pdf(stored) == content


def test_a_correction_is_titled_as_such(minutes: Minutes, meeting13: Event, users) -> None:
    approved = approve_minutes(
        actor=users["presidency"], minutes=Minutes.objects.get(), at_event=meeting13
    )
    correction = correct_minutes(actor=users["secretariat"], minutes=approved)

    with translation.override("en"):
        data = documents.minutes_data(correction)

    assert data["title"] == "Correction of the minutes of Ordinary meeting 12"
    assert data["corrects"].startswith("This document corrects the minutes approved on ")
    assert data["draft"] is True


def test_labels_and_dates_follow_the_active_language(minutes: Minutes) -> None:
    with translation.override("en"):
        english = documents.minutes_data(minutes)
    with translation.override("es"):
        spanish = documents.minutes_data(minutes)

    assert english["lang"] == "en"
    assert spanish["lang"] == "es"
    assert english["event"]["title"] == "Ordinary meeting 12"
    assert spanish["event"]["title"] == "Reunión ordinaria 12"
    assert english["labels"]["register"] == "Attendance register"
    assert english["labels"].keys() == spanish["labels"].keys()
    english_when = dict(english["event"]["facts"])["Date and time"]
    spanish_when = [value for _label, value in spanish["event"]["facts"] if "2026" in value]
    assert english_when.startswith("10 March 2026")
    assert spanish_when[0].startswith("10 de marzo de 2026")
    with translation.override("es"):
        assert documents.minutes_pdf(minutes).startswith(b"%PDF-")


def test_user_text_with_typst_markup_is_printed_literally(
    reader, minutes: Minutes, tmp_path: Path
) -> None:
    minutes_pdf = documents.minutes_pdf(minutes)
    agenda_pdf = documents.agenda_pdf(minutes.event, user=reader)

    for pdf in (minutes_pdf, agenda_pdf):
        # `#set page(width: 1cm)` in the data changed no page.
        assert pdf.count(b"/MediaBox") == pdf.count(A4_MEDIA_BOX)
        text = pdf_text(pdf, tmp_path)
        if text is not None:
            assert squeeze(MARKUP) in text


def test_a_virtual_meeting_gives_the_address_of_its_room(reader, make_meeting) -> None:
    event = make_meeting(
        14,
        "2026-09-01",
        country=None,
        city="",
        is_virtual=True,
        virtual_url="https://meet.test.invalid/sala",
        organiser="Secretaría Técnica",
    )

    with translation.override("en"):
        facts = dict(documents.agenda_data(event, user=reader)["event"]["facts"])

    assert facts["Virtual room"] == "https://meet.test.invalid/sala"
    assert facts["Organiser"] == "Secretaría Técnica"
    assert "Place" not in facts
