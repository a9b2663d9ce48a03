"""What the minutes of a meeting record is frozen once they are approved:
the integrity guard shared by every model of the meetings records."""

from django.db import models


class FrozenError(Exception):
    """An approved minute, or what it records, cannot change any more."""


def records_frozen(event_ids) -> bool:
    """Whether the original minutes of any of these events are approved."""
    from coalicion.meetings.models.minutes import Minutes

    return Minutes.objects.filter(
        status=Minutes.Status.APPROVED, corrects__isnull=True, event_id__in=event_ids
    ).exists()


class RecordedQuerySet(models.QuerySet):
    def _frozen(self) -> bool:
        return records_frozen(self.values(self.model.EVENT_PATH))

    def update(self, **kwargs):
        if set(kwargs) - set(self.model.MUTABLE_WHEN_FROZEN) and self._frozen():
            raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
        return super().update(**kwargs)

    def delete(self):
        if self._frozen():
            raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
        return super().delete()


class RecordedInMinutes(models.Model):
    """What the minutes of a meeting record (the event itself, its agenda,
    register, quorum, reports, decisions, votes and agreements) is frozen once
    those minutes are approved: an integrity guard that holds whatever path a
    write takes — an action, the admin, a script — like the one on `Minutes`.
    `MUTABLE_WHEN_FROZEN` names the fields that may still change (an
    agreement's status, through its follow-up)."""

    EVENT_PATH = "event"
    MUTABLE_WHEN_FROZEN: tuple[str, ...] = ()

    objects = RecordedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        only_mutable = update_fields is not None and set(update_fields) <= set(
            self.MUTABLE_WHEN_FROZEN
        )
        if not only_mutable and self._is_frozen() and self._changes_frozen_fields():
            raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._is_frozen():
            raise FrozenError("The minutes of this meeting are approved: its records are frozen.")
        return super().delete(*args, **kwargs)

    def frozen_event_id(self) -> int | None:
        if self.EVENT_PATH == "pk":
            return self.pk
        first, _sep, rest = self.EVENT_PATH.partition("__")
        related_id = getattr(self, f"{first}_id")
        if not rest or related_id is None:
            return related_id
        related = self._meta.get_field(first).related_model
        return related._base_manager.filter(pk=related_id).values_list(rest, flat=True).first()

    def _is_frozen(self) -> bool:
        """Frozen where the row points now, or where it pointed when stored
        (a row of a frozen meeting cannot be moved to another one either)."""
        event_ids = {self.frozen_event_id()}
        if self.pk is not None:
            stored = (
                type(self)._base_manager.filter(pk=self.pk).values_list(self.EVENT_PATH, flat=True)
            )
            event_ids.update(stored)
        event_ids.discard(None)
        return bool(event_ids) and records_frozen(event_ids)

    def _changes_frozen_fields(self) -> bool:
        if self.pk is None:
            return True
        stored = type(self)._base_manager.filter(pk=self.pk).first()
        if stored is None:
            return True
        return any(
            getattr(stored, field.attname) != getattr(self, field.attname)
            for field in self._meta.concrete_fields
            if field.name not in self.MUTABLE_WHEN_FROZEN and not getattr(field, "auto_now", False)
        )
