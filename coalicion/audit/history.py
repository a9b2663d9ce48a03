"""Readable change history of any domain object, from django-simple-history."""

from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import Http404

HISTORY_PAGE_SIZE = 50
# Models whose history holds personal data: members only, not observers.
PERSONAL_MODELS = {
    "membership.person",
    "membership.representation",
    "membership.observermembership",
}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    at: object
    who: str
    kind: str  # created / changed / deleted
    changes: list[Change]


def history_model(*, app_label: str, model_name: str):
    """The model named in the URL, if it keeps a history."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        raise Http404 from None
    if not hasattr(model, "history") or app_label not in {"membership", "plans", "legal"}:
        raise Http404
    return model


def _display(field: models.Field | None, value, related_names: dict) -> str:
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        return related_names.get((field.related_model, value), f"#{value}")
    if isinstance(field, models.BooleanField):
        from django.utils.translation import gettext as _

        return _("yes") if value else _("no")
    return str(value)


def object_history(*, model, pk) -> tuple[object, list[Entry]]:
    """The object (or its last recorded state if deleted) and its changes, newest first."""
    records = list(
        model.history.filter(id=pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: HISTORY_PAGE_SIZE + 1]
    )
    if not records:
        raise Http404
    # Names of related objects, fetched once per related model.
    wanted: dict = {}
    for record in records:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.ForeignKey):
                value = getattr(record, field.attname)
                if value is not None:
                    wanted.setdefault(field.related_model, set()).add(value)
    related_names = {}
    for related_model, ids in wanted.items():
        for obj in related_model._default_manager.filter(pk__in=ids):
            related_names[(related_model, obj.pk)] = str(obj)

    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    entries = []
    for index, record in enumerate(records[:HISTORY_PAGE_SIZE]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = _field(model, change.field)
                changes.append(
                    Change(
                        field=str(field.verbose_name) if field else change.field,
                        old=_display(field, change.old, related_names),
                        new=_display(field, change.new, related_names),
                    )
                )
        who = record.history_user.email if record.history_user else ""
        entries.append(
            Entry(at=record.history_date, who=who, kind=kinds[record.history_type], changes=changes)
        )
    return records[0].instance, entries


def _field(model, name):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
