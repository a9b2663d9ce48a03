"""The calendar of events, an event's overview, its convocation and
cancellation, its agenda (drafted, approved, printed), the files attached to
agenda items, and each user's private calendar feed and e-mail choices."""

import datetime
import logging
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coalicion.audit.downloads import protected_download
from coalicion.core.pdf import PdfError
from coalicion.core.permissions import check_perm, permission_required
from coalicion.core.sections import sections
from coalicion.core.submit import submit
from coalicion.core.uploads import download_name
from coalicion.meetings import documents, selectors
from coalicion.meetings.actions import agenda as agenda_actions
from coalicion.meetings.actions.calendar import (
    create_calendar_feed,
    record_calendar_feed_use,
    revoke_calendar_feeds,
    save_notification_settings,
)
from coalicion.meetings.actions.events import (
    cancel_event,
    convene_event,
    create_event,
    update_event,
)
from coalicion.meetings.forms.events import (
    AgendaItemForm,
    CancelForm,
    EventForm,
    NotificationSettingsForm,
)
from coalicion.meetings.ics import build_calendar, calendar_event
from coalicion.meetings.models import (
    AgendaItem,
    Attachment,
    CalendarFeed,
    Event,
)
from coalicion.meetings.views import RECORDS_FROZEN
from coalicion.notifications.actions import preferences_of
from coalicion.plans.models import Activity

logger = logging.getLogger(__name__)

VIEW_MEETINGS = "meetings.view_meetings"
VIEW = "meetings.view_event"
MANAGE = "meetings.manage_event"
VIEW_MINUTES = "meetings.view_minutes"
VIEW_ATTACHMENT = "meetings.view_attachment"
USE_CALENDAR = "meetings.use_calendar"

ICS = "text/calendar; charset=utf-8"
FEED_PAST = datetime.timedelta(days=365)
CALENDAR_PAGE_SIZE = 50  # past events per page of the calendar


def _event_or_404(pk: int, queryset=None) -> Event:
    queryset = queryset if queryset is not None else Event.objects.select_related("country")
    return get_object_or_404(queryset, pk=pk)


def _months(events: list[Event]) -> list[tuple[datetime.date, list[Event]]]:
    """Events grouped by the month (local time) they start in, in the given order."""
    groups: dict[datetime.date, list[Event]] = defaultdict(list)
    for event in events:
        groups[event.local_date.replace(day=1)].append(event)
    return list(groups.items())


def _past_page(request, past):
    """The past grows every year: paged in the database, the latest first;
    with the other parameters of the page for its links."""
    page = Paginator(past.order_by("-start", "-pk"), CALENDAR_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@permission_required(VIEW_MEETINGS)
def calendar(request):
    """The events the user may see: upcoming first (soonest first), then past
    ones (latest first), grouped by month; filtered by year and kind."""
    year = request.GET.get("year", "").strip()
    year = int(year) if year.isdigit() and 1900 < int(year) < 3000 else None
    kind = request.GET.get("kind", "").strip()
    kind = kind if kind in Event.Kind.values else ""
    events = selectors.events_in_year(user=request.user, year=year, kind=kind)
    now = timezone.now()
    upcoming = list(events.filter(end__gte=now).order_by("start", "pk"))
    page, query = _past_page(request, events.filter(end__lt=now))
    years = sorted(
        {d.year for d in selectors.visible_events(request.user).dates("start", "year")}
        | {timezone.localdate().year},
        reverse=True,
    )
    return render(
        request,
        "meetings/calendar.html",
        {
            "upcoming": _months(upcoming),
            "past": _months(page.object_list),
            "page": page,
            "query": query,
            "years": years,
            "year": year,
            "kinds": Event.Kind.choices,
            "kind": kind,
        },
    )


def _save_event(request, form: EventForm, event: Event | None) -> Event:
    """Create or update through the actions."""
    if event is None:
        return create_event(
            actor=request.user, activities=form.cleaned_data["activities"], **form.event_fields()
        )
    return update_event(
        actor=request.user,
        event=event,
        version=form.cleaned_data["version"],
        activities=form.cleaned_data["activities"],
        **form.event_fields(),
    )


def _created(event: Event) -> str:
    if event.is_meeting:
        return _("The event was created. Convene it when its details are final.")
    return _("The event was created.")


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def event_create(request):
    form = EventForm(request.POST or None, initial={"version": 0})
    if request.method == "POST":
        created = submit(
            request, lambda: _save_event(request, form, None), form=form, done=_created
        )
        if created:
            return redirect(created.value)
    return render(request, "meetings/event_form.html", {"form": form, "event": None})


def _saved(event: Event) -> str:
    if event.status == Event.Status.CONVENED:
        return _("The event was saved; the invited members are told of the change.")
    return _("The event was saved.")


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def event_edit(request, pk):
    event = _event_or_404(pk, Event.objects.prefetch_related("activities"))
    if event.is_cancelled:
        messages.error(request, _("This event was cancelled: it can no longer be changed."))
        return redirect(event)
    frozen = selectors.records_frozen(event)
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event), event=event)
    form = _frozen_fields(form, frozen)
    if request.method == "POST":
        saved = submit(request, lambda: _save_event(request, form, event), form=form, done=_saved)
        if saved:
            return redirect(saved.value)
    return render(
        request, "meetings/event_form.html", {"form": form, "event": event, "frozen": frozen}
    )


def _frozen_fields(form: EventForm, frozen: bool) -> EventForm:
    """Once the minutes are approved, only the fields the record leaves open
    (`Event.MUTABLE_WHEN_FROZEN`) can be edited; the others keep their value."""
    if frozen:
        for name, field in form.fields.items():
            if name not in Event.MUTABLE_WHEN_FROZEN:
                field.disabled = True
    return form


def _activity_links(activities: list[Activity]) -> list[dict]:
    """Each activity with the address of its row on the operating plan's page."""
    rows = []
    for activity in activities:
        poa = activity.objective.operating_plan
        url = reverse("plans:poa", args=[poa.plan.code, poa.year])
        rows.append({"activity": activity, "url": f"{url}#activity-{slugify(activity.code)}"})
    return rows


def _detail_context(request, event: Event, cancel_form: CancelForm | None = None) -> dict:
    activities = list(
        event.activities.select_related("objective__operating_plan__plan").order_by(
            "objective__operating_plan__year", "objective__order", "order"
        )
    )
    minutes = list(event.minutes.order_by("pk"))
    for document in minutes:
        document.event = event  # the permission reads it
    return {
        "event": event,
        "active": "overview",
        "activities": _activity_links(activities),
        "quorum": selectors.latest_quorum_check(event) if event.is_meeting else None,
        "decisions": list(event.decisions.order_by("number")) if event.is_meeting else [],
        "agreements": (
            list(event.agreements.select_related("country", "organ", "committee"))
            if event.is_meeting
            else []
        ),
        "minutes": [m for m in minutes if request.user.has_perm(VIEW_MINUTES, m)],
        # Approved minutes: what they record cannot change (the actions refuse).
        "frozen": selectors.records_frozen(event),
        "cancel_form": cancel_form or CancelForm(),
        # What other apps record about the event (good practices presented…).
        "shown_sections": sections("event", user=request.user, event=event),
    }


@permission_required(VIEW_MEETINGS)
def event_detail(request, pk):
    event = _event_or_404(pk, Event.objects.select_related("country", "convened_by__person"))
    check_perm(request, VIEW, event)
    return render(request, "meetings/event_detail.html", _detail_context(request, event))


def _convened(event: Event) -> str:
    if event.open_to_observers:
        return _(
            "The event was convened: the invitations go by e-mail to the members and "
            "observers, each with a calendar file (.ics)."
        )
    return _(
        "The event was convened: the invitations go by e-mail to the members, each "
        "with a calendar file (.ics)."
    )


@require_POST
@permission_required(MANAGE)
def convene(request, pk):
    event = _event_or_404(pk)
    submit(
        request,
        lambda: convene_event(actor=request.user, event=event),
        done=lambda _convened_event: _convened(event),
    )
    return redirect(event)


@require_POST
@permission_required(MANAGE)
def cancel(request, pk):
    event = _event_or_404(pk, Event.objects.select_related("country", "convened_by__person"))
    form = CancelForm(request.POST, event=event)
    cancelled = submit(
        request,
        lambda: cancel_event(actor=request.user, event=event, reason=form.cleaned_data["reason"]),
        form=form,
        done=_("The event was cancelled."),
    )
    if cancelled:
        return redirect(event)
    # Shown again with what was typed and why it was refused.
    return render(
        request, "meetings/event_detail.html", _detail_context(request, event, cancel_form=form)
    )


def _ics_response(text: str, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(text, content_type=ICS)
    if filename:
        response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required(VIEW_MEETINGS)
def event_ics(request, pk):
    event = _event_or_404(pk)
    check_perm(request, VIEW, event)
    text = build_calendar([calendar_event(event)], name=_("Coalition"), method="PUBLISH")
    return _ics_response(text, f"event-{event.pk}.ics")


# --- Agenda --------------------------------------------------------------------------


def _agenda_context(request, event: Event, form: AgendaItemForm | None = None) -> dict:
    """The items, and the live content of the automatic ones (only what the
    user may see: minutes, representations and agreements of other events;
    the PDF shows the same, from the same selector)."""
    items = selectors.agenda(event)
    user = request.user
    frozen = selectors.records_frozen(event)
    can_edit = user.has_perm(MANAGE) and not (event.agenda_approved or event.is_cancelled or frozen)
    return {
        "event": event,
        "active": "agenda",
        "items": items,
        "total_minutes": sum(item.duration_minutes or 0 for item in items),
        "live": selectors.agenda_live(event, user),
        "can_edit": can_edit,
        "frozen": frozen,
        "form": form if form is not None else (AgendaItemForm() if can_edit else None),
    }


def _agenda_is_closed(event: Event) -> bool:
    return event.agenda_approved or event.is_cancelled or selectors.records_frozen(event)


def _agenda_closed(request, event: Event) -> HttpResponse:
    if event.is_cancelled:
        messages.error(request, _("This event was cancelled."))
    elif event.agenda_approved:
        messages.error(request, _("The agenda is approved: it cannot change any more."))
    else:
        messages.error(request, RECORDS_FROZEN)
    return redirect("meetings:agenda", pk=event.pk)


def _added_item(item: AgendaItem) -> str:
    return _("The item “%(title)s” was added.") % {"title": item.title}


@require_http_methods(["GET", "POST"])
@permission_required(VIEW_MEETINGS)
def agenda(request, pk):
    """The agenda; for the Presidency and the Secretariat, until it is
    approved, the form that adds an item (with an optional document)."""
    event = _event_or_404(pk)
    check_perm(request, VIEW, event)
    form = None
    if request.method == "POST":
        check_perm(request, MANAGE)
        if _agenda_is_closed(event):
            return _agenda_closed(request, event)
        form = AgendaItemForm(request.POST, request.FILES)
        added = submit(
            request,
            lambda: agenda_actions.add_agenda_item(
                actor=request.user, event=event, **form.item_fields()
            ),
            form=form,
            done=_added_item,
        )
        if added:
            return redirect(_item_url(added.value))
        event.refresh_from_db()
        if _agenda_is_closed(event):  # approved meanwhile
            return _agenda_closed(request, event)
    return render(request, "meetings/agenda.html", _agenda_context(request, event, form))


def _item_url(item: AgendaItem) -> str:
    return reverse("meetings:agenda", args=[item.event_id]) + f"#item-{item.pk}"


@require_http_methods(["GET", "POST"])
@permission_required(MANAGE)
def agenda_item(request, pk):
    """An item of an agenda not yet approved; two people editing it at once:
    the second save is refused with what they typed kept."""
    item = get_object_or_404(
        AgendaItem.objects.select_related("event__country").prefetch_related("attachments"), pk=pk
    )
    if _agenda_is_closed(item.event):
        return _agenda_closed(request, item.event)
    form = AgendaItemForm(request.POST or None, request.FILES or None, item=item)
    if request.method == "POST":
        saved = submit(
            request,
            lambda: agenda_actions.update_agenda_item(
                actor=request.user, item=item, **form.item_fields()
            ),
            form=form,
            done=_("The item was saved."),
        )
        if saved:
            return redirect(_item_url(saved.value))
    context = {"event": item.event, "item": item, "form": form, "active": "agenda"}
    return render(request, "meetings/agenda_item.html", context)


def _item_step(request, item: AgendaItem, operation: str) -> None:
    if operation == "remove":
        agenda_actions.remove_agenda_item(actor=request.user, item=item)
    else:
        offset = -1 if operation == "up" else 1
        agenda_actions.move_agenda_item(actor=request.user, item=item, offset=offset)


@require_POST
@permission_required(MANAGE)
def agenda_item_action(request, pk, operation):
    if operation not in ("up", "down", "remove"):
        raise Http404(_("Unknown operation on an agenda item."))
    item = get_object_or_404(AgendaItem.objects.select_related("event"), pk=pk)
    removing = operation == "remove"
    done = _("The item “%(title)s” was removed.") % {"title": item.title} if removing else ""
    if submit(request, lambda: _item_step(request, item, operation), done=done) and removing:
        return redirect("meetings:agenda", pk=item.event_id)
    return redirect(_item_url(item))


@require_POST
@permission_required(MANAGE)
def approve_agenda(request, pk):
    event = _event_or_404(pk)
    submit(
        request,
        lambda: agenda_actions.approve_agenda(actor=request.user, event=event),
        done=_("The agenda was approved; the members are told by e-mail."),
    )
    return redirect("meetings:agenda", pk=event.pk)


def _agenda_filename(event: Event) -> str:
    if event.is_meeting:
        return f"agenda-{event.code_prefix}-{event.local_date.year}.pdf"
    return f"agenda-{event.kind}-{event.local_date.isoformat()}.pdf"


@permission_required(VIEW_MEETINGS)
def agenda_pdf(request, pk):
    event = _event_or_404(pk)
    check_perm(request, VIEW, event)
    try:
        content = documents.agenda_pdf(event, user=request.user)
    except PdfError as error:
        logger.error("The PDF of the agenda of event %s could not be produced: %s", event.pk, error)
        messages.error(request, _("The PDF of the agenda could not be produced."))
        return redirect("meetings:agenda", pk=event.pk)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, _agenda_filename(event))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def download_attachment(request, pk):
    """A file attached to an agenda item, a country report or a follow-up
    entry, as an attachment, never rendered by the browser."""
    attachment = get_object_or_404(
        Attachment.objects.select_related(
            "agenda_item__event", "country_report__event", "follow_up__agreement__event"
        ),
        pk=pk,
    )
    check_perm(request, VIEW_ATTACHMENT, attachment)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from the server.")) from None
    return protected_download(
        actor=request.user,
        content=handle,
        filename=download_name(attachment.original_name, attachment.content_type),
        content_type=attachment.content_type,
        target=attachment.original_name,
        detail={"attachment": attachment.pk},
    )


# --- Personal calendar feed and e-mail choices -------------------------------------------


def _my_calendar_page(request, *, feed_url: str = "", form=None) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    if form is None:
        chosen = preferences_of(request.user)
        form = NotificationSettingsForm(
            initial={
                name: chosen[f"meetings.{name}"] for name in NotificationSettingsForm.base_fields
            }
        )
    response = render(
        request,
        "meetings/my_calendar.html",
        {"feed": feed, "feed_url": feed_url, "form": form},
    )
    if feed_url:
        response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@permission_required(USE_CALENDAR)
def my_calendar(request):
    """The private calendar address (shown once, when created) and the
    choice of optional e-mails."""
    if request.method == "GET":
        return _my_calendar_page(request)
    action = request.POST.get("action", "")
    if action == "create":
        token = create_calendar_feed(actor=request.user)
        url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token]))
        return _my_calendar_page(request, feed_url=url)
    if action == "revoke":
        if revoke_calendar_feeds(actor=request.user):
            messages.success(request, _("Your calendar address was revoked: it no longer works."))
        return redirect("meetings:my_calendar")
    if action == "notifications":
        form = NotificationSettingsForm(request.POST)
        if not form.is_valid():
            return _my_calendar_page(request, form=form)
        save_notification_settings(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Your e-mail choices were saved."))
        return redirect("meetings:my_calendar")
    messages.error(request, _("Unknown request; nothing was changed."))
    return redirect("meetings:my_calendar")


@require_safe
def calendar_feed(request, token):
    """The private feed: no sign-in, the token is the key. The events its
    owner may see, from a year ago on."""
    feed = selectors.find_calendar_feed(token=token)
    if feed is None:
        raise Http404(_("There is no calendar at this address."))
    now = timezone.now()
    events = (
        selectors.visible_events(feed.user)
        .filter(start__gte=now - FEED_PAST)
        .order_by("start", "pk")
    )
    text = build_calendar(
        [calendar_event(event) for event in events], name="Coalición", method="PUBLISH"
    )
    record_calendar_feed_use(feed=feed, now=now)
    return _ics_response(text)
