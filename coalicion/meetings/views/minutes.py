"""Minutes (actas): drafted by the Secretariat from the meeting's records,
edited, circulated to the members for comment, approved at a later meeting
with quorum, then frozen with a stored PDF and its SHA-256; a correction is
a new document linked to the approved one. The archive lists what was
approved."""

import hashlib
import io
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalicion.audit.downloads import protected_download
from coalicion.core.pdf import PdfError
from coalicion.core.permissions import check_perm, permission_required
from coalicion.core.submit import submit
from coalicion.meetings import selectors
from coalicion.meetings.actions.minutes import (
    approve_minutes,
    circulate_minutes,
    comment_on_minutes,
    correct_minutes,
    draft_minutes,
    prefilled_minutes,
    save_minutes,
)
from coalicion.meetings.forms.minutes import ApproveForm, CommentForm, MinutesForm
from coalicion.meetings.models import Event, Minutes
from coalicion.membership.models import Country
from coalicion.membership.roles import roles_of

logger = logging.getLogger(__name__)

VIEW_MEETINGS = "meetings.view_meetings"
VIEW_EVENT = "meetings.view_event"
VIEW = "meetings.view_minutes"
KEEP = "meetings.keep_minutes"
COMMENT = "meetings.comment_minutes"
APPROVE = "meetings.approve_minutes"
ARCHIVE_PAGE_SIZE = 50  # approved documents per page of the archive


def _minutes(pk: int) -> Minutes:
    return get_object_or_404(
        Minutes.objects.select_related(
            "event__country", "corrects__event", "approved_at_event", "approved_by"
        ),
        pk=pk,
    )


def _render_detail(
    request,
    minutes: Minutes,
    *,
    edit_form: MinutesForm | None = None,
    comment_form: CommentForm | None = None,
    approve_form: ApproveForm | None = None,
    saved_body: str | None = None,
    integrity_error: bool = False,
    status: int = 200,
):
    """The page of the minutes, with the forms the user may use in their
    current state (bound forms passed in keep what was typed)."""
    user = request.user
    frozen = minutes.is_frozen
    may_keep = user.has_perm(KEEP) and not frozen
    circulated = minutes.status == Minutes.Status.CIRCULATED
    if may_keep and edit_form is None:
        edit_form = MinutesForm(initial={"body": minutes.body, "version": minutes.version})
    may_comment = circulated and user.has_perm(COMMENT)
    if may_comment and comment_form is None:
        comment_form = CommentForm()
    may_approve = circulated and user.has_perm(APPROVE)
    # Corrections in preparation are the Secretariat's; approved ones, whoever may read them.
    corrections = [
        c
        for c in minutes.corrections.select_related("event", "approved_at_event").order_by("pk")
        if (user.has_perm(VIEW, c) if c.is_frozen else user.has_perm(KEEP))
    ]
    if may_approve and approve_form is None:
        approve_form = ApproveForm(minutes=minutes)
    # A refusal on a form the page no longer shows (the minutes moved on) is a message.
    for form, shown in (
        (edit_form, may_keep),
        (comment_form, may_comment),
        (approve_form, may_approve),
    ):
        if form is not None and form.is_bound and not shown:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
    return render(
        request,
        "meetings/minutes_detail.html",
        {
            "minutes": minutes,
            "event": minutes.event,
            "comments": list(minutes.comments.select_related("author__person", "country")),
            "corrections": corrections,
            # The approving meeting is named only to those who may see it.
            "approved_at_visible": bool(
                minutes.approved_at_event and user.has_perm(VIEW_EVENT, minutes.approved_at_event)
            ),
            "edit_form": edit_form if may_keep else None,
            "may_circulate": may_keep and minutes.status == Minutes.Status.DRAFT,
            "comment_form": comment_form if may_comment else None,
            "approve_form": approve_form if may_approve else None,
            "may_correct": frozen and user.has_perm(KEEP),
            "saved_body": saved_body,
            "integrity_error": integrity_error,
        },
        status=status,
    )


@permission_required(VIEW_MEETINGS)
def archive(request):
    """Approved minutes and their corrections, the newest meeting first."""
    visible = selectors.visible_events(request.user)
    page = Paginator(
        Minutes.objects.filter(status=Minutes.Status.APPROVED, event__in=visible)
        .select_related("event", "corrects", "approved_at_event")
        .order_by("-event__start", "-approved_at", "-pk"),
        ARCHIVE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    approved = page.object_list = list(page.object_list)
    # The approving meeting is named only to those who may see it.
    shown = set(
        visible.filter(pk__in={m.approved_at_event_id for m in approved}).values_list(
            "pk", flat=True
        )
    )
    for item in approved:
        item.approved_at_visible = item.approved_at_event_id in shown
    return render(request, "meetings/archive.html", {"minutes_list": approved, "page": page})


@require_http_methods(["GET", "POST"])
@permission_required(KEEP)
def minutes_create(request, pk):
    """Preview of the text drafted from the meeting's records; the button
    creates the draft, which the Secretariat then edits."""
    event = get_object_or_404(Event.objects.select_related("country"), pk=pk)
    if not event.is_meeting:
        raise Http404(_("Only ordinary and extraordinary meetings have minutes."))
    existing = event.minutes.filter(corrects__isnull=True).first()
    if existing is not None:
        messages.info(request, _("This meeting already has its minutes."))
        return redirect(existing)
    if request.method == "POST":
        drafted = submit(
            request,
            lambda: draft_minutes(actor=request.user, event=event),
            done=_("The draft minutes were created. Edit them, then circulate them."),
        )
        if drafted:
            return redirect(drafted.value)
    return render(
        request,
        "meetings/minutes_create.html",
        {"event": event, "preview": prefilled_minutes(event)},
    )


def _refused_edit(request, pk: int, form: MinutesForm, outcome):
    """The page after a refused edit: frozen meanwhile, the reason as a
    message; a stale edit keeps what was typed beside what is saved now,
    and takes its version, so that the next save (after merging) goes through."""
    current = _minutes(pk)
    if current.is_frozen:
        for message in form.non_field_errors():
            messages.error(request, message)
        return redirect(current)
    if not outcome.stale:
        return _render_detail(request, current, edit_form=form)
    form.data = form.data.copy()
    form.data["version"] = str(current.version)
    return _render_detail(request, current, edit_form=form, saved_body=current.body)


@require_http_methods(["GET", "POST"])
@login_required
def minutes_detail(request, pk):
    """The minutes; a POST saves the Secretariat's edit of the text."""
    minutes = _minutes(pk)
    check_perm(request, VIEW, minutes)
    if request.method != "POST":
        return _render_detail(request, minutes)
    check_perm(request, KEEP)
    form = MinutesForm(request.POST)
    saved = submit(
        request,
        lambda: save_minutes(actor=request.user, minutes=minutes, **form.cleaned_data),
        form=form,
        done=_("The minutes were saved."),
    )
    if saved:
        return redirect(minutes)
    if not form.is_valid() and not form.non_field_errors():
        return _render_detail(request, minutes, edit_form=form)
    return _refused_edit(request, pk, form, saved)


@require_POST
@permission_required(KEEP)
def circulate(request, pk):
    minutes = _minutes(pk)
    submit(
        request,
        lambda: circulate_minutes(actor=request.user, minutes=minutes),
        done=_("The minutes were circulated: the member countries are notified and may comment."),
    )
    return redirect(minutes)


def _comment_country(user) -> Country | None:
    """The country a member comments for: the first of the countries they
    represent (by name), if any."""
    countries = roles_of(user).focal_point_of
    if not countries:
        return None
    return Country.objects.filter(pk__in=countries).order_by("name").first()


@require_POST
@permission_required(COMMENT)
def comment(request, pk):
    minutes = _minutes(pk)
    check_perm(request, VIEW, minutes)
    form = CommentForm(request.POST)
    commented = submit(
        request,
        lambda: comment_on_minutes(
            actor=request.user,
            minutes=minutes,
            text=form.cleaned_data["text"],
            country=_comment_country(request.user),
        ),
        form=form,
        done=_("Your comment was added to the minutes."),
    )
    if commented:
        return redirect(minutes)
    return _render_detail(request, minutes, comment_form=form)


def _approved(minutes: Minutes) -> str:
    return _("The minutes were approved at %(event)s: they are frozen and their PDF is stored.") % {
        "event": minutes.approved_at_event
    }


@require_POST
@permission_required(APPROVE)
def approve(request, pk):
    minutes = _minutes(pk)
    check_perm(request, VIEW, minutes)
    form = ApproveForm(request.POST, minutes=minutes)
    try:
        approved = submit(
            request,
            lambda: approve_minutes(actor=request.user, minutes=minutes, **form.cleaned_data),
            form=form,
            done=_approved,
        )
    except PdfError as error:
        logger.error("The PDF of minutes %s could not be produced: %s", minutes.pk, error)
        form.add_error(
            None, _("The PDF of the minutes could not be produced; they were not approved.")
        )
        approved = None
    if approved:
        return redirect(minutes)
    return _render_detail(request, minutes, approve_form=form)


@require_POST
@permission_required(KEEP)
def correct(request, pk):
    """A correction of approved minutes: a new draft linked to them."""
    minutes = _minutes(pk)
    pending = minutes.corrections.exclude(status=Minutes.Status.APPROVED).first()
    if pending is not None:
        messages.info(request, _("A correction of these minutes is already being prepared."))
        return redirect(pending)
    corrected = submit(
        request,
        lambda: correct_minutes(actor=request.user, minutes=minutes),
        done=_("A correction was drafted from the approved text; it follows the same steps."),
    )
    return redirect(corrected.value if corrected else minutes)


def _pdf_name(minutes: Minutes, *, draft: bool) -> str:
    """In the person's language: acta-R12-2026-03-10.pdf, minutes-R12-2026-03-10.pdf."""
    name = _("minutes-%(code)s-%(date)s") % {
        "code": minutes.event.code_prefix,
        "date": minutes.event.local_date.isoformat(),
    }
    if minutes.corrects_id:
        name += _("-correction-%(number)s") % {"number": minutes.pk}
    if draft:
        name += _("-draft")
    return name + ".pdf"


def _stored_pdf(minutes: Minutes) -> bytes:
    try:
        with minutes.pdf.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError):
        raise Http404(_("The stored PDF of these minutes is missing.")) from None


@login_required
def minutes_pdf(request, pk):
    """Approved minutes: the stored PDF, checked against its SHA-256. Others:
    a PDF made now, marked as a draft."""
    minutes = _minutes(pk)
    check_perm(request, VIEW, minutes)
    if minutes.is_frozen:
        content = _stored_pdf(minutes)
        if hashlib.sha256(content).hexdigest() != minutes.pdf_sha256:
            logger.error("The stored PDF of minutes %s does not match its hash.", minutes.pk)
            return _render_detail(request, minutes, integrity_error=True, status=409)
        draft = False
    else:
        from coalicion.meetings import documents

        try:
            content = documents.minutes_pdf(minutes)
        except PdfError as error:
            logger.error("The PDF of minutes %s could not be produced: %s", minutes.pk, error)
            messages.error(request, _("The PDF of the minutes could not be produced."))
            return redirect(minutes)
        draft = True
    return protected_download(
        actor=request.user,
        content=io.BytesIO(content),
        filename=_pdf_name(minutes, draft=draft),
        content_type="application/pdf",
        target=str(minutes),
        detail={"minutes": minutes.pk, "draft": draft},
    )
