"""Every write of the meetings module: events and convocation, agenda,
attendance and quorum, country reports, decisions and votes, minutes,
agreements and their follow-up.

Each action is atomic; what it changes is kept by django-simple-history
(who, when, old and new values) and the e-mails it causes go to the outbox
(`coalicion.meetings.notifications`), sent once the transaction commits.
Permission checks are the views' (and the API's) job; the rules that hold
whoever writes — quorum before decisions, frozen minutes, one vote per
present country — are enforced here.
"""

import datetime
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from coalicion.core.actions import check_version
from coalicion.core.i18n import localized
from coalicion.core.uploads import store_upload
from coalicion.meetings import counting, notifications, selectors
from coalicion.meetings.models import (
    AgendaItem,
    Agreement,
    Attachment,
    Attendance,
    Ballot,
    CalendarFeed,
    CountryReport,
    Decision,
    Event,
    FollowUp,
    Minutes,
    MinutesComment,
    NotificationSettings,
    Objection,
    ObserverAttendance,
    QuorumCheck,
    Tally,
)
from coalicion.membership.models import Country, Person, Representation

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


def _locked(model, pk):
    return model.objects.select_for_update().get(pk=pk)


def quorum_rule(event: Event) -> str:
    return event.quorum_rule or settings.MEETINGS_QUORUM_RULE


def _check_meeting(event: Event) -> None:
    if not event.is_meeting:
        raise ValidationError(
            _("Only ordinary and extraordinary meetings have quorum, decisions and minutes."),
            code="not_a_meeting",
        )


def _check_not_cancelled(event: Event) -> None:
    if event.is_cancelled:
        raise ValidationError(_("This event was cancelled."), code="cancelled")


def _check_started(event: Event) -> None:
    """Attendance and quorum are taken on the day of the meeting, not before."""
    if event.local_date > timezone.localdate():
        raise ValidationError(
            _("The event has not taken place yet: its register is taken on the day."),
            code="not_started",
        )


def _check_quorum(event: Event) -> None:
    """A meeting without quorum records attendance and minutes, but takes no decisions."""
    _check_meeting(event)
    if not selectors.has_quorum(event):
        raise ValidationError(
            _(
                "The meeting has no quorum (see the last verification): it cannot take "
                "decisions. Verify the quorum once enough member countries are present."
            ),
            code="no_quorum",
        )


def _check_records_open(event: Event) -> None:
    """What the approved minutes of a meeting record cannot change any more."""
    if selectors.records_frozen(event):
        raise ValidationError(
            _(
                "The minutes of this meeting are approved and frozen: what they record cannot "
                "change. A correction is a new document linked to them."
            ),
            code="frozen",
        )


# --- Events and convocation ------------------------------------------------


def _validate_event(event: Event) -> None:
    errors = {}
    if event.end < event.start:
        errors["end"] = _("The event cannot end before it starts.")
    if event.is_meeting and not event.number:
        errors["number"] = _("An ordinary or extraordinary meeting needs its number.")
    if not event.is_meeting and event.number:
        errors["number"] = _("Only ordinary and extraordinary meetings are numbered.")
    if event.is_meeting and event.number:
        clash = Event.objects.filter(kind=event.kind, number=event.number).exclude(pk=event.pk)
        if clash.exists():
            errors["number"] = _("There is already a meeting of this kind with number %(n)s.") % {
                "n": event.number
            }
    if event.is_virtual and not event.virtual_url and not event.city:
        errors["virtual_url"] = _("Give the address of the virtual room.")
    if not event.is_virtual and not (event.country_id or event.city):
        errors["country"] = _("Give the country and city, or mark the event as virtual.")
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
def create_event(*, user, activities=(), **fields) -> Event:
    """A new event; a meeting starts with its fixed agenda items (titles in
    Spanish, the language of the Coalition's records)."""
    event = Event(created_by=user, **{k: v for k, v in fields.items() if k in EVENT_FIELDS})
    _validate_event(event)
    event.save()
    if activities:
        event.activities.set(activities)
    if event.is_meeting:
        with translation.override(settings.LANGUAGE_CODE):
            for order, (kind, title) in enumerate(_automatic_items(event), start=1):
                AgendaItem.objects.create(event=event, order=order, kind=kind, title=title)
    return event


@transaction.atomic
def update_event(*, user, event: Event, version: int | None, activities=None, **fields) -> Event:
    event = _locked(Event, event.pk)
    check_version(event, version)
    _check_not_cancelled(event)
    changes_kind = "kind" in fields and fields["kind"] != event.kind
    if changes_kind and event.is_meeting != (fields["kind"] in Event.MEETING_KINDS):
        raise ValidationError(
            {"kind": _("A meeting cannot become another kind of event, nor the reverse.")}
        )
    before = {name: getattr(event, name) for name in EVENT_FIELDS}
    for name, value in fields.items():
        if name in EVENT_FIELDS:
            setattr(event, name, value)
    changed = {name for name in EVENT_FIELDS if getattr(event, name) != before[name]}
    if selectors.records_frozen(event):
        new_activities = activities is not None and {a.pk for a in activities} != set(
            event.activities.values_list("pk", flat=True)
        )
        if new_activities or changed - set(Event.MUTABLE_WHEN_FROZEN):
            raise ValidationError(
                _(
                    "The minutes of this meeting are approved: only its English title, its "
                    "description and whether observers see it can still change."
                ),
                code="frozen",
            )
    _check_identity_kept(event, before, changed)
    _validate_event(event)
    event.version += 1
    event.save()
    if activities is not None:
        event.activities.set(activities)
    if event.status == Event.Status.CONVENED and changed & CONVOCATION_FIELDS:
        notifications.queue_convocation(event=event, update=True)
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
def convene_event(*, user, event: Event) -> Event:
    """The Presidency convenes: invitations go by e-mail with an .ics file."""
    event = _locked(Event, event.pk)
    _check_not_cancelled(event)
    if event.status != Event.Status.PLANNED:
        raise ValidationError(_("This event was already convened."), code="convened")
    event.status = Event.Status.CONVENED
    event.convened_at = timezone.now()
    event.convened_by = user
    event.version += 1
    event.save()
    notifications.queue_convocation(event=event)
    return event


@transaction.atomic
def cancel_event(*, user, event: Event, reason: str) -> Event:
    event = _locked(Event, event.pk)
    _check_not_cancelled(event)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the event is cancelled.")})
    if event.decisions.exists() or event.attendance.exists():
        raise ValidationError(
            _("This event already has attendance or decisions recorded: it took place."),
            code="held",
        )
    was_convened = event.status == Event.Status.CONVENED
    event.status = Event.Status.CANCELLED
    event.description = (event.description + "\n\n" + reason.strip()).strip()
    event.version += 1
    event._change_reason = reason.strip()[:100]
    event.save()
    if was_convened:
        notifications.queue_cancellation(event=event)
    return event


# --- Agenda ----------------------------------------------------------------


def _check_agenda_open(event: Event) -> None:
    if event.agenda_approved:
        raise ValidationError(
            _("The agenda is approved: it cannot change any more."), code="agenda_approved"
        )


def _open_agenda(event_id: int) -> Event:
    """The event, locked, whose agenda may still change."""
    event = _locked(Event, event_id)
    _check_not_cancelled(event)
    _check_records_open(event)
    _check_agenda_open(event)
    return event


@transaction.atomic
def add_agenda_item(
    *, user, event: Event, title: str, presenter: str = "", duration_minutes=None, notes: str = ""
) -> AgendaItem:
    event = _open_agenda(event.pk)
    last = event.agenda_items.aggregate(m=Max("order"))["m"] or 0
    return AgendaItem.objects.create(
        event=event,
        order=last + 1,
        title=title,
        presenter=presenter,
        duration_minutes=duration_minutes,
        notes=notes,
    )


@transaction.atomic
def update_agenda_item(*, user, item: AgendaItem, **fields) -> AgendaItem:
    _open_agenda(item.event_id)
    item = _locked(AgendaItem, item.pk)
    for name in ("title", "presenter", "duration_minutes", "notes"):
        if name in fields:
            setattr(item, name, fields[name])
    item.save()
    return item


@transaction.atomic
def remove_agenda_item(*, user, item: AgendaItem) -> None:
    event = _open_agenda(item.event_id)
    item = _locked(AgendaItem, item.pk)
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
def move_agenda_item(*, user, item: AgendaItem, offset: int) -> None:
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
def approve_agenda(*, user, event: Event) -> Event:
    """Approved at the start of the meeting (after the verification of
    quorum): the pending agreements it carries over are fixed then."""
    event = _open_agenda(event.pk)
    if event.is_meeting:
        _check_quorum(event)
        event.carried_agreements.set(selectors.open_agreements_before(event))
    event.agenda_approved_at = timezone.now()
    if event.status in (Event.Status.PLANNED, Event.Status.CONVENED):
        event.status = Event.Status.HELD
    event.version += 1
    event.save()
    notifications.queue_agenda_approved(event=event)
    return event


def attach_file(
    *, user, uploaded, content_type: str, agenda_item=None, country_report=None, follow_up=None
) -> Attachment:
    """Store an already-checked upload (`coalicion.core.uploads.check_upload`)."""
    attachment = Attachment(
        agenda_item=agenda_item,
        country_report=country_report,
        follow_up=follow_up,
        content_type=content_type,
    )
    store_upload(attachment, uploaded, user=user)
    attachment.save()
    return attachment


# --- Attendance and quorum ---------------------------------------------------


@transaction.atomic
def record_attendance(*, user, event: Event, rows: list[dict]) -> list[Attendance]:
    """The register: one row per member country (`country`, `status`,
    `titular`, `alternate`, `note`). Only member countries on the day of the
    event; a named titular or alternate must be a person of that country."""
    event = _locked(Event, event.pk)
    _check_not_cancelled(event)
    _check_records_open(event)
    _check_started(event)
    members = {c.pk: c for c in selectors.member_countries(event.local_date)}
    errors = []
    for row in rows:
        country = row["country"]
        if country.pk not in members:
            errors.append(
                _("%(country)s is not a member country on the date of the event.")
                % {"country": localized(country, "name")}
            )
        if row["status"] not in Attendance.Status.values:
            errors.append(
                _("%(country)s: unknown attendance.") % {"country": localized(country, "name")}
            )
        for key in ("titular", "alternate"):
            person = row.get(key)
            if person is not None and person.country_id != country.pk:
                errors.append(
                    _("%(country)s: %(person)s is not a person of this country.")
                    % {"country": localized(country, "name"), "person": person}
                )
    if errors:
        raise ValidationError(errors)
    saved = []
    for row in rows:
        attendance, _created = Attendance.objects.update_or_create(
            event=event,
            country=row["country"],
            defaults={
                "status": row["status"],
                "titular": row.get("titular"),
                "alternate": row.get("alternate"),
                "note": row.get("note", ""),
                "recorded_by": user,
            },
        )
        saved.append(attendance)
    if event.status in (Event.Status.PLANNED, Event.Status.CONVENED):
        event.status = Event.Status.HELD
        event.version += 1
        event.save()
    return saved


@transaction.atomic
def record_observer_attendance(
    *, user, event: Event, organisation, present: bool, people: str = ""
) -> ObserverAttendance:
    _check_not_cancelled(event)
    _check_records_open(event)
    _check_started(event)
    attendance, _created = ObserverAttendance.objects.update_or_create(
        event=event, organisation=organisation, defaults={"present": present, "people": people}
    )
    return attendance


@transaction.atomic
def add_representative(
    *,
    user,
    event: Event,
    country: Country,
    role: str,
    given_name: str,
    family_name: str,
    email: str = "",
    institution: str = "",
    position: str = "",
    end_previous: bool = False,
) -> Person:
    """A representative who appears in the register and is not yet in the
    contact directory: after the Secretariat confirms, the person enters the
    directory with a representation starting on the day of the meeting.
    With `end_previous`, whoever held that role for the country that day
    stops the day before (and with it, their rights as a focal point)."""
    _check_not_cancelled(event)
    _check_records_open(event)
    if country not in selectors.member_countries(event.local_date):
        raise ValidationError(
            {
                "country": _("%(country)s is not a member country on the date of the event.")
                % {"country": localized(country, "name")}
            }
        )
    if role not in Representation.Role.values:
        raise ValidationError({"role": _("Choose titular or alternate.")})
    if not given_name.strip() or not family_name.strip():
        raise ValidationError(_("Give the given name and family name of the representative."))
    person = Person.objects.create(
        given_name=given_name.strip(),
        family_name=family_name.strip(),
        email=email.strip(),
        institution=institution.strip(),
        position=position.strip(),
        country=country,
    )
    day = event.local_date
    if end_previous:
        for previous in Representation.objects.in_force(day).filter(country=country, role=role):
            previous.end = max(previous.start, day - datetime.timedelta(days=1))
            previous.save()
    Representation.objects.create(person=person, country=country, role=role, start=day)
    return person


@transaction.atomic
def verify_quorum(*, user, event: Event) -> QuorumCheck:
    """Verified from the register (counting.verify_quorum); the verdict and
    its numbers are kept with the time."""
    event = _locked(Event, event.pk)
    _check_meeting(event)
    _check_not_cancelled(event)
    _check_records_open(event)
    _check_started(event)
    members = selectors.member_countries(event.local_date)
    if not members:
        raise ValidationError(
            _("No country was a member of the Coalition on the date of this meeting."),
            code="no_members",
        )
    present = selectors.present_countries(event)
    rule = quorum_rule(event)
    verdict = counting.verify_quorum(present=len(present), members=len(members), rule=rule)
    if event.status in (Event.Status.PLANNED, Event.Status.CONVENED):
        event.status = Event.Status.HELD
        event.version += 1
        event.save()
    return QuorumCheck.objects.create(
        event=event,
        at=timezone.now(),
        present=verdict.present,
        members=verdict.members,
        required=verdict.required,
        rule=verdict.rule,
        has_quorum=verdict.has_quorum,
        present_countries=[c.code for c in present],
        verified_by=user,
    )


# --- Country reports ---------------------------------------------------------


@transaction.atomic
def save_country_report(
    *,
    user,
    event: Event,
    country: Country,
    summary: str,
    legal_changes: str = "",
    cases: str = "",
    actions: str = "",
    version: int | None = None,
) -> CountryReport:
    _check_meeting(event)
    _check_not_cancelled(event)
    _check_records_open(event)
    if not summary.strip():
        raise ValidationError({"summary": _("Write the summary of the report.")})
    report = CountryReport.objects.select_for_update().filter(event=event, country=country).first()
    if report is None:
        report = CountryReport(event=event, country=country, submitted_by=user)
    else:
        check_version(report, version)
        report.version += 1
        report.submitted_by = user
    report.summary = summary
    report.legal_changes = legal_changes
    report.cases = cases
    report.actions = actions
    report.save()
    return report


# --- Decisions and votes -------------------------------------------------------


@transaction.atomic
def record_decision(
    *, user, event: Event, text: str, method: str, majority: str = "", agenda_item=None
) -> Decision:
    """By consensus (adopted unless a member country objects) or by vote
    (adopted or not by the official tally)."""
    event = _locked(Event, event.pk)
    _check_not_cancelled(event)
    _check_records_open(event)
    _check_quorum(event)
    if not text.strip():
        raise ValidationError({"text": _("Write the text of the decision.")})
    if method == Decision.Method.VOTE:
        if majority not in Decision.Majority.values:
            raise ValidationError({"majority": _("Choose the majority the vote needs.")})
    elif method == Decision.Method.CONSENSUS:
        majority = ""
    else:
        raise ValidationError({"method": _("Choose consensus or vote.")})
    if agenda_item is not None and agenda_item.event_id != event.pk:
        raise ValidationError({"agenda_item": _("This item is on another meeting's agenda.")})
    number = (event.decisions.aggregate(m=Max("number"))["m"] or 0) + 1
    return Decision.objects.create(
        event=event,
        number=number,
        agenda_item=agenda_item,
        text=text.strip(),
        method=method,
        majority=majority,
        adopted=True if method == Decision.Method.CONSENSUS else None,
        recorded_by=user,
    )


@transaction.atomic
def record_objection(
    *, user, decision: Decision, country: Country, kind: str, text: str = ""
) -> Objection:
    decision = _locked(Decision, decision.pk)
    event = decision.event
    _check_records_open(event)
    if decision.method != Decision.Method.CONSENSUS:
        raise ValidationError(_("Objections apply to decisions by consensus; this one was voted."))
    if kind not in Objection.Kind.values:
        raise ValidationError({"kind": _("Choose objection or dissent.")})
    if country not in selectors.present_countries(event):
        raise ValidationError(
            {
                "country": _("%(country)s is not present at this meeting.")
                % {"country": localized(country, "name")}
            }
        )
    objection, _created = Objection.objects.update_or_create(
        decision=decision, country=country, defaults={"kind": kind, "text": text.strip()}
    )
    _settle_consensus(decision)
    return objection


@transaction.atomic
def withdraw_objection(*, user, objection: Objection) -> None:
    decision = _locked(Decision, objection.decision_id)
    _check_records_open(decision.event)
    objection.delete()
    _settle_consensus(decision)


def _settle_consensus(decision: Decision) -> None:
    objections = decision.objections.filter(kind=Objection.Kind.OBJECTION).count()
    adopted = counting.consensus_adopted(objections=objections)
    if decision.adopted != adopted:
        decision.adopted = adopted
        decision.save(update_fields=["adopted"])


@transaction.atomic
def record_tally(*, user, decision: Decision, choices: dict, reason: str = "") -> Tally:
    """One count: a choice (yes / no / abstain) for every present member
    country, as `{country: choice}`. A second tally is a recount (reconteo),
    kept beside the first, and needs a reason; the last tally is official."""
    decision = _locked(Decision, decision.pk)
    event = decision.event
    _check_records_open(event)
    if decision.method != Decision.Method.VOTE:
        raise ValidationError(_("This decision is taken by consensus: there is no vote to count."))
    _check_quorum(event)
    present = selectors.present_countries(event)
    members = selectors.member_countries(event.local_date)
    missing = [c for c in present if c not in choices]
    strangers = [c for c in choices if c not in present]
    errors = []
    if missing:
        errors.append(
            _("Record the vote of every present member country; missing: %(countries)s.")
            % {"countries": ", ".join(localized(c, "name") for c in missing)}
        )
    if strangers:
        errors.append(
            _("Only member countries present vote; not present: %(countries)s.")
            % {"countries": ", ".join(localized(c, "name") for c in strangers)}
        )
    bad = [c for c, choice in choices.items() if choice not in Ballot.Choice.values]
    if bad:
        errors.append(
            _("Choose yes, no or abstain for %(countries)s.")
            % {"countries": ", ".join(localized(c, "name") for c in bad)}
        )
    number = (decision.tallies.aggregate(m=Max("number"))["m"] or 0) + 1
    if number > 1 and not reason.strip():
        errors.append(_("Say why the votes are counted again (recount)."))
    if errors:
        raise ValidationError(errors)
    result = counting.tally_votes(
        choices=list(choices.values()), members=len(members), majority=decision.majority
    )
    tally = Tally.objects.create(
        decision=decision,
        number=number,
        yes=result.yes,
        no=result.no,
        abstain=result.abstain,
        members=result.members,
        majority=result.majority,
        adopted=result.adopted,
        reason=reason.strip(),
        counted_by=user,
    )
    Ballot.objects.bulk_create(
        Ballot(tally=tally, country=country, choice=choice) for country, choice in choices.items()
    )
    decision.adopted = result.adopted
    decision.save(update_fields=["adopted"])
    return tally


# --- Agreements -------------------------------------------------------------------


def _responsible_fields(kind: str, country, organ, committee) -> dict:
    wanted = {
        Agreement.ResponsibleKind.COUNTRY: (
            "country",
            country,
            _("Choose the responsible country."),
        ),
        Agreement.ResponsibleKind.ORGAN: ("organ", organ, _("Choose the responsible organ.")),
        Agreement.ResponsibleKind.COMMITTEE: (
            "committee",
            committee,
            _("Choose the responsible working committee."),
        ),
    }
    if kind not in wanted:
        raise ValidationError({"responsible_kind": _("Choose who is responsible.")})
    name, value, message = wanted[kind]
    if value is None:
        raise ValidationError({name: message})
    fields = {"country": None, "organ": None, "committee": None}
    fields[name] = value
    return fields


@transaction.atomic
def create_agreement(
    *,
    user,
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
    event = _locked(Event, event.pk)
    _check_not_cancelled(event)
    _check_records_open(event)
    _check_quorum(event)
    if not text.strip():
        raise ValidationError({"text": _("Write the text of the agreement.")})
    if decision is not None and decision.event_id != event.pk:
        raise ValidationError({"decision": _("This decision belongs to another meeting.")})
    responsible = _responsible_fields(responsible_kind, country, organ, committee)
    sequence = (event.agreements.aggregate(m=Max("sequence"))["m"] or 0) + 1
    code = f"{event.code_prefix}-{event.local_date.year}-{sequence:02d}"
    return Agreement.objects.create(
        event=event,
        sequence=sequence,
        code=code,
        text=text.strip(),
        responsible_kind=responsible_kind,
        due=due,
        decision=decision,
        created_by=user,
        **responsible,
    )


@transaction.atomic
def update_agreement(
    *,
    user,
    agreement: Agreement,
    text: str,
    responsible_kind: str,
    country=None,
    organ=None,
    committee=None,
    due=None,
    version: int | None = None,
) -> Agreement:
    agreement = _locked(Agreement, agreement.pk)
    _check_records_open(agreement.event)
    check_version(agreement, version)
    if not text.strip():
        raise ValidationError({"text": _("Write the text of the agreement.")})
    for name, value in _responsible_fields(responsible_kind, country, organ, committee).items():
        setattr(agreement, name, value)
    agreement.text = text.strip()
    agreement.responsible_kind = responsible_kind
    agreement.due = due
    agreement.version += 1
    agreement.save()
    return agreement


RESPONSIBLE_STATUSES = (Agreement.Status.IN_PROGRESS, Agreement.Status.FULFILLED)


@transaction.atomic
def add_follow_up(
    *,
    user,
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
    agreement = _locked(Agreement, agreement.pk)
    if not text.strip():
        raise ValidationError({"text": _("Write what was done.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A follow-up entry cannot be dated in the future.")})
    if date < agreement.event.local_date:
        raise ValidationError({"date": _("A follow-up entry cannot precede the agreement.")})
    if status and status not in Agreement.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status:
        latest = agreement.follow_ups.exclude(status="").order_by("-date", "-pk").first()
        if latest is not None and date < latest.date:
            raise ValidationError(
                {
                    "date": _(
                        "A change of status cannot be dated before the last one (%(date)s): "
                        "record it with a later date, or without a change of status."
                    )
                    % {"date": formats.date_format(latest.date, "SHORT_DATE_FORMAT")}
                }
            )
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
        agreement=agreement, date=date, text=text.strip(), status=status, author=user
    )
    for uploaded, content_type in uploads:
        attach_file(user=user, uploaded=uploaded, content_type=content_type, follow_up=entry)
    if status:
        # Never dated before the last change (checked above), this entry is
        # the latest one, as `selectors.status_on` replays them for any day.
        agreement.status = status
        agreement.closed_on = date if status not in Agreement.OPEN else None
        agreement.save(update_fields=["status", "closed_on"])
    return entry


# --- Minutes ------------------------------------------------------------------------


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
            },
        ).strip()


@transaction.atomic
def draft_minutes(*, user, event: Event) -> Minutes:
    event = _locked(Event, event.pk)
    _check_meeting(event)
    _check_not_cancelled(event)
    if event.minutes.filter(corrects__isnull=True).exists():
        raise ValidationError(_("This meeting already has its minutes."), code="exists")
    return Minutes.objects.create(event=event, body=prefilled_minutes(event), drafted_by=user)


def _check_editable(minutes: Minutes) -> None:
    if minutes.is_frozen:
        raise ValidationError(
            _("Approved minutes are frozen. A correction is a new document linked to them."),
            code="frozen",
        )


@transaction.atomic
def save_minutes(*, user, minutes: Minutes, body: str, version: int | None) -> Minutes:
    minutes = _locked(Minutes, minutes.pk)
    _check_editable(minutes)
    check_version(minutes, version)
    if not body.strip():
        raise ValidationError({"body": _("The minutes cannot be empty.")})
    minutes.body = body
    minutes.version += 1
    minutes.save()
    return minutes


@transaction.atomic
def circulate_minutes(*, user, minutes: Minutes) -> Minutes:
    """Sent to the members for comment; it can still be edited until approved."""
    minutes = _locked(Minutes, minutes.pk)
    _check_editable(minutes)
    if minutes.status != Minutes.Status.DRAFT:
        raise ValidationError(_("These minutes were already circulated."), code="circulated")
    minutes.status = Minutes.Status.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.version += 1
    minutes.save()
    notifications.queue_minutes_circulated(minutes=minutes)
    return minutes


@transaction.atomic
def comment_on_minutes(*, user, minutes: Minutes, text: str, country=None) -> MinutesComment:
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Comments are taken while the minutes are circulated."))
    if not text.strip():
        raise ValidationError({"text": _("Write your comment.")})
    return MinutesComment.objects.create(
        minutes=minutes, author=user, country=country, text=text.strip()
    )


@transaction.atomic
def approve_minutes(*, user, minutes: Minutes, at_event: Event) -> Minutes:
    """Approved at a later meeting that has quorum; then frozen, with a PDF
    stored with its SHA-256."""
    from coalicion.meetings import documents

    minutes = _locked(Minutes, minutes.pk)
    _check_editable(minutes)
    if minutes.status != Minutes.Status.CIRCULATED:
        raise ValidationError(_("Minutes are circulated for comment before they are approved."))
    if at_event.start <= minutes.event.start:
        raise ValidationError(_("Minutes are approved at a later meeting."))
    _check_not_cancelled(at_event)
    _check_quorum(at_event)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.approved_by = user
    minutes.approved_at_event = at_event
    # The frozen copy is in the language of the Coalition's records, whoever approves.
    with translation.override(settings.LANGUAGE_CODE):
        pdf = documents.minutes_pdf(minutes)
    digest = hashlib.sha256(pdf).hexdigest()
    minutes.pdf_sha256 = digest
    minutes.pdf.save(f"{minutes.event.code_prefix}-{digest[:12]}.pdf", ContentFile(pdf), save=False)
    minutes.version += 1
    try:
        minutes.save()
    except Exception:
        minutes.pdf.delete(save=False)  # no stored file without its approved minutes
        raise
    return minutes


@transaction.atomic
def correct_minutes(*, user, minutes: Minutes) -> Minutes:
    """A correction of approved minutes: a new document, linked to them,
    with their text to start from; it follows the same lifecycle."""
    minutes = _locked(Minutes, minutes.pk)
    if not minutes.is_frozen:
        raise ValidationError(_("Minutes that are not approved yet are edited, not corrected."))
    if minutes.corrections.exclude(status=Minutes.Status.APPROVED).exists():
        raise ValidationError(
            _("A correction of these minutes is already in preparation: complete that one."),
            code="correction_open",
        )
    return Minutes.objects.create(
        event=minutes.event, corrects=minutes, body=minutes.body, drafted_by=user
    )


# --- Calendar feeds and notification settings ----------------------------------------


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_calendar_feed(*, user) -> str:
    """A new private feed address for `user`; earlier ones are revoked. The
    token is returned once (to show the address) and only its hash is kept."""
    import secrets

    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token))
    return token


@transaction.atomic
def revoke_calendar_feeds(*, user) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def find_calendar_feed(*, token: str) -> CalendarFeed | None:
    """The feed of a token still valid, for an active user."""
    if not token or len(token) > 100:
        return None
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


FEED_USE_RECORDED_EVERY = datetime.timedelta(hours=1)


def record_calendar_feed_use(*, feed: CalendarFeed, now) -> None:
    """When a feed was last read, for its owner's page: at most one write an
    hour, whatever the calendar application's polling."""
    if feed.last_used_at is None or now - feed.last_used_at >= FEED_USE_RECORDED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)


@transaction.atomic
def save_notification_settings(*, user, **choices: bool) -> NotificationSettings:
    preferences, _created = NotificationSettings.objects.get_or_create(user=user)
    for name in ("agenda_approved", "minutes_circulated", "agreement_due", "agreement_overdue"):
        if name in choices:
            setattr(preferences, name, bool(choices[name]))
    preferences.save()
    return preferences
