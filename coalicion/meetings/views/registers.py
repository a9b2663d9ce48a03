"""The registers of a meeting: attendance (member countries and observers),
new representatives entering the directory, the verification of quorum,
the countries' situation reports, and decisions with their objections,
votes and recounts.

Views parse, check permissions and call one action; the rules (who is a
member on the day, quorum before decisions, one vote per present country)
are in `coalicion.meetings.actions` and `coalicion.meetings.counting`.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from coalicion.core.actions import errors_onto_form
from coalicion.core.permissions import check_perm
from coalicion.meetings import actions, counting, selectors
from coalicion.meetings.forms.registers import (
    AttendanceRowForm,
    CountryReportForm,
    DecisionForm,
    ObjectionForm,
    ObserverRowForm,
    RepresentativeForm,
    VoteForm,
    country_name,
)
from coalicion.meetings.models import (
    Ballot,
    CountryReport,
    Decision,
    Event,
    Objection,
    Tally,
)
from coalicion.meetings.views import RECORDS_FROZEN
from coalicion.membership.models import Country, ObserverOrganisation, Person, Representation

VIEW_EVENT = "meetings.view_event"
MANAGE_EVENT = "meetings.manage_event"
KEEP_REGISTER = "meetings.keep_register"
SUBMIT_REPORT = "meetings.submit_country_report"
VIEW_REPORTS = "meetings.view_country_reports"


def _event(request: HttpRequest, pk: int) -> Event:
    event = get_object_or_404(Event.objects.select_related("country"), pk=pk)
    check_perm(request, VIEW_EVENT, event)
    return event


def _refuse_frozen(request: HttpRequest, event: Event, to: str) -> HttpResponse | None:
    """A redirect with the reason when the meeting's minutes are approved
    (what they record cannot change), else None."""
    if selectors.records_frozen(event):
        messages.error(request, RECORDS_FROZEN)
        return redirect(to)
    return None


def _is_stale(error: ValidationError) -> bool:
    return not hasattr(error, "error_dict") and any(e.code == "stale" for e in error.error_list)


# --- Attendance register and quorum ---------------------------------------------------


def _people_by_country(countries: list[Country]) -> dict[int, list[Person]]:
    people: dict[int, list[Person]] = {c.pk: [] for c in countries}
    for person in Person.objects.filter(country__in=countries).order_by(
        "family_name", "given_name", "pk"
    ):
        people[person.country_id].append(person)
    return people


def _representatives_on(countries: list[Country], day) -> dict[tuple[int, str], int]:
    """(country id, role) → the person representing it on `day` (the latest start wins)."""
    found: dict[tuple[int, str], int] = {}
    representations = Representation.objects.in_force(day).filter(country__in=countries)
    for country_id, role, person_id in representations.order_by("start", "pk").values_list(
        "country_id", "role", "person_id"
    ):
        found[(country_id, role)] = person_id
    return found


def _row_initial(line: dict, representatives: dict) -> dict:
    recorded = line["attendance"]
    if recorded is not None:
        return {
            "status": recorded.status,
            "titular": recorded.titular_id or "",
            "alternate": recorded.alternate_id or "",
            "note": recorded.note,
        }
    country_id = line["country"].pk
    return {
        "titular": representatives.get((country_id, Representation.Role.TITULAR), ""),
        "alternate": representatives.get((country_id, Representation.Role.ALTERNATE), ""),
    }


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The register: one row per member country on the day of the event and
    one per observer organisation, saved together or not at all; the
    verifications of quorum below it."""
    event = _event(request, pk)
    frozen = selectors.records_frozen(event)
    may_keep = request.user.has_perm(KEEP_REGISTER) and not frozen
    if request.method == "POST":
        check_perm(request, KEEP_REGISTER)
        if frozen:
            messages.error(request, RECORDS_FROZEN)
            return redirect("meetings:attendance", pk=event.pk)
    register = selectors.attendance_register(event)
    organisations = list(ObserverOrganisation.objects.order_by("name", "pk"))
    observed = {o.organisation_id: o for o in event.observer_attendance.all()}
    rows, observer_rows, errors = [], [], []

    if may_keep:
        countries = [line["country"] for line in register]
        people = _people_by_country(countries)
        representatives = _representatives_on(countries, event.local_date)
        data = request.POST if request.method == "POST" else None
        for line in register:
            country = line["country"]
            form = AttendanceRowForm(
                data,
                prefix=f"c-{country.code}",
                country=country,
                people=people[country.pk],
                initial=_row_initial(line, representatives),
            )
            rows.append((line, form))
        for organisation in organisations:
            recorded = observed.get(organisation.pk)
            initial = {"present": recorded.present, "people": recorded.people} if recorded else {}
            form = ObserverRowForm(
                data, prefix=f"o-{organisation.pk}", organisation=organisation, initial=initial
            )
            observer_rows.append((organisation, recorded, form))

    if request.method == "POST":
        forms = [form for _line, form in rows] + [form for *_rest, form in observer_rows]
        if all(form.is_valid() for form in forms):
            try:
                # One transaction: every row of the register, or none.
                with transaction.atomic():
                    actions.record_attendance(
                        user=request.user, event=event, rows=[form.row() for _l, form in rows]
                    )
                    for organisation, recorded, form in observer_rows:
                        if form.cleaned_data["present"] or recorded is not None:
                            actions.record_observer_attendance(
                                user=request.user,
                                event=event,
                                organisation=organisation,
                                present=form.cleaned_data["present"],
                                people=form.cleaned_data["people"].strip(),
                            )
            except ValidationError as error:
                errors = [_("Nothing was saved."), *error.messages]
            else:
                messages.success(request, _("The attendance register was saved."))
                return redirect("meetings:attendance", pk=event.pk)
        else:
            errors = [_("Nothing was saved: correct the rows marked below.")]

    checks = list(
        event.quorum_checks.select_related("verified_by__person").order_by("-at", "-pk")
        if event.is_meeting
        else []
    )
    for check in checks:
        check.rule_label = _rule_label(check.rule)
    recorded = [line["attendance"] for line in register if line["attendance"] is not None]
    return render(
        request,
        "meetings/attendance.html",
        {
            "event": event,
            "register": register,
            "rows": rows,
            "observer_rows": observer_rows,
            "observers": [(o, observed.get(o.pk)) for o in organisations if o.pk in observed],
            "errors": errors,
            "may_keep": may_keep,
            "may_verify": event.is_meeting and request.user.has_perm(MANAGE_EVENT) and not frozen,
            "frozen": frozen,
            "present_now": counting.count_present(a.status for a in recorded),
            "members_now": len(register),
            "latest_check": checks[0] if checks else None,
            "checks": checks,
        },
    )


def _rule_label(rule: str) -> str:
    try:
        return counting.QuorumRule(rule).label
    except ValueError:
        return rule


@login_required
@require_http_methods(["GET", "POST"])
def add_representative(request: HttpRequest, pk: int) -> HttpResponse:
    """A new representative appears in the register: after a confirmation
    they enter the contact directory with a representation from the day of
    the event, and then appear in their country's selects."""
    event = _event(request, pk)
    check_perm(request, KEEP_REGISTER)
    countries = selectors.member_countries(event.local_date)
    context = {"event": event, "confirming": False}
    if request.method == "GET":
        initial = {}
        wanted = request.GET.get("country", "").upper()
        for country in countries:
            if country.code == wanted:
                initial["country"] = country.pk
        form = RepresentativeForm(initial=initial, countries=countries)
        return render(request, "meetings/add_representative.html", context | {"form": form})

    form = RepresentativeForm(request.POST, countries=countries)
    if not form.is_valid() or "edit" in request.POST:
        return render(request, "meetings/add_representative.html", context | {"form": form})
    data = form.cleaned_data
    if request.POST.get("confirm") != "1":
        holders = _holders(event, data)
        return render(
            request,
            "meetings/add_representative.html",
            context
            | {
                "form": form,
                "confirming": True,
                "question": _confirmation(event, data),
                # Checked by default: the newcomer usually replaces whoever holds the role.
                "holders": holders,
                "end_previous_label": _end_previous_label(event, data, holders),
                "namesakes": list(
                    Person.objects.filter(
                        country=data["country"],
                        given_name__iexact=data["given_name"].strip(),
                        family_name__iexact=data["family_name"].strip(),
                    )
                ),
            },
        )
    try:
        person = actions.add_representative(
            user=request.user,
            event=event,
            country=data["country"],
            role=data["role"],
            given_name=data["given_name"],
            family_name=data["family_name"],
            email=data["email"],
            institution=data["institution"],
            position=data["position"],
            end_previous=request.POST.get("end_previous") == "1",
        )
    except ValidationError as error:
        errors_onto_form(form, error)
        return render(request, "meetings/add_representative.html", context | {"form": form})
    messages.success(
        request,
        _(
            "%(name)s was added to the contact directory and can now be chosen in the "
            "register of %(country)s."
        )
        % {"name": person, "country": country_name(data["country"])},
    )
    return redirect("meetings:attendance", pk=event.pk)


def _holders(event: Event, data: dict) -> list[Person]:
    """Who holds the role for the country on the day of the event."""
    return [
        r.person
        for r in Representation.objects.in_force(event.local_date)
        .filter(country=data["country"], role=data["role"])
        .select_related("person")
        .order_by("start", "pk")
    ]


def _end_previous_label(event: Event, data: dict, holders: list[Person]) -> str:
    if not holders:
        return ""
    values = {
        "country": country_name(data["country"]),
        "names": ", ".join(str(person) for person in holders),
        "date": date_format(event.local_date - datetime.timedelta(days=1), "DATE_FORMAT"),
    }
    if data["role"] == Representation.Role.TITULAR:
        text = _(
            "End the representation of the current titular of %(country)s (%(names)s) on %(date)s"
        )
    else:
        text = _(
            "End the representation of the current alternate of %(country)s (%(names)s) on %(date)s"
        )
    return text % values


def _confirmation(event: Event, data: dict) -> str:
    values = {
        "name": f"{data['given_name'].strip()} {data['family_name'].strip()}",
        "country": country_name(data["country"]),
        "date": date_format(event.local_date, "DATE_FORMAT"),
    }
    if data["role"] == Representation.Role.TITULAR:
        text = _(
            "%(name)s will be added to the contact directory as titular representative of "
            "%(country)s from %(date)s. Confirm?"
        )
    else:
        text = _(
            "%(name)s will be added to the contact directory as alternate representative of "
            "%(country)s from %(date)s. Confirm?"
        )
    return text % values


@require_POST
@login_required
def verify_quorum(request: HttpRequest, pk: int) -> HttpResponse:
    """The Presidency (or the Secretariat) verifies quorum from the register."""
    event = _event(request, pk)
    check_perm(request, MANAGE_EVENT)
    if refused := _refuse_frozen(request, event, reverse("meetings:attendance", args=[event.pk])):
        return refused
    try:
        check = actions.verify_quorum(user=request.user, event=event)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("meetings:attendance", pk=event.pk)
    numbers = {"present": check.present, "members": check.members, "required": check.required}
    if check.has_quorum:
        messages.success(
            request,
            _("Quorum: %(present)s of %(members)s member countries present (%(required)s needed).")
            % numbers,
        )
    else:
        messages.warning(
            request,
            _(
                "No quorum: %(present)s of %(members)s present, %(required)s needed. The meeting "
                "can record attendance and minutes but cannot take decisions."
            )
            % numbers,
        )
    return redirect("meetings:attendance", pk=event.pk)


# --- Country reports --------------------------------------------------------------------


@login_required
def country_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The member countries and their updated situation reports for the meeting."""
    event = _event(request, pk)
    check_perm(request, VIEW_REPORTS)
    frozen = selectors.records_frozen(event)
    reports = {
        r.country_id: r
        for r in event.country_reports.select_related("submitted_by__person").annotate(
            attachment_count=Count("attachments")
        )
    }
    rows = [
        {
            "country": country,
            "report": reports.get(country.pk),
            "may_submit": event.is_meeting
            and not frozen
            and request.user.has_perm(SUBMIT_REPORT, country),
        }
        for country in selectors.member_countries(event.local_date)
    ]
    return render(
        request,
        "meetings/country_reports.html",
        {"event": event, "rows": rows, "submitted": len(reports)},
    )


def _member_country(event: Event, code: str) -> Country:
    country = get_object_or_404(Country, code=code.upper())
    if not selectors.members_on([country], event.local_date):
        raise Http404(
            _("%(country)s is not a member country on the date of the event.")
            % {"country": country_name(country)}
        )
    return country


def _current_report(event: Event, country: Country) -> CountryReport | None:
    return (
        CountryReport.objects.filter(event=event, country=country)
        .select_related("submitted_by__person")
        .prefetch_related("attachments")
        .first()
    )


@login_required
@require_http_methods(["GET", "POST"])
def country_report(request: HttpRequest, pk: int, country: str) -> HttpResponse:
    """A country's report: members read it; its focal points and the
    Secretariat write it (`?edit=1`), with attachments."""
    event = _event(request, pk)
    check_perm(request, VIEW_REPORTS)
    if not event.is_meeting:
        raise Http404(_("Only ordinary and extraordinary meetings receive country reports."))
    country = _member_country(event, country)
    report = _current_report(event, country)
    editing = request.method == "POST" or bool(request.GET.get("edit"))
    frozen = selectors.records_frozen(event)
    if editing:
        check_perm(request, SUBMIT_REPORT, country)
        page = reverse("meetings:country_report", args=[event.pk, country.code])
        if refused := _refuse_frozen(request, event, page):
            return refused
    stale = False
    form = None

    if request.method == "POST":
        form = CountryReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                # The report and its new files are saved together or not at all.
                with transaction.atomic():
                    saved = actions.save_country_report(
                        user=request.user,
                        event=event,
                        country=country,
                        summary=data["summary"],
                        legal_changes=data["legal_changes"],
                        cases=data["cases"],
                        actions=data["actions"],
                        version=data["version"],
                    )
                    for uploaded, content_type in data["attachments"]:
                        actions.attach_file(
                            user=request.user,
                            uploaded=uploaded,
                            content_type=content_type,
                            country_report=saved,
                        )
            except ValidationError as error:
                stale = _is_stale(error)
                errors_onto_form(form, error)
                report = _current_report(event, country)
            else:
                messages.success(
                    request,
                    _("The report of %(country)s was saved.") % {"country": country_name(country)},
                )
                return redirect("meetings:country_report", pk=event.pk, country=country.code)
    elif editing:
        initial = {"version": report.version if report else 0}
        if report is not None:
            initial |= {
                "summary": report.summary,
                "legal_changes": report.legal_changes,
                "cases": report.cases,
                "actions": report.actions,
            }
        form = CountryReportForm(initial=initial)

    return render(
        request,
        "meetings/country_report_form.html",
        {
            "event": event,
            "country": country,
            "report": report,
            "form": form,
            "stale": stale,
            "may_submit": not frozen and request.user.has_perm(SUBMIT_REPORT, country),
            "files_lost": request.method == "POST" and bool(request.FILES),
        },
    )


# --- Decisions, objections and votes ------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event(request, pk)
    check_perm(request, KEEP_REGISTER)
    if refused := _refuse_frozen(request, event, event.get_absolute_url()):
        return refused
    if request.method == "POST":
        form = DecisionForm(request.POST, event=event)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decision = actions.record_decision(
                    user=request.user,
                    event=event,
                    text=data["text"],
                    method=data["method"],
                    majority=data["majority"],
                    agenda_item=data["agenda_item"],
                )
            except ValidationError as error:
                errors_onto_form(form, error)
            else:
                messages.success(request, _("%(decision)s was recorded.") % {"decision": decision})
                return redirect(decision)
    else:
        form = DecisionForm(event=event)
    return render(
        request,
        "meetings/decision_form.html",
        {
            "event": event,
            "form": form,
            "has_quorum": event.is_meeting and selectors.has_quorum(event),
        },
    )


def _decision(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(
        Decision.objects.select_related("event__country", "agenda_item", "recorded_by__person"),
        pk=pk,
    )
    check_perm(request, VIEW_EVENT, decision.event)
    return decision


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


def _tallies(decision: Decision) -> list[Tally]:
    tallies = list(
        decision.tallies.select_related("counted_by__person")
        .prefetch_related(Prefetch("ballots", queryset=Ballot.objects.select_related("country")))
        .order_by("number")
    )
    for tally in tallies:
        tally.needed = counting.tally_counts(
            yes=tally.yes,
            no=tally.no,
            abstain=tally.abstain,
            members=tally.members,
            majority=tally.majority,
        ).required_yes
        tally.majority_label = _majority_label(tally.majority)
    if tallies:
        tallies[-1].official = True
    return tallies


def _majority_label(majority: str) -> str:
    try:
        return str(Decision.Majority(majority).label)
    except ValueError:
        return majority


def _render_decision(
    request: HttpRequest, decision: Decision, *, objection_form=None, vote_form=None
) -> HttpResponse:
    event = decision.event
    frozen = selectors.records_frozen(event)
    may_keep = request.user.has_perm(KEEP_REGISTER) and not frozen
    tallies = _tallies(decision) if decision.method == Decision.Method.VOTE else []
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


@require_POST
@login_required
def objection(request: HttpRequest, pk: int) -> HttpResponse:
    """An objection (blocks the consensus) or a dissent (recorded) of a present country."""
    decision = _decision(request, pk)
    check_perm(request, KEEP_REGISTER)
    if refused := _refuse_frozen(request, decision.event, decision.get_absolute_url()):
        return refused
    if decision.method != Decision.Method.CONSENSUS:
        messages.error(
            request, _("Objections apply to decisions by consensus; this one was voted.")
        )
        return redirect(decision)
    form = ObjectionForm(request.POST, present=selectors.present_countries(decision.event))
    if form.is_valid():
        data = form.cleaned_data
        try:
            recorded = actions.record_objection(
                user=request.user,
                decision=decision,
                country=data["country"],
                kind=data["kind"],
                text=data["text"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            decision.refresh_from_db(fields=["adopted"])
            if recorded.kind == Objection.Kind.OBJECTION:
                done = _("The objection of %(country)s was recorded: %(decision)s is not adopted.")
            elif decision.adopted:
                done = _("The dissent of %(country)s was recorded: %(decision)s remains adopted.")
            else:
                done = _(
                    "The dissent of %(country)s was recorded; %(decision)s is not adopted "
                    "because of another country's objection."
                )
            messages.success(
                request, done % {"country": country_name(data["country"]), "decision": decision}
            )
            return redirect(decision)
    return _render_decision(request, decision, objection_form=form)


@require_POST
@login_required
def withdraw_objection(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(
        Objection.objects.select_related("decision__event", "country"), pk=pk
    )
    decision = objection.decision
    check_perm(request, VIEW_EVENT, decision.event)
    check_perm(request, KEEP_REGISTER)
    if refused := _refuse_frozen(request, decision.event, decision.get_absolute_url()):
        return refused
    try:
        actions.withdraw_objection(user=request.user, objection=objection)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        decision.refresh_from_db(fields=["adopted"])
        if decision.adopted:
            done = _("The position of %(country)s was withdrawn: %(decision)s is adopted.")
        else:
            done = _(
                "The position of %(country)s was withdrawn; %(decision)s is still not adopted."
            )
        messages.success(
            request, done % {"country": country_name(objection.country), "decision": decision}
        )
    return redirect(decision)


@require_POST
@login_required
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    """A count of the votes of the present member countries; a recount is
    kept beside the earlier counts and becomes the official one."""
    decision = _decision(request, pk)
    check_perm(request, KEEP_REGISTER)
    if refused := _refuse_frozen(request, decision.event, decision.get_absolute_url()):
        return refused
    if decision.method != Decision.Method.VOTE:
        messages.error(
            request, _("This decision is taken by consensus: there is no vote to count.")
        )
        return redirect(decision)
    form = VoteForm(
        request.POST,
        present=selectors.present_countries(decision.event),
        recount=decision.tallies.exists(),
    )
    if form.is_valid():
        try:
            counted = actions.record_tally(
                user=request.user,
                decision=decision,
                choices=form.choices(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            values = {
                "yes": counted.yes,
                "no": counted.no,
                "abstain": counted.abstain,
                "decision": decision,
            }
            if counted.adopted:
                done = _(
                    "Votes counted: yes %(yes)s, no %(no)s, abstentions %(abstain)s. "
                    "%(decision)s is adopted."
                )
            else:
                done = _(
                    "Votes counted: yes %(yes)s, no %(no)s, abstentions %(abstain)s. "
                    "%(decision)s is not adopted."
                )
            messages.success(request, done % values)
            return redirect(decision)
    return _render_decision(request, decision, vote_form=form)
