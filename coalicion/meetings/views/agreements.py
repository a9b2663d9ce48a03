"""Agreements (acuerdos): the list with its filters (overdue first), the
Secretariat's form, the page of an agreement with its follow-up entries and
evidence, and the follow-up form of the responsible party."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalicion.core.actions import errors_onto_form
from coalicion.core.permissions import check_perm, permission_required
from coalicion.meetings import actions, selectors
from coalicion.meetings.forms.agreements import AgreementFilterForm, AgreementForm, FollowUpForm
from coalicion.meetings.models import Agreement, Event, FollowUp
from coalicion.meetings.views import RECORDS_FROZEN
from coalicion.membership.roles import roles_of

VIEW_MEETINGS = "meetings.view_meetings"
VIEW = "meetings.view_agreement"
KEEP = "meetings.keep_register"
FOLLOW_UP = "meetings.follow_up_agreement"
VIEW_ATTACHMENT = "meetings.view_attachment"


PAGE_SIZE = 50  # agreements per page of the list


def _agreement(pk: int) -> Agreement:
    return get_object_or_404(
        Agreement.objects.select_related(
            "event__country", "country", "organ", "committee", "decision"
        ).prefetch_related("committee__countries"),
        pk=pk,
    )


def _responsible_data(data: dict) -> dict:
    return {
        "text": data["text"],
        "responsible_kind": data["responsible_kind"],
        "country": data.get("country"),
        "organ": data.get("organ"),
        "committee": data.get("committee"),
        "due": data.get("due"),
    }


@permission_required(VIEW_MEETINGS)
def agreement_list(request):
    """Agreements the user may see, filtered by status, responsible, meeting
    or overdue; the overdue ones first."""
    meetings = list(
        selectors.visible_events(request.user)
        .filter(agreements__isnull=False)
        .distinct()
        .order_by("-start")
    )
    form = AgreementFilterForm(request.GET or None, meetings=meetings)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = form.filters()
    page = Paginator(selectors.agreement_list(user=request.user, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    agreements = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    last_follow_up = dict(
        FollowUp.objects.filter(agreement__in=[a.pk for a in agreements])
        .order_by()
        .values("agreement_id")
        .annotate(last=Max("date"))
        .values_list("agreement_id", "last")
    )
    for agreement in agreements:
        agreement.last_follow_up = last_follow_up.get(agreement.pk)
    return render(
        request,
        "meetings/agreement_list.html",
        {
            "form": form,
            "agreements": agreements,
            "page": page,
            "query": query.urlencode(),
            "filtered": bool(filters and any(filters.values())),
            "may_keep": request.user.has_perm(KEEP),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(KEEP)
def agreement_create(request, pk):
    """A new agreement of a meeting (it needs quorum); numbered on saving."""
    event = get_object_or_404(Event.objects.select_related("country"), pk=pk)
    if selectors.records_frozen(event):
        messages.error(request, RECORDS_FROZEN)
        return redirect(event)
    if request.method == "POST":
        form = AgreementForm(request.POST, event=event)
        if form.is_valid():
            try:
                agreement = actions.create_agreement(
                    user=request.user,
                    event=event,
                    decision=form.cleaned_data.get("decision"),
                    **_responsible_data(form.cleaned_data),
                )
            except ValidationError as error:
                errors_onto_form(form, error)
            else:
                messages.success(
                    request,
                    _("Agreement %(code)s was recorded.") % {"code": agreement.code},
                )
                return redirect(agreement)
    else:
        form = AgreementForm(event=event)
    return render(
        request,
        "meetings/agreement_form.html",
        {
            "form": form,
            "event": event,
            "agreement": None,
            "has_quorum": event.is_meeting and selectors.has_quorum(event),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required(KEEP)
def agreement_edit(request, pk):
    """Text, responsible and due date, while the meeting's minutes are not approved."""
    agreement = _agreement(pk)
    if selectors.records_frozen(agreement.event):
        messages.error(request, RECORDS_FROZEN)
        return redirect(agreement)
    if request.method == "POST":
        form = AgreementForm(request.POST)
        if form.is_valid():
            try:
                actions.update_agreement(
                    user=request.user,
                    agreement=agreement,
                    version=request.POST.get("version", ""),
                    **_responsible_data(form.cleaned_data),
                )
            except ValidationError as error:
                errors_onto_form(form, error)
            else:
                messages.success(
                    request, _("Agreement %(code)s was saved.") % {"code": agreement.code}
                )
                return redirect(agreement)
    else:
        form = AgreementForm(
            initial={
                "text": agreement.text,
                "responsible_kind": agreement.responsible_kind,
                "country": agreement.country_id,
                "organ": agreement.organ_id,
                "committee": agreement.committee_id,
                "due": agreement.due,
            }
        )
    return render(
        request,
        "meetings/agreement_form.html",
        {"form": form, "event": agreement.event, "agreement": agreement},
    )


def _follow_up_form(request, agreement: Agreement, data=None, files=None) -> FollowUpForm | None:
    if not request.user.has_perm(FOLLOW_UP, agreement):
        return None
    return FollowUpForm(
        data,
        files,
        agreement=agreement,
        by_secretariat=roles_of(request.user).is_secretariat,
    )


def _render_detail(request, agreement: Agreement, *, form=None, files_lost=False, status=200):
    user = request.user
    entries = list(
        agreement.follow_ups.select_related("author__person")
        .prefetch_related("attachments")
        .order_by("date", "pk")
    )
    for entry in entries:
        # The evidence is for members: others see neither the files nor their names.
        entry.evidence = [f for f in entry.attachments.all() if user.has_perm(VIEW_ATTACHMENT, f)]
    return render(
        request,
        "meetings/agreement_detail.html",
        {
            "agreement": agreement,
            "event": agreement.event,
            "entries": entries,
            "carried_to": list(
                selectors.visible_events(user)
                .filter(carried_agreements=agreement)
                .order_by("start")
            ),
            "overdue": agreement.is_overdue(),
            "form": form if form is not None else _follow_up_form(request, agreement),
            "files_lost": files_lost,
            "may_edit": user.has_perm(KEEP) and not selectors.records_frozen(agreement.event),
        },
        status=status,
    )


@login_required
def agreement_detail(request, pk):
    agreement = _agreement(pk)
    check_perm(request, VIEW, agreement)
    return _render_detail(request, agreement)


@require_POST
@login_required
def follow_up(request, pk):
    """A follow-up entry with its evidence: every file is checked by its
    content; one bad file and nothing is saved."""
    agreement = _agreement(pk)
    check_perm(request, FOLLOW_UP, agreement)
    form = _follow_up_form(request, agreement, request.POST, request.FILES)
    files_lost = bool(request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                actions.add_follow_up(
                    user=request.user,
                    agreement=agreement,
                    date=data["date"],
                    text=data["text"],
                    status=data["status"],
                    by_secretariat=roles_of(request.user).is_secretariat,
                    uploads=data["evidence"],
                )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.success(
                request,
                _("The follow-up of agreement %(code)s was recorded.") % {"code": agreement.code},
            )
            return redirect(agreement)
    return _render_detail(request, agreement, form=form, files_lost=files_lost)
