"""The actions of the meetings module, called directly: the rules that hold
whoever writes (quorum before decisions, frozen minutes, numbering, one vote
per present country, status only through follow-up)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from coalicion.meetings import selectors
from coalicion.meetings.actions.agenda import add_agenda_item, approve_agenda, remove_agenda_item
from coalicion.meetings.actions.agreements import add_follow_up, create_agreement, update_agreement
from coalicion.meetings.actions.attendance import (
    add_representative,
    record_attendance,
    verify_quorum,
)
from coalicion.meetings.actions.decisions import (
    record_decision,
    record_objection,
    record_tally,
    withdraw_objection,
)
from coalicion.meetings.actions.events import cancel_event, update_event
from coalicion.meetings.actions.minutes import (
    approve_minutes,
    circulate_minutes,
    comment_on_minutes,
    correct_minutes,
    draft_minutes,
    save_minutes,
)
from coalicion.meetings.models import (
    AgendaItem,
    Agreement,
    Event,
    FrozenError,
    Minutes,
    QuorumCheck,
)
from coalicion.meetings.tests.helpers import country, named_row
from coalicion.membership.models import Country, Organ, Person, Representation
from coalicion.plans.models import Activity

from .conftest import at


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_meeting_starts_with_its_fixed_agenda_items(meeting):
    kinds = [item.kind for item in selectors.agenda(meeting)]
    assert kinds[:3] == [
        AgendaItem.Kind.QUORUM,
        AgendaItem.Kind.AGENDA,
        AgendaItem.Kind.PREVIOUS_MINUTES,
    ]
    assert AgendaItem.Kind.AGREEMENTS in kinds


def test_a_seminar_has_no_fixed_items_and_no_number(make_meeting):
    seminar = make_meeting(kind=Event.Kind.SEMINAR, title="Seminario regional")
    assert seminar.number is None
    assert not seminar.agenda_items.exists()


def test_meeting_numbers_are_unique_per_kind(make_meeting):
    make_meeting(number=12)
    with pytest.raises(ValidationError) as error:
        make_meeting(number=12, day="2026-04-01")
    assert "number" in error.value.message_dict
    make_meeting(number=12, day="2026-04-01", kind=Event.Kind.EXTRAORDINARY)


def test_an_ordinary_meeting_needs_a_number(make_meeting):
    with pytest.raises(ValidationError):
        make_meeting(number=None)


def test_quorum_is_verified_from_the_register_and_recorded(meeting, take_attendance, users):
    take_attendance(meeting, present=("CR", "GT", "HN", "PA"))
    check = verify_quorum(actor=users["presidency"], event=meeting)
    assert (check.present, check.members, check.required, check.has_quorum) == (4, 9, 5, False)
    take_attendance(meeting, present=("CR", "GT", "HN", "PA"), SV="alternate")
    check = verify_quorum(actor=users["presidency"], event=meeting)
    assert (check.present, check.has_quorum) == (5, True)
    assert sorted(check.present_countries) == ["CR", "GT", "HN", "PA", "SV"]
    assert QuorumCheck.objects.filter(event=meeting).count() == 2  # both kept, with the time


def test_excused_and_absent_do_not_count_and_both_counts_once(meeting, take_attendance, users):
    take_attendance(meeting, present=("CR", "GT", "HN"), PA="both", SV="excused")
    check = verify_quorum(actor=users["presidency"], event=meeting)
    assert check.present == 4


def test_a_country_that_joined_later_is_not_a_member_of_an_earlier_meeting(meeting, users):
    Country.objects.filter(code="BZ").update(member_since=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError):
        record_attendance(
            actor=users["secretariat"],
            event=meeting,
            rows=[named_row(country("BZ"), "titular")],
        )
    rows = [
        named_row(c, "titular" if c.code in ("CR", "GT", "HN", "PA") else "absent")
        for c in selectors.member_countries(meeting.local_date)
    ]
    record_attendance(actor=users["secretariat"], event=meeting, rows=rows)
    check = verify_quorum(actor=users["presidency"], event=meeting)
    # 8 members that day: 4 present is half, not more than half
    assert (check.present, check.members, check.has_quorum) == (4, 8, False)


def test_the_quorum_rule_is_configuration(meeting, take_attendance, users, settings):
    settings.MEETINGS_QUORUM_RULE = "two_thirds"
    take_attendance(meeting)
    check = verify_quorum(actor=users["presidency"], event=meeting)
    assert (check.rule, check.required, check.has_quorum) == ("two_thirds", 6, False)


def test_without_quorum_no_decision_and_no_agreement(meeting, take_attendance, users):
    take_attendance(meeting, present=("CR", "GT"))
    verify_quorum(actor=users["presidency"], event=meeting)
    with pytest.raises(ValidationError) as error:
        record_decision(
            actor=users["secretariat"], event=meeting, text="Aprobar", method="consensus"
        )
    assert error.value.code == "no_quorum"
    with pytest.raises(ValidationError):
        create_agreement(
            actor=users["secretariat"],
            event=meeting,
            text="Enviar informe",
            responsible_kind="country",
            country=country("CR"),
        )
    # attendance and minutes are still recorded
    assert draft_minutes(actor=users["secretariat"], event=meeting).pk


def test_consensus_is_adopted_unless_a_country_objects(quorate_meeting, users):
    decision = record_decision(
        actor=users["secretariat"], event=quorate_meeting, text="Aprobar", method="consensus"
    )
    assert decision.adopted is True
    record_objection(
        actor=users["secretariat"], decision=decision, country=country("GT"), kind="dissent"
    )
    decision.refresh_from_db()
    assert decision.adopted is True
    objection = record_objection(
        actor=users["secretariat"], decision=decision, country=country("CR"), kind="objection"
    )
    decision.refresh_from_db()
    assert decision.adopted is False
    withdraw_objection(actor=users["secretariat"], objection=objection)
    decision.refresh_from_db()
    assert decision.adopted is True


def test_an_absent_country_cannot_object(quorate_meeting, users):
    decision = record_decision(
        actor=users["secretariat"], event=quorate_meeting, text="Aprobar", method="consensus"
    )
    with pytest.raises(ValidationError):
        record_objection(
            actor=users["secretariat"], decision=decision, country=country("MX"), kind="objection"
        )


def vote(decision, users, reason="", **choices):
    return record_tally(
        actor=users["secretariat"],
        decision=decision,
        choices={country(code): choice for code, choice in choices.items()},
        reason=reason,
    )


def test_a_vote_counts_one_vote_per_present_country_and_a_recount_is_kept(quorate_meeting, users):
    decision = record_decision(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Reformar el reglamento",
        method="vote",
        majority="two_thirds",
    )
    assert decision.adopted is None
    first = vote(decision, users, CR="yes", GT="yes", HN="yes", PA="no", SV="no")
    assert (first.yes, first.no, first.abstain, first.adopted) == (3, 2, 0, False)
    with pytest.raises(ValidationError):  # a recount needs a reason
        vote(decision, users, CR="yes", GT="yes", HN="yes", PA="yes", SV="no")
    second = vote(
        decision, users, reason="Error de registro", CR="yes", GT="yes", HN="yes", PA="yes", SV="no"
    )
    decision.refresh_from_db()
    assert (second.number, second.adopted, decision.adopted) == (2, True, True)
    assert decision.official_tally == second
    assert decision.tallies.count() == 2  # the first stays visible


def test_every_present_country_votes_and_only_they(quorate_meeting, users):
    decision = record_decision(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="X",
        method="vote",
        majority="simple",
    )
    with pytest.raises(ValidationError):
        vote(decision, users, CR="yes", GT="yes", HN="yes", PA="no")  # SV missing
    with pytest.raises(ValidationError):
        vote(decision, users, CR="yes", GT="yes", HN="yes", PA="no", SV="no", MX="yes")
    assert not decision.tallies.exists()


def test_agreements_are_numbered_per_meeting(quorate_meeting, users, make_quorate_meeting):
    first = create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Enviar informe",
        responsible_kind="country",
        country=country("CR"),
        due=datetime.date(2026, 5, 1),
    )
    second = create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Preparar la estrategia",
        responsible_kind="organ",
        organ=Organ.objects.get(code="presidency"),
    )
    assert (first.code, second.code) == ("R12-2026-01", "R12-2026-02")
    extraordinary = make_quorate_meeting(number=3, day="2026-04-02", kind=Event.Kind.EXTRAORDINARY)
    third = create_agreement(
        actor=users["secretariat"],
        event=extraordinary,
        text="X",
        responsible_kind="country",
        country=country("GT"),
    )
    assert third.code == "RE3-2026-01"


def test_an_agreement_needs_its_responsible(quorate_meeting, users):
    with pytest.raises(ValidationError) as error:
        create_agreement(
            actor=users["secretariat"], event=quorate_meeting, text="X", responsible_kind="organ"
        )
    assert "organ" in error.value.message_dict


def test_status_changes_only_through_follow_up_and_is_known_on_past_dates(agreement, users):
    add_follow_up(
        actor=users["focal_point"],
        agreement=agreement,
        date=datetime.date(2026, 4, 1),
        text="Borrador enviado",
        status="in_progress",
    )
    add_follow_up(
        actor=users["focal_point"],
        agreement=agreement,
        date=datetime.date(2026, 7, 15),
        text="Protocolo compartido",
        status="fulfilled",
    )
    agreement.refresh_from_db()
    assert agreement.status == "fulfilled"
    assert agreement.closed_on == datetime.date(2026, 7, 15)
    assert not agreement.is_overdue(datetime.date(2026, 8, 1))
    history = selectors.agreements_with_history().get(pk=agreement.pk)
    assert selectors.status_on(history, datetime.date(2026, 3, 1)) is None  # before the meeting
    assert selectors.status_on(history, datetime.date(2026, 3, 20)) == "pending"
    assert selectors.status_on(history, datetime.date(2026, 5, 1)) == "in_progress"
    assert selectors.status_on(history, datetime.date(2026, 7, 15)) == "fulfilled"


def test_the_responsible_party_cannot_cancel(agreement, users):
    with pytest.raises(ValidationError):
        add_follow_up(
            actor=users["focal_point"],
            agreement=agreement,
            date=datetime.date(2026, 4, 1),
            text="No procede",
            status="cancelled",
        )
    add_follow_up(
        actor=users["secretariat"],
        agreement=agreement,
        date=datetime.date(2026, 4, 1),
        text="Cancelado por el pleno",
        status="cancelled",
        by_secretariat=True,
    )
    agreement.refresh_from_db()
    assert agreement.status == "cancelled"


def test_overdue_is_derived_from_the_due_date(agreement):
    assert agreement.is_overdue(datetime.date(2026, 7, 1))
    assert not agreement.is_overdue(datetime.date(2026, 6, 30))


def test_open_agreements_are_carried_to_the_next_agenda_and_fixed_at_approval(
    agreement, users, make_meeting, take_attendance
):
    fulfilled = create_agreement(
        actor=users["secretariat"],
        event=agreement.event,
        text="Ya cumplido",
        responsible_kind="country",
        country=country("GT"),
    )
    add_follow_up(
        actor=users["secretariat"],
        agreement=fulfilled,
        date=datetime.date(2026, 3, 11),
        text="Hecho",
        status="fulfilled",
        by_secretariat=True,
    )
    next_meeting = make_meeting(number=13, day="2026-09-15")
    assert selectors.carried_agreements(next_meeting) == [agreement]
    take_attendance(next_meeting)
    verify_quorum(actor=users["presidency"], event=next_meeting)
    approve_agenda(actor=users["presidency"], event=next_meeting)
    next_meeting.refresh_from_db()
    add_follow_up(
        actor=users["focal_point"],
        agreement=agreement,
        date=datetime.date(2026, 9, 20),
        text="Cumplido",
        status="fulfilled",
    )
    assert selectors.carried_agreements(next_meeting) == [agreement]  # as approved
    assert list(selectors.open_agreements_before(next_meeting)) == []


def test_the_approved_agenda_cannot_change(quorate_meeting, users):
    approve_agenda(actor=users["presidency"], event=quorate_meeting)
    with pytest.raises(ValidationError):
        add_agenda_item(actor=users["presidency"], event=quorate_meeting, title="Otro")


def test_the_agenda_is_not_approved_without_quorum(meeting, users):
    with pytest.raises(ValidationError):
        approve_agenda(actor=users["presidency"], event=meeting)


def test_a_new_representative_enters_the_directory(meeting, users):
    person = add_representative(
        actor=users["secretariat"],
        event=meeting,
        country=country("CR"),
        role="alternate",
        given_name="Persona",
        family_name="Suplente Nueva",
    )
    representation = Representation.objects.get(person=person)
    assert (representation.country.code, representation.role, representation.start) == (
        "CR",
        "alternate",
        datetime.date(2026, 3, 10),
    )
    assert Person.objects.filter(country__code="CR", family_name="Suplente Nueva").exists()


# --- Minutes lifecycle -------------------------------------------------------------


@pytest.fixture
def approved_minutes(quorate_meeting, users, make_quorate_meeting):
    minutes = draft_minutes(actor=users["secretariat"], event=quorate_meeting)
    minutes = circulate_minutes(actor=users["secretariat"], minutes=minutes)
    comment_on_minutes(
        actor=users["focal_point"], minutes=minutes, text="Corregir la hora.", country=country("CR")
    )
    next_meeting = make_quorate_meeting(number=13, day="2026-09-15")
    return approve_minutes(actor=users["presidency"], minutes=minutes, at_event=next_meeting)


def test_the_draft_is_prefilled_from_the_records(quorate_meeting, users):
    record_decision(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Aprobar el informe",
        method="consensus",
    )
    minutes = draft_minutes(actor=users["secretariat"], event=quorate_meeting)
    assert "Aprobar el informe" in minutes.body
    assert "Costa Rica" in minutes.body


def test_approved_minutes_are_frozen_with_their_pdf_hash(approved_minutes):
    import hashlib

    approved_minutes.refresh_from_db()
    assert approved_minutes.status == Minutes.Status.APPROVED
    with approved_minutes.pdf.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == approved_minutes.pdf_sha256


def test_frozen_minutes_cannot_change_by_any_path(approved_minutes, users):
    with pytest.raises(ValidationError):
        save_minutes(
            actor=users["secretariat"],
            minutes=approved_minutes,
            body="Otro texto",
            version=approved_minutes.version,
        )
    with pytest.raises(ValidationError):
        comment_on_minutes(actor=users["focal_point"], minutes=approved_minutes, text="x")
    approved_minutes.body = "Otro texto"
    with pytest.raises(FrozenError):
        approved_minutes.save()
    with pytest.raises(FrozenError):
        Minutes.objects.filter(pk=approved_minutes.pk).update(body="Otro texto")
    with pytest.raises(FrozenError):
        Minutes.objects.filter(pk=approved_minutes.pk).delete()
    with pytest.raises(FrozenError):
        approved_minutes.delete()
    assert Minutes.objects.get(pk=approved_minutes.pk).body != "Otro texto"


def test_what_approved_minutes_record_cannot_change(approved_minutes, users, take_attendance):
    event = approved_minutes.event
    with pytest.raises(ValidationError):
        take_attendance(event)
    with pytest.raises(ValidationError):
        record_decision(actor=users["secretariat"], event=event, text="X", method="consensus")


def test_a_correction_is_a_new_linked_document(approved_minutes, users):
    correction = correct_minutes(actor=users["secretariat"], minutes=approved_minutes)
    assert correction.corrects == approved_minutes
    assert correction.status == Minutes.Status.DRAFT
    assert correction.event == approved_minutes.event
    save_minutes(actor=users["secretariat"], minutes=correction, body="Texto corregido", version=1)


def test_minutes_are_approved_at_a_later_meeting_with_quorum(quorate_meeting, users, make_meeting):
    minutes = draft_minutes(actor=users["secretariat"], event=quorate_meeting)
    with pytest.raises(ValidationError):  # not circulated yet
        approve_minutes(actor=users["presidency"], minutes=minutes, at_event=quorate_meeting)
    minutes = circulate_minutes(actor=users["secretariat"], minutes=minutes)
    with pytest.raises(ValidationError):  # not a later meeting
        approve_minutes(actor=users["presidency"], minutes=minutes, at_event=quorate_meeting)
    without_quorum = make_meeting(number=13, day="2026-09-15")
    with pytest.raises(ValidationError):
        approve_minutes(actor=users["presidency"], minutes=minutes, at_event=without_quorum)


def test_a_stale_edit_of_the_minutes_is_refused(quorate_meeting, users):
    minutes = draft_minutes(actor=users["secretariat"], event=quorate_meeting)
    save_minutes(actor=users["secretariat"], minutes=minutes, body="Uno", version=1)
    with pytest.raises(ValidationError) as error:
        save_minutes(actor=users["secretariat"], minutes=minutes, body="Dos", version=1)
    assert error.value.code == "stale"


def test_a_cancelled_event_refuses_attendance(make_meeting, users, take_attendance):
    event = make_meeting(start=at("2026-10-01"), end=at("2026-10-01", 17))
    cancel_event(actor=users["presidency"], event=event, reason="Emergencia")
    with pytest.raises(ValidationError):
        take_attendance(event)


def test_notices_are_queued_for_members(meeting, users):
    from coalicion.notifications.models import Notification

    recipients = set(
        Notification.objects.filter(
            params__event=meeting.pk, kind="meetings.convocation"
        ).values_list("email", flat=True)
    )
    assert "focal.cr@test.invalid" in recipients
    assert "observer@test.invalid" not in recipients  # the meeting is not open to observers


def test_agreements_list_puts_overdue_first(agreement, users, quorate_meeting):
    later = create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Sin plazo",
        responsible_kind="country",
        country=country("GT"),
    )
    soon = create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Con plazo futuro",
        responsible_kind="country",
        country=country("GT"),
        due=datetime.date(2026, 12, 31),
    )
    listed = selectors.agreement_list(user=users["observer"], today=datetime.date(2026, 7, 1))
    assert list(listed) == []  # the meeting is not open to observers
    listed = selectors.agreement_list(user=users["focal_point"], today=datetime.date(2026, 7, 1))
    assert list(listed) == [agreement, soon, later]
    assert list(
        selectors.agreement_list(
            user=users["focal_point"], overdue=True, today=datetime.date(2026, 7, 1)
        )
    ) == [agreement]
    assert Agreement.objects.count() == 3


# --- What approved minutes record is frozen, whatever the path ----------------------


def test_the_records_of_approved_minutes_are_frozen_in_the_models(approved_minutes, users):
    from coalicion.meetings.models import Attendance, Decision

    event = approved_minutes.event
    attendance = Attendance.objects.get(event=event, country__code="CR")
    attendance.status = "absent"
    with pytest.raises(FrozenError):
        attendance.save()
    with pytest.raises(FrozenError):
        attendance.delete()
    with pytest.raises(FrozenError):
        Attendance.objects.filter(event=event).update(status="absent")
    with pytest.raises(FrozenError):
        Attendance.objects.filter(event=event).delete()
    with pytest.raises(FrozenError):
        Attendance.objects.create(event=event, country=country("BZ"), status="titular")
    event.refresh_from_db()
    event.number = 21
    with pytest.raises(FrozenError):
        event.save()
    event.refresh_from_db()
    event.open_to_observers = True  # may still be opened to observers
    event.save()
    decision = Decision.objects.filter(event=event).first()
    if decision is not None:
        decision.text = "Otro"
        with pytest.raises(FrozenError):
            decision.save()


def test_frozen_agreements_change_status_but_not_text(quorate_meeting, users, make_quorate_meeting):
    agreement = create_agreement(
        actor=users["secretariat"],
        event=quorate_meeting,
        text="Compartir el protocolo",
        responsible_kind="country",
        country=country("CR"),
    )
    minutes = circulate_minutes(
        actor=users["secretariat"],
        minutes=draft_minutes(actor=users["secretariat"], event=quorate_meeting),
    )
    later = make_quorate_meeting(number=13, day="2026-09-15")
    approve_minutes(actor=users["presidency"], minutes=minutes, at_event=later)
    add_follow_up(
        actor=users["focal_point"],
        agreement=agreement,
        date=datetime.date(2026, 9, 20),
        text="Cumplido",
        status="fulfilled",
    )
    agreement.refresh_from_db()
    assert agreement.status == "fulfilled"
    with pytest.raises(ValidationError):
        update_agreement(
            actor=users["secretariat"],
            agreement=agreement,
            text="Otro",
            responsible_kind="country",
            country=country("GT"),
        )
    agreement.text = "Otro"
    with pytest.raises(FrozenError):
        agreement.save()
    with pytest.raises(FrozenError):
        agreement.delete()


def test_a_frozen_meeting_and_its_agenda_cannot_be_edited(approved_minutes, users):
    event = approved_minutes.event
    with pytest.raises(ValidationError):
        update_event(actor=users["presidency"], event=event, version=event.version, number=21)
    with pytest.raises(ValidationError):
        add_agenda_item(actor=users["presidency"], event=event, title="Tarde")


def test_the_admin_shows_frozen_records_read_only(approved_minutes, users, client):
    from coalicion.meetings.models import Attendance

    attendance = Attendance.objects.get(event=approved_minutes.event, country__code="CR")
    client.force_login(users["secretariat"])
    with translation.override("en"):
        from django.urls import reverse

        change = reverse("admin:meetings_attendance_change", args=[attendance.pk])
        delete = reverse("admin:meetings_attendance_delete", args=[attendance.pk])
    assert client.post(change, {"status": "absent"}).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    attendance.refresh_from_db()
    assert attendance.status != "absent"


def test_a_meeting_with_agreements_keeps_its_number_and_year(agreement, users):
    event = agreement.event
    with pytest.raises(ValidationError) as error:
        update_event(actor=users["presidency"], event=event, version=event.version, number=14)
    assert "number" in error.value.message_dict
    with pytest.raises(ValidationError):
        update_event(
            actor=users["presidency"],
            event=event,
            version=event.version,
            start=at("2025-03-10"),
            end=at("2025-03-10", 17),
        )
    update_event(
        actor=users["presidency"], event=event, version=event.version, venue="Sala de prueba"
    )


def test_the_fixed_items_stay_on_the_agenda(meeting, users):
    for item in meeting.agenda_items.all():
        with pytest.raises(ValidationError):
            remove_agenda_item(actor=users["presidency"], item=item)


def test_a_change_of_status_cannot_be_dated_before_the_last_one(agreement, users):
    add_follow_up(
        actor=users["secretariat"],
        agreement=agreement,
        date=datetime.date(2026, 5, 1),
        text="Cumplido",
        status="fulfilled",
        by_secretariat=True,
    )
    with pytest.raises(ValidationError) as error:
        add_follow_up(
            actor=users["secretariat"],
            agreement=agreement,
            date=datetime.date(2026, 4, 1),
            text="En curso",
            status="in_progress",
            by_secretariat=True,
        )
    assert "date" in error.value.message_dict
    add_follow_up(  # an entry without a change of status may be dated back
        actor=users["secretariat"], agreement=agreement, date=datetime.date(2026, 4, 1), text="Nota"
    )
    agreement.refresh_from_db()
    assert (agreement.status, agreement.closed_on) == ("fulfilled", datetime.date(2026, 5, 1))


def test_a_frozen_meeting_may_still_be_opened_to_observers(approved_minutes, users):
    event = approved_minutes.event
    update_event(
        actor=users["presidency"],
        event=event,
        version=event.version,
        open_to_observers=True,
        title_en="Ordinary meeting 12 (English)",
    )
    event.refresh_from_db()
    assert event.open_to_observers
    with pytest.raises(ValidationError) as error:
        update_event(actor=users["presidency"], event=event, version=event.version, city="X")
    assert error.value.code == "frozen"


def test_the_year_of_a_late_evening_meeting_is_its_local_year(make_meeting, take_attendance, users):
    event = make_meeting(
        number=30, day="2025-12-31", start=at("2025-12-31", 19), end=at("2025-12-31", 21)
    )
    take_attendance(event)
    verify_quorum(actor=users["presidency"], event=event)
    agreement = create_agreement(
        actor=users["secretariat"],
        event=event,
        text="X",
        responsible_kind="country",
        country=country("CR"),
    )
    assert agreement.code == "R30-2025-01"
    event.refresh_from_db()
    update_event(actor=users["presidency"], event=event, version=event.version, venue="Sala B")


def test_a_frozen_meetings_rows_and_links_cannot_move(approved_minutes, users, make_meeting):
    from coalicion.meetings.models import AgendaItem

    event = approved_minutes.event
    item = AgendaItem.objects.filter(event=event).first()
    item.event = approved_minutes.approved_at_event
    with pytest.raises(FrozenError):
        item.save()
    with pytest.raises(FrozenError), transaction.atomic():
        event.carried_agreements.clear()
    with pytest.raises(FrozenError), transaction.atomic():
        event.activities.add(Activity.objects.first())


def test_a_country_cannot_be_a_member_with_a_last_day(terms):
    cr = terms["CR"]
    cr.member_until = datetime.date(2026, 1, 1)
    with pytest.raises(ValidationError):
        cr.full_clean()
    cr.is_member = False
    cr.full_clean()


def test_no_register_before_the_day_of_the_event(make_meeting, take_attendance):
    future = make_meeting(number=30, day="2099-03-10")
    with pytest.raises(ValidationError) as error:
        take_attendance(future)
    assert error.value.code == "not_started"


def test_a_country_that_is_no_longer_a_member_does_not_vote(quorate_meeting, users):
    Country.objects.filter(code="SV").update(is_member=False)
    assert "SV" not in [c.code for c in selectors.present_countries(quorate_meeting)]


def test_quorum_without_member_countries_is_a_clear_error(meeting, take_attendance, users):
    take_attendance(meeting)
    Country.objects.update(member_since=datetime.date(2099, 1, 1))
    with pytest.raises(ValidationError) as error:
        verify_quorum(actor=users["presidency"], event=meeting)
    assert error.value.code == "no_members"


def test_a_new_titular_can_end_the_previous_one(meeting, users):
    previous = Representation.objects.get(person__user=users["focal_point"])
    add_representative(
        actor=users["secretariat"],
        event=meeting,
        country=country("CR"),
        role="titular",
        given_name="Persona",
        family_name="Titular Nueva",
        end_previous=True,
    )
    previous.refresh_from_db()
    assert previous.end == datetime.date(2026, 3, 9)


def test_two_senders_never_send_the_same_notice(meeting, mailoutbox):
    from django.utils import timezone

    from coalicion.notifications.models import Notification
    from coalicion.notifications.sending import send_pending

    of_meeting = Notification.objects.filter(params__event=meeting.pk)
    first = of_meeting.first()
    Notification.objects.filter(pk=first.pk).update(claimed_at=timezone.now())  # another sender
    sent, _failed = send_pending()
    assert first.email not in [m.to[0] for m in mailoutbox]
    assert sent == of_meeting.count() - 1
    assert send_pending() == (0, 0)
