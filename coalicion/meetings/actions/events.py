"""Events and their convocation, update and cancellation."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalicion.core.actions import Problems, check_version
from coalicion.meetings import notices, selectors
from coalicion.meetings.actions.common import (
    check_not_cancelled,
    locked,
)
from coalicion.meetings.models import (
    AgendaItem,
    Event,
)

EVENT_FIELDS = (
    "kind",
    "number",
    "title",
    "title_en",
    "description",
    "start",
    "end",
    "country",
    "city",
    "venue",
    "is_virtual",
    "virtual_url",
    "organiser",
    "open_to_observers",
    "report",
)


def _validate_event(event: Event) -> None:
    errors = event.rule_errors()
    if event.is_meeting and event.number:
        clash = Event.objects.filter(kind=event.kind, number=event.number).exclude(pk=event.pk)
        if clash.exists():
            errors["number"] = _("There is already a meeting of this kind with number %(n)s.") % {
                "n": event.number
            }
    if errors:
        raise ValidationError(errors)


def _automatic_items(event: Event) -> list[tuple[str, str]]:
    """The fixed items of a meeting's agenda, in the order of the plan's
    functions of the Presidency (quorum, agenda, previous minutes)."""
    kinds = AgendaItem.Kind
    return [
        (kinds.QUORUM, str(kinds.QUORUM.label)),
        (kinds.AGENDA, str(kinds.AGENDA.label)),
        (kinds.PREVIOUS_MINUTES, str(kinds.PREVIOUS_MINUTES.label)),
        (kinds.REPRESENTATIONS, str(kinds.REPRESENTATIONS.label)),
        (kinds.COUNTRY_REPORTS, str(kinds.COUNTRY_REPORTS.label)),
        (kinds.AGREEMENTS, str(kinds.AGREEMENTS.label)),
    ]


@transaction.atomic
def create_event(*, actor, activities=(), **fields) -> Event:
    """A new event; a meeting starts with its fixed agenda items (titles in
    Spanish, the language of the Coalition's records)."""
    check_event(event=None, fields=fields)
    event = Event(created_by=actor, **{k: v for k, v in fields.items() if k in EVENT_FIELDS})
    event.save()
    if activities:
        event.activities.set(activities)
    if event.is_meeting:
        with translation.override(settings.LANGUAGE_CODE):
            for order, (kind, title) in enumerate(_automatic_items(event), start=1):
                AgendaItem.objects.create(event=event, order=order, kind=kind, title=title)
    return event


def _sketch(event: Event | None, fields: dict) -> Event:
    """An unsaved event with `fields` over `event`'s values (a new one
    without `event`), for the rules; `event` itself is left untouched."""
    values = {} if event is None else {name: getattr(event, name) for name in EVENT_FIELDS}
    values |= {name: value for name, value in fields.items() if name in EVENT_FIELDS}
    return Event(pk=None if event is None else event.pk, **values)


def check_event(*, event: Event | None, fields: dict, activities=None) -> None:
    """Every reason `create_event` (`event` None) or `update_event` refuses
    `fields`, raised together: a cancelled event, a meeting turned into
    another kind, approved minutes, a meeting's identity its agreements or
    register depend on, its dates, number and place (`Event.rule_errors`)
    and a number already taken. The event form runs it beside its own
    rules with the fields that passed them; a field left out keeps the
    event's value."""
    problems = Problems()
    sketch = _sketch(event, fields)
    if event is not None:
        problems.run(check_not_cancelled, event)
        if sketch.kind != event.kind and event.is_meeting != sketch.is_meeting:
            problems.add(
                "kind", _("A meeting cannot become another kind of event, nor the reverse.")
            )
        changed = {name for name in EVENT_FIELDS if getattr(sketch, name) != getattr(event, name)}
        if selectors.records_frozen(event):
            new_activities = activities is not None and {a.pk for a in activities} != set(
                event.activities.values_list("pk", flat=True)
            )
            if new_activities or changed - set(Event.MUTABLE_WHEN_FROZEN):
                problems.add(
                    None,
                    _(
                        "The minutes of this meeting are approved: only its English title, its "
                        "description and whether observers see it can still change."
                    ),
                    code="frozen",
                )
        before = {name: getattr(event, name) for name in EVENT_FIELDS}
        problems.run(_check_identity_kept, sketch, before, changed)
    problems.run(_validate_event, sketch)
    problems.raise_all()


@transaction.atomic
def update_event(*, actor, event: Event, version: int | None, activities=None, **fields) -> Event:
    event = locked(Event, event.pk)
    check_version(event, version)
    check_event(event=event, fields=fields, activities=activities)
    before = {name: getattr(event, name) for name in EVENT_FIELDS}
    for name, value in fields.items():
        if name in EVENT_FIELDS:
            setattr(event, name, value)
    changed = {name for name in EVENT_FIELDS if getattr(event, name) != before[name]}
    event.version += 1
    event.save()
    if activities is not None:
        event.activities.set(activities)
    if event.status == Event.Status.CONVENED and changed & CONVOCATION_FIELDS:
        notices.queue_convocation(event=event, update=True)
    return event


# A convened event's members are told again only when these change.
CONVOCATION_FIELDS = {"start", "end", "country", "city", "venue", "is_virtual", "virtual_url"}


def _check_identity_kept(event: Event, before: dict, changed: set) -> None:
    """Agreements carry the meeting's kind, number and year in their numbers;
    the register was taken for the member countries of its date."""
    errors = {}
    old_year = timezone.localtime(before["start"]).year
    renumbered = {"kind", "number"} & changed or old_year != event.local_date.year
    if renumbered and event.agreements.exists():
        errors["number"] = _(
            "This meeting has agreements numbered after its kind, number and year: "
            "those cannot change any more."
        )
    if event.attendance.exists() and "start" in changed:
        old_day = timezone.localtime(before["start"]).date()
        if old_day != event.local_date:
            errors["start"] = _(
                "The attendance register of this meeting is taken: its date cannot change."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def convene_event(*, actor, event: Event) -> Event:
    """The Presidency convenes: invitations go by e-mail with an .ics file."""
    event = locked(Event, event.pk)
    check_not_cancelled(event)
    if event.status != Event.Status.PLANNED:
        raise ValidationError(_("This event was already convened."), code="convened")
    event.status = Event.Status.CONVENED
    event.convened_at = timezone.now()
    event.convened_by = actor
    event.version += 1
    event.save()
    notices.queue_convocation(event=event)
    return event


def check_cancellation(event: Event, reason: str | None) -> None:
    """Every reason `cancel_event` refuses, raised together: cancelled
    already, no reason (None: it failed the form's rules), taken place.
    The cancellation form runs it beside its own rules."""
    problems = Problems()
    problems.run(check_not_cancelled, event)
    if reason is not None and not reason.strip():
        problems.add("reason", _("Say why the event is cancelled."))
    if event.decisions.exists() or event.attendance.exists():
        problems.add(
            None,
            _("This event already has attendance or decisions recorded: it took place."),
            code="held",
        )
    problems.raise_all()


@transaction.atomic
def cancel_event(*, actor, event: Event, reason: str) -> Event:
    event = locked(Event, event.pk)
    check_cancellation(event, reason)
    was_convened = event.status == Event.Status.CONVENED
    event.status = Event.Status.CANCELLED
    event.description = (event.description + "\n\n" + reason.strip()).strip()
    event.version += 1
    event._change_reason = reason.strip()[:100]
    event.save()
    if was_convened:
        notices.queue_cancellation(event=event)
    return event
