"""Decisions of a meeting, with their objections and dissents (consensus)
or their votes and recounts (vote).

Views parse, check permissions and call one action; quorum before decisions,
one vote per present country and the counting rules are the actions' and
`coalicion.meetings.counting`'s.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from coalicion.core.permissions import check_perm
from coalicion.core.submit import submit
from coalicion.meetings import selectors
from coalicion.meetings.actions import decisions as decision_actions
from coalicion.meetings.forms.registers import DecisionForm, ObjectionForm, VoteForm, country_name
from coalicion.meetings.models import Decision, Objection
from coalicion.meetings.views import RECORDS_FROZEN, event_for

VIEW_EVENT = "meetings.view_event"
KEEP_REGISTER = "meetings.keep_register"


def _refuse_frozen(request: HttpRequest, event, to) -> HttpResponse | None:
    """A redirect with the reason when the meeting's minutes are approved
    (what they record cannot change), else None."""
    if selectors.records_frozen(event):
        messages.error(request, RECORDS_FROZEN)
        return redirect(to)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = event_for(request, pk)
    check_perm(request, KEEP_REGISTER)
    if refused := _refuse_frozen(request, event, event):
        return refused
    form = DecisionForm(request.POST or None, event=event)
    if request.method == "POST":
        recorded = submit(
            request,
            lambda: decision_actions.record_decision(
                actor=request.user, event=event, **form.cleaned_data
            ),
            form=form,
            done=lambda decision: _("%(decision)s was recorded.") % {"decision": decision},
        )
        if recorded:
            return redirect(recorded.value)
    context = {"event": event, "form": form, **selectors.quorum_state(event)}
    return render(request, "meetings/decision_form.html", context)


def _decision(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related("event__country", "agenda_item", "recorded_by__person"),
        pk=pk,
    )
    check_perm(request, VIEW_EVENT, decision.event)
    return decision


def _decision_to_keep(
    request: HttpRequest, pk: int, method: str, other_method: str
) -> tuple[Decision, HttpResponse | None]:
    """A decision taken by `method` whose record the user may change now, or
    the redirect that says why not (approved minutes, or `other_method`)."""
    decision = _decision(request, pk)
    check_perm(request, KEEP_REGISTER)
    if refused := _refuse_frozen(request, decision.event, decision):
        return decision, refused
    if decision.method != method:
        messages.error(request, other_method)
        return decision, redirect(decision)
    return decision, None


MAJORITY_RULES = {
    Decision.Majority.SIMPLE: gettext_lazy(
        "Simple majority: the decision is adopted when there are more yes votes than no votes; "
        "a tie does not adopt it. Abstentions are recorded and not counted."
    ),
    Decision.Majority.TWO_THIRDS: gettext_lazy(
        "Two-thirds majority: the decision is adopted when at least two thirds of the yes and "
        "no votes are yes (3·yes ≥ 2·(yes + no)), with at least one yes. Abstentions are "
        "recorded and not counted."
    ),
    Decision.Majority.ABSOLUTE: gettext_lazy(
        "Absolute majority: the decision is adopted when more than half of all the member "
        "countries vote yes, whatever the no votes. Absent and abstaining countries do not vote "
        "yes."
    ),
}


def _rule_in_words(decision: Decision) -> str:
    if decision.method == Decision.Method.CONSENSUS:
        return _(
            "Consensus: the decision is adopted unless a member country present objects. A "
            "dissent is recorded beside the decision and does not block it."
        )
    return str(MAJORITY_RULES.get(decision.majority, ""))


def _render_decision(
    request: HttpRequest, decision: Decision, *, objection_form=None, vote_form=None
) -> HttpResponse:
    event = decision.event
    frozen = selectors.records_frozen(event)
    may_keep = request.user.has_perm(KEEP_REGISTER) and not frozen
    tallies = (
        selectors.decision_tallies(decision) if decision.method == Decision.Method.VOTE else []
    )
    objections = (
        list(decision.objections.select_related("country"))
        if decision.method == Decision.Method.CONSENSUS
        else []
    )
    present = selectors.present_countries(event) if may_keep else []
    if may_keep and decision.method == Decision.Method.CONSENSUS and objection_form is None:
        objection_form = ObjectionForm(present=present)
    if may_keep and decision.method == Decision.Method.VOTE and vote_form is None:
        vote_form = VoteForm(present=present, recount=bool(tallies))
    return render(
        request,
        "meetings/decision_detail.html",
        {
            "event": event,
            "decision": decision,
            "rule_in_words": _rule_in_words(decision),
            "objections": objections,
            "blocking": [o for o in objections if o.kind == Objection.Kind.OBJECTION],
            "tallies": tallies,
            "official": tallies[-1] if tallies else None,
            "may_keep": may_keep,
            "frozen": frozen,
            "present": present,
            "objection_form": objection_form,
            "vote_form": vote_form,
        },
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_decision(request, _decision(request, pk))


def _objection_recorded(decision: Decision, recorded: Objection) -> str:
    """The message once a position is recorded: what it does to the decision."""
    decision.refresh_from_db(fields=["adopted"])
    if recorded.kind == Objection.Kind.OBJECTION:
        text = _("The objection of %(country)s was recorded: %(decision)s is not adopted.")
    elif decision.adopted:
        text = _("The dissent of %(country)s was recorded: %(decision)s remains adopted.")
    else:
        text = _(
            "The dissent of %(country)s was recorded; %(decision)s is not adopted "
            "because of another country's objection."
        )
    return text % {"country": country_name(recorded.country), "decision": decision}


@require_POST
@login_required
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    """An objection (blocks the consensus) or a dissent (recorded) of a present country."""
    decision, refused = _decision_to_keep(
        request,
        pk,
        Decision.Method.CONSENSUS,
        _("Objections apply to decisions by consensus; this one was voted."),
    )
    if refused:
        return refused
    form = ObjectionForm(request.POST, present=selectors.present_countries(decision.event))
    recorded = submit(
        request,
        lambda: decision_actions.record_objection(
            actor=request.user, decision=decision, **form.cleaned_data
        ),
        form=form,
        done=lambda recorded: _objection_recorded(decision, recorded),
    )
    if recorded:
        return redirect(decision)
    return _render_decision(request, decision, objection_form=form)


def _withdrawn(decision: Decision, objection: Objection) -> str:
    decision.refresh_from_db(fields=["adopted"])
    if decision.adopted:
        text = _("The position of %(country)s was withdrawn: %(decision)s is adopted.")
    else:
        text = _("The position of %(country)s was withdrawn; %(decision)s is still not adopted.")
    return text % {"country": country_name(objection.country), "decision": decision}


@require_POST
@login_required
def withdraw_objection(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(
        Objection.objects.select_related("decision__event", "country"), pk=pk
    )
    decision = objection.decision
    check_perm(request, VIEW_EVENT, decision.event)
    check_perm(request, KEEP_REGISTER)
    if refused := _refuse_frozen(request, decision.event, decision):
        return refused
    submit(
        request,
        lambda: decision_actions.withdraw_objection(actor=request.user, objection=objection),
        done=lambda _none: _withdrawn(decision, objection),
    )
    return redirect(decision)


def _counted(decision: Decision):
    def done(counted) -> str:
        if counted.adopted:
            text = _(
                "Votes counted: yes %(yes)s, no %(no)s, abstentions %(abstain)s. "
                "%(decision)s is adopted."
            )
        else:
            text = _(
                "Votes counted: yes %(yes)s, no %(no)s, abstentions %(abstain)s. "
                "%(decision)s is not adopted."
            )
        values = {"yes": counted.yes, "no": counted.no, "abstain": counted.abstain}
        return text % (values | {"decision": decision})

    return done


@require_POST
@login_required
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    """A count of the votes of the present member countries; a recount is
    kept beside the earlier counts and becomes the official one."""
    decision, refused = _decision_to_keep(
        request,
        pk,
        Decision.Method.VOTE,
        _("This decision is taken by consensus: there is no vote to count."),
    )
    if refused:
        return refused
    present = selectors.present_countries(decision.event)
    form = VoteForm(
        request.POST, present=present, recount=decision.tallies.exists(), decision=decision
    )
    counted = submit(
        request,
        lambda: decision_actions.record_tally(
            actor=request.user,
            decision=decision,
            choices=form.choices(),
            reason=form.cleaned_data["reason"],
        ),
        form=form,
        done=_counted(decision),
    )
    if counted:
        return redirect(decision)
    return _render_decision(request, decision, vote_form=form)
