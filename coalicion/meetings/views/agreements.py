"""Agreements (acuerdos): the list with its filters (overdue first), the
Secretariat's form, the page of an agreement with its follow-up entries and
evidence, and the follow-up form of the responsible party."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalicion.core.permissions import check_perm, permission_required
from coalicion.core.submit import submit
from coalicion.meetings import selectors
from coalicion.meetings.actions.agreements import add_follow_up, create_agreement, update_agreement
from coalicion.meetings.forms.agreements import AgreementFilterForm, AgreementForm, FollowUpForm
from coalicion.meetings.models import Agreement, Event
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


@permission_required(VIEW_MEETINGS)
def agreement_list(request):
    """Agreements the user may see, filtered by status, responsible, meeting
    or overdue; the overdue ones first."""
    meetings = selectors.meetings_with_agreements(request.user)
    form = AgreementFilterForm(request.GET or None, meetings=meetings)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    agreements = selectors.agreement_list(user=request.user, **filters)
    page = Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # one page read from the database
    selectors.annotate_last_follow_up(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "agreements": page.object_list,
        "page": page,
        "query": query.urlencode(),
        "filtered": bool(filters and any(filters.values())),
        "may_keep": request.user.has_perm(KEEP),
    }
    return render(request, "meetings/agreement_list.html", context)


def _recorded(agreement: Agreement) -> str:
    return _("Agreement %(code)s was recorded.") % {"code": agreement.code}


@require_http_methods(["GET", "POST"])
@permission_required(KEEP)
def agreement_create(request, pk):
    """A new agreement of a meeting (it needs quorum); numbered on saving."""
    event = get_object_or_404(Event.objects.select_related("country"), pk=pk)
    if selectors.records_frozen(event):
        messages.error(request, RECORDS_FROZEN)
        return redirect(event)
    form = AgreementForm(request.POST or None, event=event)
    if request.method == "POST":
        created = submit(
            request,
            lambda: create_agreement(actor=request.user, event=event, **form.agreement_fields()),
            form=form,
            done=_recorded,
        )
        if created:
            return redirect(created.value)
    context = {"form": form, "event": event, "agreement": None, **selectors.quorum_state(event)}
    return render(request, "meetings/agreement_form.html", context)


@require_http_methods(["GET", "POST"])
@permission_required(KEEP)
def agreement_edit(request, pk):
    """Text, responsible and due date, while the meeting's minutes are not approved."""
    agreement = _agreement(pk)
    if selectors.records_frozen(agreement.event):
        messages.error(request, RECORDS_FROZEN)
        return redirect(agreement)
    form = AgreementForm(request.POST or None, agreement=agreement)
    if request.method == "POST":
        version = request.POST.get("version", "")
        saved = submit(
            request,
            lambda: update_agreement(
                actor=request.user, agreement=agreement, version=version, **form.agreement_fields()
            ),
            form=form,
            done=_("Agreement %(code)s was saved.") % {"code": agreement.code},
        )
        if saved:
            return redirect(agreement)
    context = {"form": form, "event": agreement.event, "agreement": agreement}
    return render(request, "meetings/agreement_form.html", context)


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
            **selectors.carried_over(agreement, user),
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
    recorded = submit(
        request,
        lambda: add_follow_up(
            actor=request.user,
            agreement=agreement,
            by_secretariat=roles_of(request.user).is_secretariat,
            **form.follow_up_fields(),
        ),
        form=form,
        done=_("The follow-up of agreement %(code)s was recorded.") % {"code": agreement.code},
    )
    if recorded:
        return redirect(agreement)
    return _render_detail(request, agreement, form=form, files_lost=bool(request.FILES))
