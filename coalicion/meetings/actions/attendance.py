"""The attendance register of a meeting, new representatives named in it,
and the verification of quorum."""

import datetime
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent
from coalicion.core.actions import check_version
from coalicion.core.i18n import localized
from coalicion.meetings import counting, selectors
from coalicion.meetings.actions.common import (
    check_meeting,
    check_not_cancelled,
    check_records_open,
    check_started,
    locked,
    quorum_rule,
)
from coalicion.meetings.models import (
    Attendance,
    Event,
    ObserverAttendance,
    QuorumCheck,
)
from coalicion.membership.models import Country, Person, Representation


def _check_rows(rows: list[dict], members: dict) -> None:
    """Only member countries on the day of the event; a known attendance;
    a named titular or alternate is a person of that country, and whoever
    the status says is present is named (`Attendance.unnamed`)."""
    errors = []
    for row in rows:
        country = row["country"]
        name = localized(country, "name")
        if country.pk not in members:
            errors.append(
                _("%(country)s is not a member country on the date of the event.")
                % {"country": name}
            )
        if row["status"] not in Attendance.Status.values:
            errors.append(_("%(country)s: unknown attendance.") % {"country": name})
        for key in ("titular", "alternate"):
            person = row.get(key)
            if person is not None and person.country_id != country.pk:
                errors.append(
                    _("%(country)s: %(person)s is not a person of this country.")
                    % {"country": name, "person": person}
                )
        for key in Attendance.unnamed(
            row["status"], titular=row.get("titular"), alternate=row.get("alternate")
        ):
            errors.append(UNNAMED[key] % {"country": name})
    if errors:
        raise ValidationError(errors)


# Why a row is refused when the status says someone is present who is not named.
UNNAMED = {
    "titular": gettext_lazy("%(country)s: name the titular representative who is present."),
    "alternate": gettext_lazy("%(country)s: name the alternate representative who is present."),
}


def _save_member_row(event: Event, row: dict, recorded: Attendance | None, actor) -> bool:
    """Write one line of the register if it changes; whether it did."""
    values = {
        "status": row["status"],
        "titular": row.get("titular"),
        "alternate": row.get("alternate"),
        "note": row.get("note", ""),
    }
    if recorded is not None and all(
        getattr(recorded, name) == value for name, value in values.items()
    ):
        return False
    recorded = recorded or Attendance(event=event, country=row["country"])
    for name, value in values.items():
        setattr(recorded, name, value)
    recorded.recorded_by = actor
    recorded.save()
    return True


def _save_observer_row(event: Event, row: dict) -> bool:
    """Write an observer organisation's line if it changes (an organisation
    absent and never recorded gets no line); whether it did."""
    recorded = ObserverAttendance.objects.filter(
        event=event, organisation=row["organisation"]
    ).first()
    present, people = bool(row["present"]), row.get("people", "").strip()
    if recorded is None and not present:
        return False
    if recorded is not None and (recorded.present, recorded.people) == (present, people):
        return False
    recorded = recorded or ObserverAttendance(event=event, organisation=row["organisation"])
    recorded.present, recorded.people = present, people
    recorded.save()
    return True


def _open_register(event: Event, version: int | None) -> Event:
    """The event, locked, whose register may change now; `version` is the
    register's version the form was opened on (None: no check)."""
    event = locked(Event, event.pk)
    check_not_cancelled(event)
    check_records_open(event)
    check_started(event)
    if version is not None:
        check_version(SimpleNamespace(version=event.register_version), version)
    return event


def _register_changed(event: Event) -> None:
    """A new version of the register (for the stale-edit check of its form);
    a meeting with a register was held."""
    event.register_version += 1
    fields = ["register_version"]
    if event.status in (Event.Status.PLANNED, Event.Status.CONVENED):
        event.status = Event.Status.HELD
        event.version += 1
        fields += ["status", "version"]
    event.save(update_fields=fields)


@transaction.atomic
def record_attendance(
    *,
    actor,
    event: Event,
    rows: list[dict],
    observers: list[dict] = (),
    version: int | None = None,
) -> list[Attendance]:
    """The register, saved whole or not at all: one row per member country
    (`country`, `status`, `titular`, `alternate`, `note`) and one per
    observer organisation (`organisation`, `present`, `people`). `version`
    is the register's version the form was opened on: a register saved by
    someone else meanwhile is refused (`StaleEdit`) rather than overwritten."""
    event = _open_register(event, version)
    _check_rows(rows, {c.pk: c for c in selectors.member_countries(event.local_date)})
    recorded = {a.country_id: a for a in Attendance.objects.filter(event=event)}
    changed = False
    for row in rows:
        changed |= _save_member_row(event, row, recorded.get(row["country"].pk), actor)
    for row in observers:
        changed |= _save_observer_row(event, row)
    if changed:
        _register_changed(event)
    return list(Attendance.objects.filter(event=event).select_related("country"))


@transaction.atomic
def record_observer_attendance(
    *, actor, event: Event, organisation, present: bool, people: str = ""
) -> ObserverAttendance:
    event = _open_register(event, None)
    row = {"organisation": organisation, "present": present, "people": people}
    if _save_observer_row(event, row):
        _register_changed(event)
    return ObserverAttendance.objects.get(event=event, organisation=organisation)


@transaction.atomic
def add_representative(
    *,
    actor,
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
    stops the day before (and with it, their rights as a focal point); both
    are recorded in the audit log once the step commits."""
    event = locked(Event, event.pk)
    check_not_cancelled(event)
    check_records_open(event)
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
    ended = []
    if end_previous:
        for previous in Representation.objects.in_force(day).filter(country=country, role=role):
            previous.end = max(previous.start, day - datetime.timedelta(days=1))
            previous.save()
            ended.append(previous)
    Representation.objects.create(person=person, country=country, role=role, start=day)
    for representation in ended:
        _audit_representation(
            actor, representation.person, country, role, representation.start, representation.end
        )
    _audit_representation(actor, person, country, role, day, None)
    return person


def _audit_representation(actor, person, country, role, start, end) -> None:
    """Representations give rights (a focal point's): each one assigned or
    ended goes to the audit log, once the step has committed."""
    detail = {"country": country.code, "role": role, "start": str(start), "end": str(end)}
    transaction.on_commit(
        lambda: record_event(
            action=AuditEvent.Action.REPRESENTATION_ASSIGNED,
            actor=actor,
            target=str(person),
            detail=detail,
        )
    )


@transaction.atomic
def verify_quorum(*, actor, event: Event) -> QuorumCheck:
    """Verified from the register (counting.verify_quorum); the verdict and
    its numbers are kept with the time: a later change to a line of the
    register makes this verification outdated (`selectors.has_quorum`)."""
    event = locked(Event, event.pk)
    check_meeting(event)
    check_not_cancelled(event)
    check_records_open(event)
    check_started(event)
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
        verified_by=actor,
    )
