"""Minutes (actas): drafted, edited, circulated, commented, approved, corrected."""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalicion.core.actions import check_version
from coalicion.core.uploads import atomic_with_files, save_file
from coalicion.meetings import notices, selectors
from coalicion.meetings.actions.common import (
    check_meeting,
    check_not_cancelled,
    check_quorum,
    locked,
)
from coalicion.meetings.models import (
    Event,
    Minutes,
    MinutesComment,
)


def prefilled_minutes(event: Event) -> str:
    """The text the Secretariat starts from: agenda, attendance, quorum,
    decisions, agreements (in the language of the Coalition's records)."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "meetings/minutes_prefill.txt",
            {
                "event": event,
                "agenda": selectors.agenda(event),
                "register": selectors.attendance_register(event),
                "observers": list(
                    event.observer_attendance.filter(present=True).select_related("organisation")
                ),
                "quorum": selectors.latest_quorum_check(event),
                "decisions": list(
                    event.decisions.prefetch_related("objections__country", "tallies")
                ),
                "agreements": list(
                    event.agreements.select_related("country", "organ", "committee")
                ),
                "country_reports": list(event.country_reports.select_related("country")),
                "previous": selectors.previous_meeting(event),
                "previous_minutes": selectors.previous_minutes_record(event),
            },
        ).strip()


@transaction.atomic
def draft_minutes(*, actor, event: Event) -> Minutes:
    event = locked(Event, event.pk)
    check_meeting(event)
    check_not_cancelled(event)
    if event.minutes.filter(corrects__isnull=True).exists():
        raise ValidationError(_("This meeting already has its minutes."), code="exists")
    return Minutes.objects.create(event=event, body=prefilled_minutes(event), drafted_by=actor)


def _check_editable(minutes: Minutes) -> None:
    if minutes.is_frozen:
        raise ValidationError(
            _("Approved minutes are frozen. A correction is a new document linked to them."),
            code="frozen",
        )


@transaction.atomic
def save_minutes(*, actor, minutes: Minutes, body: str, version: int | None) -> Minutes:
    minutes = locked(Minutes, minutes.pk)
    _check_editable(minutes)
    check_version(minutes, version)
    if not body.strip():
        raise ValidationError({"body": _("The minutes cannot be empty.")})
    minutes.body = body
    minutes.version += 1
    minutes.save()
    return minutes


@transaction.atomic
def circulate_minutes(*, actor, minutes: Minutes) -> Minutes:
    """Sent to the members for comment; it can still be edited until approved."""
    minutes = locked(Minutes, minutes.pk)
    _check_editable(minutes)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("These minutes were already circulated."), code="circulated")
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.version += 1
    minutes.save()
    notices.queue_minutes_circulated(minutes=minutes)
    return minutes


@transaction.atomic
def comment_on_minutes(*, actor, minutes: Minutes, text: str, country=None) -> MinutesComment:
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Comments are taken while the minutes are circulated."))
    if not text.strip():
        raise ValidationError({"text": _("Write your comment.")})
    return MinutesComment.objects.create(
        minutes=minutes, author=actor, country=country, text=text.strip()
    )


@atomic_with_files
def approve_minutes(*, actor, minutes: Minutes, at_event: Event) -> Minutes:
    """Approved at a later meeting that has quorum; then frozen, with a PDF
    stored with its SHA-256."""
    from coalicion.meetings import documents

    minutes = locked(Minutes, minutes.pk)
    _check_editable(minutes)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Minutes are circulated for comment before they are approved."))
    if at_event.start <= minutes.event.start:
        raise ValidationError(_("Minutes are approved at a later meeting."))
    at_event = locked(Event, at_event.pk)
    check_not_cancelled(at_event)
    check_quorum(at_event)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = actor
    minutes.approved_at_event = at_event
    # The frozen copy is in the language of the Coalition's records, whoever approves.
    with translation.override(settings.LANGUAGE_CODE):
        pdf = documents.minutes_pdf(minutes)
    digest = hashlib.sha256(pdf).hexdigest()
    minutes.pdf_sha256 = digest
    # No stored file without its approved minutes: the step's files are
    # removed if it fails (a full disk included).
    save_file(minutes.pdf, f"{minutes.event.code_prefix}-{digest[:12]}.pdf", ContentFile(pdf))
    minutes.version += 1
    minutes.save()
    return minutes


@transaction.atomic
def correct_minutes(*, actor, minutes: Minutes) -> Minutes:
    """A correction of approved minutes: a new document, linked to them,
    with their text to start from; it follows the same lifecycle."""
    minutes = locked(Minutes, minutes.pk)
    if not minutes.is_frozen:
        raise ValidationError(_("Minutes that are not approved yet are edited, not corrected."))
    if minutes.corrections.exclude(status=Minutes.Status.APPROVED).exists():
        raise ValidationError(
            _("A correction of these minutes is already in preparation: complete that one."),
            code="correction_open",
        )
    return Minutes.objects.create(
        event=minutes.event, corrects=minutes, body=minutes.body, drafted_by=actor
    )
