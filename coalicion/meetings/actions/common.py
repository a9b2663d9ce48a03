"""The checks every meetings action shares (a meeting, not cancelled, taken
place, with quorum, records still open) and the storing of attachments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coalicion.core.uploads import atomic_with_files, store_upload
from coalicion.meetings import selectors
from coalicion.meetings.models import (
    Attachment,
    Event,
)


def locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def quorum_rule(event: Event) -> str:
    return event.quorum_rule or settings.MEETINGS_QUORUM_RULE


def check_meeting(event: Event) -> None:
    if not event.is_meeting:
        raise ValidationError(
            _("Only ordinary and extraordinary meetings have quorum, decisions and minutes."),
            code="not_a_meeting",
        )


def check_not_cancelled(event: Event) -> None:
    if event.is_cancelled:
        raise ValidationError(_("This event was cancelled."), code="cancelled")


def check_started(event: Event) -> None:
    """Attendance and quorum are taken on the day of the meeting, not before."""
    if event.local_date > timezone.localdate():
        raise ValidationError(
            _("The event has not taken place yet: its register is taken on the day."),
            code="not_started",
        )


def check_quorum(event: Event) -> None:
    """A meeting without quorum records attendance and minutes, but takes no decisions."""
    check_meeting(event)
    if selectors.quorum_outdated(event):
        raise ValidationError(
            _(
                "The attendance register changed after the last verification of quorum: "
                "verify the quorum again before the meeting takes decisions."
            ),
            code="quorum_outdated",
        )
    if not selectors.has_quorum(event):
        raise ValidationError(
            _(
                "The meeting has no quorum (see the last verification): it cannot take "
                "decisions. Verify the quorum once enough member countries are present."
            ),
            code="no_quorum",
        )


def check_records_open(event: Event) -> None:
    """What the approved minutes of a meeting record cannot change any more."""
    if selectors.records_frozen(event):
        raise ValidationError(
            _(
                "The minutes of this meeting are approved and frozen: what they record cannot "
                "change. A correction is a new document linked to them."
            ),
            code="frozen",
        )


@atomic_with_files
def attach_file(
    *, actor, uploaded, content_type: str, agenda_item=None, country_report=None, follow_up=None
) -> Attachment:
    """Store an already-checked upload (`coalicion.core.uploads.check_upload`)."""
    attachment = Attachment(
        agenda_item=agenda_item,
        country_report=country_report,
        follow_up=follow_up,
        content_type=content_type,
    )
    store_upload(attachment, uploaded, user=actor)
    attachment.save()
    return attachment


def attach_files(*, actor, uploads, **owner) -> list[Attachment]:
    """Every checked upload of a step ((file, content type) pairs), attached
    to the same owner (`agenda_item=`, `country_report=` or `follow_up=`)."""
    return [
        attach_file(actor=actor, uploaded=uploaded, content_type=content_type, **owner)
        for uploaded, content_type in uploads
    ]
