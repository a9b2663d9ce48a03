"""The attendance register of a meeting (member countries and observers),
new representatives entering the directory from it, and the verification of
quorum.

Views parse, check permissions and call one action; who is a member on the
day, who must be named and when the register may change are the actions'
and the selectors' (`coalicion.meetings.actions.attendance`).
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalicion.core.permissions import check_perm
from coalicion.core.submit import submit
from coalicion.meetings import counting, selectors
from coalicion.meetings.actions import attendance as attendance_actions
from coalicion.meetings.forms.registers import RegisterForm, RepresentativeForm, country_name
from coalicion.meetings.models import Event
from coalicion.meetings.views import RECORDS_FROZEN, event_for
from coalicion.membership.models import Representation

VIEW_EVENT = "meetings.view_event"
MANAGE_EVENT = "meetings.manage_event"
KEEP_REGISTER = "meetings.keep_register"


def _closed_reason(event: Event) -> str:
    """Why the register of an event whose minutes are not approved cannot be taken now."""
    return _("The event has not taken place yet: its register is taken on the day.")


def _rule_label(rule: str) -> str:
    try:
        return counting.QuorumRule(rule).label
    except ValueError:
        return rule


def _register_context(request: HttpRequest, event: Event, page: dict, form, *, frozen) -> dict:
    for check in page["checks"]:
        check.rule_label = _rule_label(check.rule)
    recorded = [line["attendance"] for line in page["register"] if line["attendance"]]
    return {
        "event": event,
        "register": page["register"],
        "form": form,
        "rows": form.rows if form else [],
        "observer_rows": form.observer_rows if form else [],
        "observers": [
            (o, page["observed"][o.pk]) for o in page["organisations"] if o.pk in page["observed"]
        ],
        "errors": form.summary() if form else [],
        "may_keep": form is not None,
        "not_yet": event.local_date > timezone.localdate(),
        "may_verify": event.is_meeting and request.user.has_perm(MANAGE_EVENT) and not frozen,
        "frozen": frozen,
        "present_now": counting.count_present(a.status for a in recorded),
        "members_now": len(page["register"]),
        "latest_check": page["checks"][0] if page["checks"] else None,
        "checks": page["checks"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """The register: one row per member country on the day of the event and
    one per observer organisation, saved together or not at all; the
    verifications of quorum below it. No form before the day of the event."""
    event = event_for(request, pk)
    frozen = selectors.records_frozen(event)
    may_keep = request.user.has_perm(KEEP_REGISTER) and selectors.register_open(
        event, frozen=frozen
    )
    if request.method == "POST":
        check_perm(request, KEEP_REGISTER)
        if not may_keep:
            messages.error(request, RECORDS_FROZEN if frozen else _closed_reason(event))
            return redirect("meetings:attendance", pk=event.pk)
    page = selectors.register_page(event, editing=may_keep)
    data = request.POST if request.method == "POST" else None
    form = RegisterForm(data, event=event, page=page) if may_keep else None
    if form is not None and form.is_bound:
        saved = submit(
            request,
            lambda: attendance_actions.record_attendance(
                actor=request.user, event=event, **form.action_fields()
            ),
            form=form,
            done=_("The attendance register was saved."),
        )
        if saved:
            return redirect("meetings:attendance", pk=event.pk)
    context = _register_context(request, event, page, form, frozen=frozen)
    return render(request, "meetings/attendance.html", context)


def _confirmation_context(event: Event, data: dict) -> dict:
    """What the Secretariat confirms before a new representative enters the
    directory: the question, whoever holds the role (ended the day before,
    checked by default), and namesakes already in the directory."""
    holders = selectors.representative_holders(
        country=data["country"], role=data["role"], day=event.local_date
    )
    values = {
        "name": f"{data['given_name'].strip()} {data['family_name'].strip()}",
        "country": country_name(data["country"]),
        "date": date_format(event.local_date, "DATE_FORMAT"),
    }
    ending = values | {
        "names": ", ".join(str(person) for person in holders),
        "date": date_format(event.local_date - datetime.timedelta(days=1), "DATE_FORMAT"),
    }
    titular = data["role"] == Representation.Role.TITULAR
    if titular:
        question = _(
            "%(name)s will be added to the contact directory as titular representative of "
            "%(country)s from %(date)s. Confirm?"
        )
        end_previous = _(
            "End the representation of the current titular of %(country)s (%(names)s) on %(date)s"
        )
    else:
        question = _(
            "%(name)s will be added to the contact directory as alternate representative of "
            "%(country)s from %(date)s. Confirm?"
        )
        end_previous = _(
            "End the representation of the current alternate of %(country)s (%(names)s) on %(date)s"
        )
    return {
        "confirming": True,
        "question": question % values,
        "holders": holders,
        "end_previous_label": end_previous % ending if holders else "",
        "namesakes": selectors.namesakes(
            country=data["country"],
            given_name=data["given_name"],
            family_name=data["family_name"],
        ),
    }


def _new_representative(request: HttpRequest, event: Event, data: dict):
    return attendance_actions.add_representative(
        actor=request.user,
        event=event,
        end_previous=request.POST.get("end_previous") == "1",
        **data,
    )


def _added(data: dict):
    return lambda person: (
        _(
            "%(name)s was added to the contact directory and can now be chosen in the "
            "register of %(country)s."
        )
        % {"name": person, "country": country_name(data["country"])}
    )


@login_required
@require_http_methods(["GET", "POST"])
def add_representative(request: HttpRequest, pk: int) -> HttpResponse:
    """A new representative appears in the register: after a confirmation
    they enter the contact directory with a representation from the day of
    the event, and then appear in their country's selects."""
    event = event_for(request, pk)
    check_perm(request, KEEP_REGISTER)
    countries = selectors.member_countries(event.local_date)
    context = {"event": event, "confirming": False}
    if request.method == "GET":
        wanted = request.GET.get("country", "").upper()
        chosen = [c.pk for c in countries if c.code == wanted]
        form = RepresentativeForm(
            initial={"country": chosen[0]} if chosen else {}, countries=countries
        )
    else:
        form = RepresentativeForm(request.POST, countries=countries)
        if form.is_valid() and "edit" not in request.POST:
            if request.POST.get("confirm") != "1":
                context |= _confirmation_context(event, form.cleaned_data)
            elif submit(
                request,
                lambda: _new_representative(request, event, form.cleaned_data),
                form=form,
                done=_added(form.cleaned_data),
            ):
                return redirect("meetings:attendance", pk=event.pk)
    return render(request, "meetings/add_representative.html", context | {"form": form})


def _verdict(check) -> tuple[int, str]:
    numbers = {"present": check.present, "members": check.members, "required": check.required}
    if check.has_quorum:
        return messages.SUCCESS, _(
            "Quorum: %(present)s of %(members)s member countries present (%(required)s needed)."
        ) % numbers
    return messages.WARNING, _(
        "No quorum: %(present)s of %(members)s present, %(required)s needed. The meeting "
        "can record attendance and minutes but cannot take decisions."
    ) % numbers


@require_POST
@login_required
def verify_quorum(request: HttpRequest, pk: int) -> HttpResponse:
    """The Presidency (or the Secretariat) verifies quorum from the register."""
    event = event_for(request, pk)
    check_perm(request, MANAGE_EVENT)
    if selectors.records_frozen(event):
        messages.error(request, RECORDS_FROZEN)
        return redirect("meetings:attendance", pk=event.pk)
    outcome = submit(
        request, lambda: attendance_actions.verify_quorum(actor=request.user, event=event)
    )
    if outcome:
        messages.add_message(request, *_verdict(outcome.value))
    return redirect("meetings:attendance", pk=event.pk)
