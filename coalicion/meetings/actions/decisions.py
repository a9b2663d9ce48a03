"""Decisions, objections and dissents, votes and recounts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from coalicion.core.actions import Problems
from coalicion.core.i18n import localized
from coalicion.meetings import counting, selectors
from coalicion.meetings.actions.common import (
    check_not_cancelled,
    check_quorum,
    check_records_open,
    locked,
)
from coalicion.meetings.models import (
    Ballot,
    Decision,
    Event,
    Objection,
    Tally,
)
from coalicion.membership.models import Country


def check_decision(
    *, event: Event, text: str | None, method: str | None, majority: str | None, agenda_item=None
) -> None:
    """Every reason `record_decision` refuses a decision of `event`, raised
    together: cancelled, frozen, no quorum, no text, a vote without its
    majority, an item of another agenda. The decision form runs it beside
    its own rules (`rules_onto_form`); None is a value that failed there,
    and the rule that needs it is skipped."""
    problems = Problems()
    problems.run(check_not_cancelled, event)
    problems.run(check_records_open, event)
    problems.run(check_quorum, event)
    if text is not None and not text.strip():
        problems.add("text", _("Write the text of the decision."))
    if method == Decision.Method.VOTE:
        if majority is not None and majority not in Decision.Majority.values:
            problems.add("majority", _("Choose the majority the vote needs."))
    elif method is not None and method != Decision.Method.CONSENSUS:
        problems.add("method", _("Choose consensus or vote."))
    if agenda_item is not None and agenda_item.event_id != event.pk:
        problems.add("agenda_item", _("This item is on another meeting's agenda."))
    problems.raise_all()


@transaction.atomic
def record_decision(
    *, actor, event: Event, text: str, method: str, majority: str = "", agenda_item=None
) -> Decision:
    """By consensus (adopted unless a member country objects) or by vote
    (adopted or not by the official tally)."""
    event = locked(Event, event.pk)
    check_decision(
        event=event, text=text, method=method, majority=majority, agenda_item=agenda_item
    )
    if method == Decision.Method.CONSENSUS:
        majority = ""
    number = (event.decisions.aggregate(m=Max("number"))["m"] or 0) + 1
    return Decision.objects.create(
        event=event,
        number=number,
        agenda_item=agenda_item,
        text=text.strip(),
        method=method,
        majority=majority,
        adopted=True if method == Decision.Method.CONSENSUS else None,
        recorded_by=actor,
    )


@transaction.atomic
def record_objection(
    *, actor, decision: Decision, country: Country, kind: str, text: str = ""
) -> Objection:
    decision = locked(Decision, decision.pk)
    event = decision.event
    check_records_open(event)
    if decision.method != Decision.Method.CONSENSUS:
        raise ValidationError(_("Objections apply to decisions by consensus; this one was voted."))
    if kind not in Objection.Kind.values:
        raise ValidationError({"kind": _("Choose objection or dissent.")})
    if country not in selectors.present_countries(event):
        raise ValidationError(
            {
                "country": _("%(country)s is not present at this meeting.")
                % {"country": localized(country, "name")}
            }
        )
    objection, _created = Objection.objects.update_or_create(
        decision=decision, country=country, defaults={"kind": kind, "text": text.strip()}
    )
    _settle_consensus(decision)
    return objection


@transaction.atomic
def withdraw_objection(*, actor, objection: Objection) -> None:
    decision = locked(Decision, objection.decision_id)
    check_records_open(decision.event)
    objection.delete()
    _settle_consensus(decision)


def _settle_consensus(decision: Decision) -> None:
    objections = decision.objections.filter(kind=Objection.Kind.OBJECTION).count()
    adopted = counting.consensus_adopted(objections=objections)
    if decision.adopted != adopted:
        decision.adopted = adopted
        decision.save(update_fields=["adopted"])


def check_tally(*, decision: Decision, choices: dict | None, reason: str | None) -> None:
    """Every reason `record_tally` refuses a count, raised together: frozen
    records, a decision by consensus, no quorum, a vote missing, a country
    not present, an unknown choice, a recount without its reason. The vote
    form runs it beside its own rules; None (`choices`, `reason`) is a
    value that failed there, and the rules that need it are skipped."""
    event = decision.event
    problems = Problems()
    problems.run(check_records_open, event)
    if decision.method != Decision.Method.VOTE:
        problems.add(None, _("This decision is taken by consensus: there is no vote to count."))
        problems.raise_all()
    problems.run(check_quorum, event)
    if choices is not None:
        present = selectors.present_countries(event)
        missing = [c for c in present if c not in choices]
        strangers = [c for c in choices if c not in present]
        if missing:
            problems.add(
                None,
                _("Record the vote of every present member country; missing: %(countries)s.")
                % {"countries": ", ".join(localized(c, "name") for c in missing)},
            )
        if strangers:
            problems.add(
                None,
                _("Only member countries present vote; not present: %(countries)s.")
                % {"countries": ", ".join(localized(c, "name") for c in strangers)},
            )
        bad = [c for c, choice in choices.items() if choice not in Ballot.Choice.values]
        if bad:
            problems.add(
                None,
                _("Choose yes, no or abstain for %(countries)s.")
                % {"countries": ", ".join(localized(c, "name") for c in bad)},
            )
    if reason is not None and decision.tallies.exists() and not reason.strip():
        problems.add(None, _("Say why the votes are counted again (recount)."))
    problems.raise_all()


@transaction.atomic
def record_tally(*, actor, decision: Decision, choices: dict, reason: str = "") -> Tally:
    """One count: a choice (yes / no / abstain) for every present member
    country, as `{country: choice}`. A second tally is a recount (reconteo),
    kept beside the first, and needs a reason; the last tally is official."""
    decision = locked(Decision, decision.pk)
    check_tally(decision=decision, choices=choices, reason=reason)
    members = selectors.member_countries(decision.event.local_date)
    number = (decision.tallies.aggregate(m=Max("number"))["m"] or 0) + 1
    result = counting.tally_votes(
        choices=list(choices.values()), members=len(members), majority=decision.majority
    )
    tally = Tally.objects.create(
        decision=decision,
        number=number,
        yes=result.yes,
        no=result.no,
        abstain=result.abstain,
        members=result.members,
        majority=result.majority,
        adopted=result.adopted,
        reason=reason.strip(),
        counted_by=actor,
    )
    Ballot.objects.bulk_create(
        Ballot(tally=tally, country=country, choice=choice) for country, choice in choices.items()
    )
    decision.adopted = result.adopted
    decision.save(update_fields=["adopted"])
    return tally
