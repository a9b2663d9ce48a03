"""Decisions of a meeting: refused without quorum; by consensus (an
objection blocks, a dissent is recorded) or by vote (one vote per present
member country, recounts kept beside the first count, the last official)."""

import pytest

from coalicion.meetings.actions.attendance import verify_quorum
from coalicion.meetings.actions.decisions import record_decision, record_objection, record_tally
from coalicion.meetings.models import Ballot, Decision, Objection, Tally
from coalicion.meetings.tests.helpers import messages_of, others_addresses, url

pytestmark = pytest.mark.django_db

PRESENT = ("CR", "GT", "HN", "PA", "SV")  # quorate_meeting: five of nine


def decide(users, event, method="consensus", majority="", text="Aprobar el plan de prueba."):
    return record_decision(
        actor=users["secretariat"], event=event, text=text, method=method, majority=majority
    )


def votes(*choices, reason="") -> dict:
    """POST data of a count: the choices in the order of PRESENT."""
    data = {f"vote_{code}": choice for code, choice in zip(PRESENT, choices, strict=False)}
    data["reason"] = reason
    return data


# --- Recording a decision -----------------------------------------------------------------------


def test_a_decision_is_refused_without_quorum_and_the_input_is_kept(
    client, users, meeting, take_attendance
):
    take_attendance(meeting, present=("CR", "GT", "HN", "PA"))
    verify_quorum(actor=users["presidency"], event=meeting)
    client.force_login(users["secretariat"])
    assert (
        "has no verified quorum" in client.get(url("decision_create", meeting.pk)).content.decode()
    )

    response = client.post(
        url("decision_create", meeting.pk),
        {"text": "Texto de prueba que no se pierde.", "method": "consensus", "majority": ""},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The meeting has no quorum" in html
    assert "Texto de prueba que no se pierde." in html
    assert not Decision.objects.exists()


def test_the_secretariat_records_a_decision_by_consensus(client, users, quorate_meeting):
    item = quorate_meeting.agenda_items.first()
    client.force_login(users["secretariat"])

    response = client.post(
        url("decision_create", quorate_meeting.pk),
        {"text": "Aprobar el informe.", "method": "consensus", "agenda_item": item.pk},
    )

    decision = Decision.objects.get()
    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    assert "Decision 1 was recorded." in messages_of(response)
    assert decision.adopted is True and decision.agenda_item == item and decision.majority == ""


def test_a_vote_needs_its_majority(client, users, quorate_meeting):
    client.force_login(users["secretariat"])
    response = client.post(
        url("decision_create", quorate_meeting.pk), {"text": "Votar.", "method": "vote"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["majority"] == ["Choose the majority the vote needs."]
    assert not Decision.objects.exists()


@pytest.mark.parametrize("role", ["focal_point", "presidency", "observer"])
def test_only_the_secretariat_records_decisions(client, users, quorate_meeting, role):
    client.force_login(users[role])
    response = client.post(
        url("decision_create", quorate_meeting.pk), {"text": "Texto.", "method": "consensus"}
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


# --- Consensus ----------------------------------------------------------------------------------


def test_an_objection_blocks_the_consensus(client, users, quorate_meeting, terms):
    decision = decide(users, quorate_meeting)
    client.force_login(users["secretariat"])

    response = client.post(
        url("objection", decision.pk),
        {"country": "CR", "kind": "objection", "text": "Costa Rica no está de acuerdo."},
    )

    assert response.status_code == 302
    assert messages_of(response) == [
        "The objection of Costa Rica was recorded: Decision 1 is not adopted."
    ]
    decision.refresh_from_db()
    assert decision.adopted is False
    page = client.get(url("decision", decision.pk)).content.decode()
    assert "Not adopted" in page and "Costa Rica no está de acuerdo." in page
    assert "1 objection blocks the consensus." in page


def test_a_dissent_is_recorded_and_the_decision_stays_adopted(client, users, quorate_meeting):
    decision = decide(users, quorate_meeting)
    client.force_login(users["secretariat"])

    response = client.post(
        url("objection", decision.pk),
        {"country": "GT", "kind": "dissent", "text": "Guatemala deja constancia."},
    )

    assert messages_of(response) == [
        "The dissent of Guatemala was recorded: Decision 1 remains adopted."
    ]
    decision.refresh_from_db()
    assert decision.adopted is True
    assert Objection.objects.get().kind == "dissent"
    page = client.get(url("decision", decision.pk)).content.decode()
    assert "Guatemala deja constancia." in page and "Adopted" in page


def test_withdrawing_the_only_objection_adopts_the_decision(client, users, quorate_meeting, terms):
    decision = decide(users, quorate_meeting)
    objection = record_objection(
        actor=users["secretariat"], decision=decision, country=terms["HN"], kind="objection"
    )
    client.force_login(users["secretariat"])

    response = client.post(url("withdraw_objection", objection.pk))

    assert response.status_code == 302 and response["Location"] == decision.get_absolute_url()
    assert not Objection.objects.exists()
    decision.refresh_from_db()
    assert decision.adopted is True


def test_only_present_countries_may_object(client, users, quorate_meeting):
    decision = decide(users, quorate_meeting)
    client.force_login(users["secretariat"])
    form = client.get(url("decision", decision.pk)).context["objection_form"]
    assert {code for code, _label in form.fields["country"].choices if code} == set(PRESENT)

    response = client.post(url("objection", decision.pk), {"country": "BZ", "kind": "objection"})

    assert response.status_code == 200
    assert response.context["objection_form"].errors["country"]
    assert not Objection.objects.exists()


def test_a_focal_point_cannot_record_an_objection(client, users, quorate_meeting, terms):
    decision = decide(users, quorate_meeting)
    objection = record_objection(
        actor=users["secretariat"], decision=decision, country=terms["HN"], kind="dissent"
    )
    client.force_login(users["focal_point"])
    page = client.get(url("decision", decision.pk))
    assert page.status_code == 200 and page.context["objection_form"] is None
    assert (
        client.post(
            url("objection", decision.pk), {"country": "CR", "kind": "objection"}
        ).status_code
        == 403
    )
    assert client.post(url("withdraw_objection", objection.pk)).status_code == 403
    assert Objection.objects.count() == 1


# --- Votes --------------------------------------------------------------------------------------


def test_three_yes_two_no_by_simple_majority_is_adopted(client, users, quorate_meeting):
    decision = decide(users, quorate_meeting, method="vote", majority="simple")
    client.force_login(users["secretariat"])
    page = client.get(url("decision", decision.pk))
    assert "Pending tally" in page.content.decode()
    fields = page.context["vote_form"].country_fields()
    assert {country.code for country, _field in fields} == set(PRESENT)

    response = client.post(url("tally", decision.pk), votes("yes", "yes", "yes", "no", "no"))

    assert response.status_code == 302
    assert messages_of(response) == [
        "Votes counted: yes 3, no 2, abstentions 0. Decision 1 is adopted."
    ]
    tally = Tally.objects.get()
    assert (tally.yes, tally.no, tally.abstain, tally.members) == (3, 2, 0, 9)
    assert tally.adopted and tally.number == 1 and tally.counted_by == users["secretariat"]
    assert dict(Ballot.objects.values_list("country__code", "choice")) == {
        "CR": "yes",
        "GT": "yes",
        "HN": "yes",
        "PA": "no",
        "SV": "no",
    }
    decision.refresh_from_db()
    assert decision.adopted is True
    html = client.get(url("decision", decision.pk)).content.decode()
    assert "First count" in html and "yes: 3, no: 2, abstentions: 0; yes votes needed: 3." in html
    assert "more yes votes than no votes" in html
    assert "The last count is official" in html


def test_a_recount_needs_a_reason_is_kept_beside_the_first_and_becomes_official(
    client, users, quorate_meeting
):
    decision = decide(users, quorate_meeting, method="vote", majority="simple")
    client.force_login(users["secretariat"])
    client.post(url("tally", decision.pk), votes("yes", "yes", "yes", "no", "no"))

    refused = client.post(url("tally", decision.pk), votes("yes", "no", "no", "no", "abstain"))
    assert refused.status_code == 200
    assert "Say why the votes are counted again (recount)." in refused.content.decode()
    assert Tally.objects.count() == 1

    response = client.post(
        url("tally", decision.pk),
        votes("yes", "no", "no", "no", "abstain", reason="Error en el registro de Panamá"),
    )

    assert response.status_code == 302
    first, second = Tally.objects.order_by("number")
    assert first.adopted and (first.yes, first.no) == (3, 2)
    assert second.number == 2 and not second.adopted and (second.yes, second.no) == (1, 3)
    assert second.reason == "Error en el registro de Panamá"
    decision.refresh_from_db()
    assert decision.adopted is False
    page = client.get(url("decision", decision.pk))
    tallies = page.context["tallies"]
    assert [t.number for t in tallies] == [1, 2] and page.context["official"] == second
    html = page.content.decode()
    assert "First count" in html and "Recount 2" in html
    assert "Error en el registro de Panamá" in html and "official" in html


def test_missing_a_present_countrys_vote_saves_nothing(client, users, quorate_meeting):
    decision = decide(users, quorate_meeting, method="vote", majority="simple")
    client.force_login(users["secretariat"])

    response = client.post(url("tally", decision.pk), votes("yes", "yes", "yes", "no"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Record the vote of El Salvador: yes, no or abstain." in html
    assert response.context["vote_form"]["vote_CR"].value() == "yes"  # the input is kept
    assert not Tally.objects.exists() and not Ballot.objects.exists()
    decision.refresh_from_db()
    assert decision.adopted is None


def test_a_vote_for_an_absent_country_is_ignored_and_only_present_countries_vote(
    client, users, quorate_meeting
):
    decision = decide(users, quorate_meeting, method="vote", majority="absolute")
    client.force_login(users["secretariat"])
    data = votes("yes", "yes", "yes", "yes", "no") | {"vote_BZ": "yes"}

    client.post(url("tally", decision.pk), data)

    tally = Tally.objects.get()
    assert (tally.yes, tally.no) == (4, 1) and not tally.adopted  # 5 of 9 needed
    assert not Ballot.objects.filter(country__code="BZ").exists()
    html = client.get(url("decision", decision.pk)).content.decode()
    assert "yes: 4, no: 1, abstentions: 0; yes votes needed: 5." in html


@pytest.mark.parametrize("role", ["focal_point", "presidency"])
def test_only_the_secretariat_counts_votes(client, users, quorate_meeting, role):
    decision = decide(users, quorate_meeting, method="vote", majority="simple")
    client.force_login(users[role])
    page = client.get(url("decision", decision.pk))
    assert page.status_code == 200 and page.context["vote_form"] is None
    response = client.post(url("tally", decision.pk), votes("yes", "yes", "yes", "no", "no"))
    assert response.status_code == 403
    assert not Tally.objects.exists()


def test_an_observer_does_not_see_the_decisions_of_a_meeting_closed_to_observers(
    client, users, quorate_meeting
):
    decision = decide(users, quorate_meeting)
    client.force_login(users["observer"])
    assert client.get(url("decision", decision.pk)).status_code == 403


def test_objections_and_votes_do_not_mix(client, users, quorate_meeting):
    consensus = decide(users, quorate_meeting)
    vote = decide(users, quorate_meeting, method="vote", majority="simple")
    client.force_login(users["secretariat"])

    counted = client.post(url("tally", consensus.pk), votes("yes", "yes", "yes", "yes", "yes"))
    objected = client.post(url("objection", vote.pk), {"country": "CR", "kind": "objection"})

    assert any("there is no vote to count" in m for m in messages_of(counted))
    assert any("Objections apply to decisions by consensus" in m for m in messages_of(objected))
    assert not Tally.objects.exists() and not Objection.objects.exists()


# --- What observers see; frozen records -----------------------------------------------------------


def test_an_observer_is_told_who_recorded_and_counted_without_names_nor_addresses(
    client, users, terms, make_quorate_meeting
):
    event = make_quorate_meeting(open_to_observers=True)
    decision = decide(users, event, method="vote", majority="simple")
    choices = {terms[code]: "yes" for code in PRESENT}
    record_tally(actor=users["secretariat"], decision=decision, choices=choices)

    client.force_login(users["observer"])
    html = client.get(url("decision", decision.pk)).content.decode()
    assert not others_addresses(html, users["observer"])
    assert "Persona secretariat" not in html
    assert html.count("a user of the Coalition") == 2  # recorded by, counted by

    client.force_login(users["focal_point"])
    html = client.get(url("decision", decision.pk)).content.decode()
    assert not others_addresses(html, users["focal_point"])
    assert html.count("Persona secretariat") == 2  # members read the directory: the name


def test_once_the_minutes_are_approved_the_decisions_cannot_be_recorded_nor_changed(
    client, users, quorate_meeting, terms, approve_minutes_of
):
    consensus = decide(users, quorate_meeting)
    vote = decide(users, quorate_meeting, method="vote", majority="simple")
    approve_minutes_of(quorate_meeting)
    client.force_login(users["secretariat"])

    for decision in (consensus, vote):
        page = client.get(url("decision", decision.pk))
        assert page.context["objection_form"] is None and page.context["vote_form"] is None
        assert "what they record cannot change" in page.content.decode()
    event_page = client.get(url("event", quorate_meeting.pk)).content.decode()
    assert url("decision_create", quorate_meeting.pk) not in event_page
    assert "Edit what can still change" in event_page  # only observers, title, description

    refused = [
        client.get(url("decision_create", quorate_meeting.pk)),
        client.post(url("objection", consensus.pk), {"country": "CR", "kind": "objection"}),
        client.post(url("tally", vote.pk), votes("yes", "yes", "yes", "no", "no")),
    ]
    for response in refused:
        assert response.status_code == 302
        assert any("what they record cannot change" in m for m in messages_of(response))
    assert not Tally.objects.exists() and not Objection.objects.exists()


# --- Queries ------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["vote", "consensus"])
def test_the_decision_page_takes_a_bounded_number_of_queries(
    client, users, quorate_meeting, terms, method, django_assert_max_num_queries
):
    decision = decide(users, quorate_meeting, method=method, majority="simple" * (method == "vote"))
    choices = {terms[code]: "yes" for code in PRESENT}
    if method == "vote":  # a first count, so that its ballots are read too
        record_tally(actor=users["secretariat"], decision=decision, choices=choices)
    client.force_login(users["secretariat"])
    client.get(url("decision", decision.pk))
    with django_assert_max_num_queries(25) as small:
        assert client.get(url("decision", decision.pk)).status_code == 200
    bound = len(small.captured_queries)

    if method == "vote":
        for n in range(3):
            record_tally(
                actor=users["secretariat"], decision=decision, choices=choices, reason=f"R{n}"
            )
    else:
        for code in PRESENT:
            record_objection(
                actor=users["secretariat"], decision=decision, country=terms[code], kind="dissent"
            )

    with django_assert_max_num_queries(bound):
        assert client.get(url("decision", decision.pk)).status_code == 200


# --- Quorum after the register changed (issue 11) ------------------------------------------


def test_a_change_to_the_register_after_the_quorum_check_stops_decisions(
    quorate_meeting, users, take_attendance
):
    """Reproduced in issue 11: the register was edited down below quorum
    after a check that found quorum, and a decision was still recorded."""
    from django.core.exceptions import ValidationError

    take_attendance(quorate_meeting, present=("CR", "GT"))  # down to 2 of 9

    with pytest.raises(ValidationError) as error:
        decide(users, quorate_meeting)
    assert error.value.code == "quorum_outdated"
    assert not Decision.objects.exists()

    verify_quorum(actor=users["presidency"], event=quorate_meeting)  # checked again: no quorum
    with pytest.raises(ValidationError) as error:
        decide(users, quorate_meeting)
    assert error.value.code == "no_quorum"


def test_a_check_made_after_the_last_change_allows_decisions_again(
    quorate_meeting, users, take_attendance
):
    take_attendance(quorate_meeting, present=("CR", "GT", "HN", "PA", "SV", "BZ"))
    verify_quorum(actor=users["presidency"], event=quorate_meeting)
    assert decide(users, quorate_meeting).adopted


def test_the_decision_form_says_the_quorum_must_be_verified_again(
    client, users, quorate_meeting, take_attendance
):
    take_attendance(quorate_meeting, present=("CR", "GT"))
    client.force_login(users["secretariat"])

    page = client.get(url("decision_create", quorate_meeting.pk)).content.decode()
    assert "The attendance register changed after the last verification of quorum" in page
    posted = client.post(
        url("decision_create", quorate_meeting.pk), {"text": "Texto", "method": "consensus"}
    )
    assert posted.status_code == 200
    assert "verify the quorum again" in posted.content.decode()
    assert not Decision.objects.exists()


# --- Every problem in one round (issue 12) ------------------------------------------------------


def test_a_refused_decision_lists_the_missing_text_the_majority_and_the_quorum_at_once(
    client, users, meeting, take_attendance
):
    take_attendance(meeting, present=("CR", "GT", "HN", "PA"))
    verify_quorum(actor=users["presidency"], event=meeting)
    client.force_login(users["secretariat"])

    response = client.post(
        url("decision_create", meeting.pk), {"text": "", "method": "vote", "majority": ""}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["text"] == ["This field is required."]
    assert form.errors["majority"] == ["Choose the majority the vote needs."]
    assert any("The meeting has no quorum" in e for e in form.non_field_errors())
    html = response.content.decode()
    assert "This field is required." in html and "Choose the majority the vote needs." in html
    assert "The meeting has no quorum" in html
    assert not Decision.objects.exists()


def test_a_refused_count_lists_a_missing_vote_and_the_outdated_quorum_at_once(
    client, users, quorate_meeting, take_attendance
):
    decision = decide(users, quorate_meeting, method="vote", majority="simple")
    take_attendance(quorate_meeting, present=("CR", "GT"))  # after the check: outdated
    client.force_login(users["secretariat"])

    response = client.post(url("tally", decision.pk), {"vote_CR": "yes", "reason": ""})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Record the vote of Guatemala: yes, no or abstain." in html
    assert "verify the quorum again" in html
    assert not Tally.objects.exists()
