"""The agenda of an event: its items, their order, and its approval."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coalicion.core.actions import check_version
from coalicion.core.uploads import atomic_with_files
from coalicion.meetings import notices, selectors
from coalicion.meetings.actions.common import (
    attach_files,
    check_not_cancelled,
    check_quorum,
    check_records_open,
    locked,
)
from coalicion.meetings.models import (
    AgendaItem,
    Event,
)


def _check_agenda_open(event: Event) -> None:
    if event.agenda_approved:
        raise ValidationError(
            _("The agenda is approved: it cannot change any more."), code="agenda_approved"
        )


def _open_agenda(event_id: int) -> Event:
    """The event, locked, whose agenda may still change."""
    event = locked(Event, event_id)
    check_not_cancelled(event)
    check_records_open(event)
    _check_agenda_open(event)
    return event


@atomic_with_files
def add_agenda_item(
    *,
    actor,
    event: Event,
    title: str,
    presenter: str = "",
    duration_minutes=None,
    notes: str = "",
    uploads=(),
) -> AgendaItem:
    """A new item at the end of the agenda, with its documents (`uploads`:
    (file, content type) pairs already checked), saved together."""
    event = _open_agenda(event.pk)
    last = event.agenda_items.aggregate(m=Max("order"))["m"] or 0
    item = AgendaItem.objects.create(
        event=event,
        order=last + 1,
        title=title,
        presenter=presenter,
        duration_minutes=duration_minutes,
        notes=notes,
    )
    attach_files(actor=actor, uploads=uploads, agenda_item=item)
    return item


@atomic_with_files
def update_agenda_item(
    *, actor, item: AgendaItem, version: int | None = None, uploads=(), **fields
) -> AgendaItem:
    """`version` is the item's version the form was opened on: an item
    saved by someone else meanwhile is refused (`StaleEdit`)."""
    _open_agenda(item.event_id)
    item = locked(AgendaItem, item.pk)
    check_version(item, version)
    for name in ("title", "presenter", "duration_minutes", "notes"):
        if name in fields:
            setattr(item, name, fields[name])
    item.version += 1
    item.save()
    attach_files(actor=actor, uploads=uploads, agenda_item=item)
    return item


@transaction.atomic
def remove_agenda_item(*, actor, item: AgendaItem) -> None:
    event = _open_agenda(item.event_id)
    item = locked(AgendaItem, item.pk)
    if item.is_automatic:
        raise ValidationError(
            _(
                "The fixed items of a meeting (quorum, agenda, previous minutes, reports, "
                "pending agreements) stay on the agenda."
            ),
            code="fixed_item",
        )
    item.delete()
    _renumber(event)


def _renumber(event: Event) -> None:
    for order, item in enumerate(event.agenda_items.order_by("order", "pk"), start=1):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])


@transaction.atomic
def move_agenda_item(*, actor, item: AgendaItem, offset: int) -> None:
    event = _open_agenda(item.event_id)
    items = list(event.agenda_items.order_by("order", "pk"))
    index = next(i for i, it in enumerate(items) if it.pk == item.pk)
    target = index + (1 if offset > 0 else -1)
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
    for order, it in enumerate(items, start=1):
        if it.order != order:
            it.order = order
            it.save(update_fields=["order"])


@transaction.atomic
def approve_agenda(*, actor, event: Event) -> Event:
    """Approved at the start of the meeting (after the verification of
    quorum): the pending agreements it carries over are fixed then."""
    event = _open_agenda(event.pk)
    if event.is_meeting:
        check_quorum(event)
        event.carried_agreements.set(selectors.open_agreements_before(event))
    event.agenda_approved_at = timezone.now()
    if event.status in (Event.Status.PLANNED, Event.Status.CONVENED):
        event.status = Event.Status.HELD
    event.version += 1
    event.save()
    notices.queue_agenda_approved(event=event)
    return event
