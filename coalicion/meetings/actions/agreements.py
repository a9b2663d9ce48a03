"""Agreements (acuerdos) and their follow-up."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from coalicion.core.actions import Problems, check_version
from coalicion.core.uploads import atomic_with_files
from coalicion.meetings.actions.common import (
    attach_files,
    check_not_cancelled,
    check_quorum,
    check_records_open,
    locked,
)
from coalicion.meetings.models import (
    Agreement,
    Decision,
    Event,
    FollowUp,
)
from coalicion.plans.parties import PartyKind

# The field that names the responsible party of each kind an agreement takes.
RESPONSIBLE_FIELD = {
    PartyKind.COUNTRY: "country",
    PartyKind.ORGAN: "organ",
    PartyKind.COMMITTEE: "committee",
}


def _responsible_problem(kind: str, named: dict) -> tuple[str, str] | None:
    """(field, message) when the responsible party is not named, else None."""
    if kind not in RESPONSIBLE_FIELD:
        return ("responsible_kind", _("Choose who is responsible."))
    name = RESPONSIBLE_FIELD[kind]
    if named[name] is not None:
        return None
    messages = {
        "country": _("Choose the responsible country."),
        "organ": _("Choose the responsible organ."),
        "committee": _("Choose the responsible working committee."),
    }
    return (name, messages[name])


def _responsible_fields(kind: str, country, organ, committee) -> dict:
    """The party of `kind` kept, the other two emptied."""
    name = RESPONSIBLE_FIELD[kind]
    named = {"country": country, "organ": organ, "committee": committee}
    return {field: value if field == name else None for field, value in named.items()}


def check_agreement(
    *,
    event: Event,
    text: str | None,
    responsible_kind: str | None,
    country=None,
    organ=None,
    committee=None,
    decision: Decision | None = None,
    creating: bool = True,
) -> None:
    """Every reason `create_agreement` (`creating`) or `update_agreement`
    refuses an agreement of `event`, raised together: cancelled, frozen, no
    quorum, no text, no responsible party, a decision of another meeting.
    The agreement form runs it beside its own rules; None (`text`,
    `responsible_kind`) is a value that failed there, and its rule is skipped."""
    problems = Problems()
    if creating:
        problems.run(check_not_cancelled, event)
    problems.run(check_records_open, event)
    if creating:
        problems.run(check_quorum, event)
    if text is not None and not text.strip():
        problems.add("text", _("Write the text of the agreement."))
    if decision is not None and decision.event_id != event.pk:
        problems.add("decision", _("This decision belongs to another meeting."))
    if responsible_kind is not None:
        named = {"country": country, "organ": organ, "committee": committee}
        missing = _responsible_problem(responsible_kind, named)
        if missing is not None:
            problems.add(*missing)
    problems.raise_all()


@transaction.atomic
def create_agreement(
    *,
    actor,
    event: Event,
    text: str,
    responsible_kind: str,
    country=None,
    organ=None,
    committee=None,
    due: datetime.date | None = None,
    decision: Decision | None = None,
) -> Agreement:
    """Numbered per meeting: R12-2019-03 is the third agreement of the 12th
    ordinary meeting, held in 2019 (RE for extraordinary meetings)."""
    event = locked(Event, event.pk)
    check_agreement(
        event=event,
        text=text,
        responsible_kind=responsible_kind,
        country=country,
        organ=organ,
        committee=committee,
        decision=decision,
    )
    responsible = _responsible_fields(responsible_kind, country, organ, committee)
    sequence = (event.agreements.aggregate(m=Max("sequence"))["m"] or 0) + 1
    code = f"{event.code_prefix}-{event.local_date.year}-{sequence:02d}"
    return Agreement.objects.create(
        event=event,
        sequence=sequence,
        code=code,
        text=text.strip(),
        kind=responsible_kind,
        due=due,
        decision=decision,
        created_by=actor,
        **responsible,
    )


@transaction.atomic
def update_agreement(
    *,
    actor,
    agreement: Agreement,
    text: str,
    responsible_kind: str,
    country=None,
    organ=None,
    committee=None,
    due=None,
    version: int | None = None,
) -> Agreement:
    agreement = locked(Agreement, agreement.pk)
    check_records_open(agreement.event)
    check_version(agreement, version)
    check_agreement(
        event=agreement.event,
        text=text,
        responsible_kind=responsible_kind,
        country=country,
        organ=organ,
        committee=committee,
        creating=False,
    )
    for name, value in _responsible_fields(responsible_kind, country, organ, committee).items():
        setattr(agreement, name, value)
    agreement.text = text.strip()
    agreement.kind = responsible_kind
    agreement.due = due
    agreement.version += 1
    agreement.save()
    return agreement


RESPONSIBLE_STATUSES = (Agreement.Status.IN_PROGRESS, Agreement.Status.FULFILLED)


@atomic_with_files
def add_follow_up(
    *,
    actor,
    agreement: Agreement,
    date: datetime.date,
    text: str,
    status: str = "",
    by_secretariat: bool = False,
    uploads=(),
) -> FollowUp:
    """A follow-up entry, with evidence (`uploads`: (file, content type)
    pairs already checked). The status of an agreement changes only here;
    only the Secretariat cancels or reopens an agreement."""
    agreement = locked(Agreement, agreement.pk)
    if not text.strip():
        raise ValidationError({"text": _("Write what was done.")})
    date_error = agreement.follow_up_date_error(date, changes_status=bool(status))
    if date_error:
        raise ValidationError({"date": date_error})
    if status and status not in Agreement.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if (
        status
        and not by_secretariat
        and (status not in RESPONSIBLE_STATUSES or not agreement.is_open)
    ):
        raise ValidationError(
            {
                "status": _(
                    "The responsible party marks an open agreement in progress or fulfilled; "
                    "only the Technical Secretariat cancels or reopens one."
                )
            }
        )
    entry = FollowUp.objects.create(
        agreement=agreement, date=date, text=text.strip(), status=status, author=actor
    )
    attach_files(actor=actor, uploads=uploads, follow_up=entry)
    if status:
        # Never dated before the last change (checked above), this entry is
        # the latest one, as `selectors.status_on` replays them for any day.
        agreement.status = status
        agreement.closed_on = date if status not in Agreement.OPEN else None
        agreement.save(update_fields=["status", "closed_on"])
    return entry
