"""Every write of the cooperation records (the action contract of
`coalicion.core.actions`: keyword-only, `actor=`, one transaction with its
files, the change kept by django-simple-history, a stale edit refused).

Permissions are the views' (`rules.py`); the actions keep the business
rules: an instrument's scope matches its type, its stage history is
append-only and a step back needs a reason, a practice is replicated by
another country, dates are not in the future.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from coalicion.cooperation.models import (
    Actor,
    Alliance,
    GoodPractice,
    Instrument,
    InstrumentType,
    JointAction,
    RecordEvidence,
    Replication,
    ResourceRequest,
    Scope,
    StageChange,
    StageEvidence,
)
from coalicion.core.actions import Problems, check_version
from coalicion.core.uploads import atomic_with_files, store_upload


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("The date cannot be in the future.")}, code="future")


def _check_scope(type: InstrumentType, country) -> None:
    if type.scope == Scope.NATIONAL and country is None:
        raise ValidationError(
            {"country": _("A national instrument belongs to a member country.")},
            code="scope",
        )
    if type.scope == Scope.REGIONAL and country is not None:
        raise ValidationError(
            {"country": _("A regional instrument has no country: leave the country empty.")},
            code="scope",
        )


# --- The rules of each record, raised together -----------------------------------------
#
# Each reads `fields`, the values of the record; the form runs it with the
# values that passed its own rules (`rules_onto_form`), so a rule whose
# field is missing from `fields` is skipped.


def _dated(problems: Problems, fields: dict, name: str) -> None:
    if fields.get(name):
        problems.run(_not_in_future, fields[name], name)


def check_instrument(fields: dict) -> None:
    """A new instrument: the scope of its type, a first stage not in the future."""
    problems = Problems()
    if "type" in fields and "country" in fields and fields["type"] is not None:
        problems.run(_check_scope, fields["type"], fields["country"])
    _dated(problems, fields, "day")
    problems.raise_all()


def check_stage_change(instrument: Instrument, fields: dict) -> None:
    """A new entry of `instrument`'s stage history: not in the future, a
    stage of the plan's scale other than the current one, not before the
    latest entry, and a reason to go back."""
    problems = Problems()
    _dated(problems, fields, "day")
    stage, day = fields.get("stage"), fields.get("day")
    if stage is not None:
        if stage.pk == instrument.stage_id:
            problems.add("stage", _("The instrument is already at this stage."), "same_stage")
        elif stage.plan_id != instrument.stage.plan_id:
            problems.add("stage", _("Choose a stage of the plan's scale."), "scale")
        elif (
            stage.order < instrument.stage.order
            and "reason" in fields
            and not fields["reason"].strip()
        ):
            problems.add("reason", _("Going back to an earlier stage needs a reason."), "reason")
    last = instrument.changes.order_by("-day", "-pk").first()
    if day is not None and last is not None and day < last.day and "day" not in problems.fields():
        problems.add(
            "day",
            _("The last change took effect on %(date)s: a new change cannot take effect before it.")
            % {"date": last.day.isoformat()},
            "before_last",
        )
    problems.raise_all()


def check_practice(fields: dict) -> None:
    problems = Problems()
    _dated(problems, fields, "registered_on")
    problems.raise_all()


def check_replication(practice: GoodPractice, fields: dict) -> None:
    """Another country than the practice's own, not in the future, once per country."""
    problems = Problems()
    country = fields.get("country")
    if country is not None and country.pk == practice.country_id:
        problems.add(
            "country",
            _("A practice is replicated by another country than its own."),
            "own_practice",
        )
    elif country is not None and practice.replications.filter(country=country).exists():
        problems.add(
            "country",
            _("This country's replication of the practice is already recorded."),
            "already",
        )
    _dated(problems, fields, "day")
    problems.raise_all()


def check_actor(fields: dict) -> None:
    problems = Problems()
    if (
        fields.get("level") == Actor.Level.NATIONAL
        and "country" in fields
        and not fields["country"]
    ):
        problems.add("country", _("A national actor belongs to a member country."), "country")
    problems.raise_all()


def check_alliance(fields: dict) -> None:
    problems = Problems()
    status = fields.get("status")
    if (
        status
        and status != Alliance.Status.NEGOTIATION
        and "start" in fields
        and not fields["start"]
    ):
        problems.add("start", _("An alliance in force or ended has a start date."), "start")
    _dated(problems, fields, "start")
    problems.raise_all()


def check_joint_action(fields: dict) -> None:
    problems = Problems()
    if "actors" in fields and not fields["actors"]:
        problems.add("actors", _("Name at least one actor."), "actors")
    _dated(problems, fields, "day")
    problems.raise_all()


def check_resource_request(fields: dict) -> None:
    problems = Problems()
    _dated(problems, fields, "requested_on")
    obtained = fields.get("status") == ResourceRequest.Status.OBTAINED
    if obtained and "amount_obtained" in fields and fields["amount_obtained"] is None:
        problems.add("amount_obtained", _("Say the amount obtained."), "amount")
    problems.raise_all()


def _values(obj, names) -> dict:
    return {name: getattr(obj, name) for name in names}


def _attach(model, evidence, actor, **owner) -> None:
    """Store each evidence file as a `model` (StageEvidence, RecordEvidence)
    of `owner` (change=…, practice=…). `evidence`: (uploaded file, detected
    content type) pairs, as `coalicion.core.uploads.FilesField` cleans them."""
    for uploaded, content_type in evidence or []:
        item = model(content_type=content_type, **owner)
        store_upload(item, uploaded, user=actor)
        item.save()


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# --- Instruments -----------------------------------------------------------------------


@atomic_with_files
def create_instrument(
    *,
    actor,
    type: InstrumentType,
    country=None,
    title: str,
    title_en: str = "",
    description: str = "",
    stage,
    day: datetime.date,
    reason: str = "",
    act: str = "",
    evidence=(),
) -> Instrument:
    """A new instrument and the first entry of its stage history."""
    check_instrument({"type": type, "country": country, "day": day})
    instrument = Instrument(
        type=type,
        country=country,
        title=title,
        title_en=title_en,
        description=description,
        stage=stage,
        stage_since=day,
    )
    instrument._history_user = actor
    instrument.full_clean()
    instrument.save()
    change = StageChange.objects.create(
        instrument=instrument, stage=stage, day=day, reason=reason, act=act, recorded_by=actor
    )
    _attach(StageEvidence, evidence, actor, change=change)
    return instrument


@atomic_with_files
def update_instrument(
    *,
    actor,
    instrument: Instrument,
    version,
    title: str,
    title_en: str = "",
    description: str = "",
) -> Instrument:
    """The instrument's description; its type, country and stage are not
    edited (the stage changes through `change_stage`)."""
    instrument = _locked(Instrument, instrument)
    check_version(instrument, version)
    instrument.title, instrument.title_en, instrument.description = title, title_en, description
    instrument.version += 1
    instrument._history_user = actor
    instrument.full_clean()
    instrument.save()
    return instrument


@atomic_with_files
def change_stage(
    *,
    actor,
    instrument: Instrument,
    version,
    stage,
    day: datetime.date,
    reason: str = "",
    act: str = "",
    evidence=(),
) -> StageChange:
    """A new entry in the instrument's stage history, forward or back. A
    step back needs a reason; an entry never predates the latest one (the
    history is never rewritten)."""
    instrument = _locked(Instrument, instrument)
    check_version(instrument, version)
    check_stage_change(instrument, {"stage": stage, "day": day, "reason": reason})
    reason = reason.strip()
    change = StageChange.objects.create(
        instrument=instrument,
        stage=stage,
        previous_stage=instrument.stage,
        day=day,
        reason=reason,
        act=act.strip(),
        recorded_by=actor,
    )
    _attach(StageEvidence, evidence, actor, change=change)
    instrument.stage, instrument.stage_since = stage, day
    instrument.version += 1
    instrument._history_user = actor
    instrument.save()
    return change


# --- Records kept as they are typed ---------------------------------------------------


def _save(model, *, actor, obj, version, fields: dict, checks=()):
    """Create or edit a simple record: the fields as typed, a stale edit
    refused on the versioned ones, `checks` run on the unsaved record."""
    if obj is None:
        obj = model()
    else:
        obj = _locked(model, obj)
        if hasattr(obj, "version"):
            check_version(obj, version)
            obj.version += 1
    m2m = {}
    for name, value in fields.items():
        if model._meta.get_field(name).many_to_many:
            m2m[name] = value
        else:
            setattr(obj, name, value)
    for check in checks:
        check(obj)
    obj._history_user = actor
    obj.full_clean()
    obj.save()
    for name, value in m2m.items():
        getattr(obj, name).set(value)
    return obj


@atomic_with_files
def save_practice(
    *, actor, practice: GoodPractice | None = None, version=None, evidence=(), **fields
) -> GoodPractice:
    """Register or edit a good practice; `evidence` files are added to the
    ones it has."""

    def dated(obj):
        check_practice(_values(obj, ["registered_on"]))

    practice = _save(
        GoodPractice, actor=actor, obj=practice, version=version, fields=fields, checks=[dated]
    )
    _attach(RecordEvidence, evidence, actor, practice=practice)
    return practice


@atomic_with_files
def record_replication(
    *,
    actor,
    practice: GoodPractice,
    country,
    day: datetime.date,
    description: str = "",
    evidence_note: str = "",
    evidence=(),
) -> Replication:
    """`country` adopted `practice` on `day`."""
    check_replication(practice, {"country": country, "day": day})
    replication = Replication(
        practice=practice,
        country=country,
        day=day,
        description=description,
        evidence_note=evidence_note,
    )
    replication._history_user = actor
    replication.full_clean()
    replication.save()
    _attach(RecordEvidence, evidence, actor, replication=replication)
    return replication


@atomic_with_files
def save_actor(*, actor, record: Actor | None = None, version=None, **fields) -> Actor:
    def national_has_country(obj):
        check_actor(_values(obj, ["level", "country"]))

    return _save(
        Actor,
        actor=actor,
        obj=record,
        version=version,
        fields=fields,
        checks=[national_has_country],
    )


@atomic_with_files
def save_alliance(*, actor, alliance: Alliance | None = None, version=None, **fields) -> Alliance:
    def consistent(obj):
        check_alliance(_values(obj, ["status", "start"]))

    return _save(
        Alliance, actor=actor, obj=alliance, version=version, fields=fields, checks=[consistent]
    )


@atomic_with_files
def record_joint_action(*, actor, actors, evidence=(), **fields) -> JointAction:
    check_joint_action({"actors": actors, "day": fields["day"]})
    action = _save(
        JointAction, actor=actor, obj=None, version=None, fields={**fields, "actors": actors}
    )
    _attach(RecordEvidence, evidence, actor, joint_action=action)
    return action


@atomic_with_files
def save_resource_request(
    *, actor, request: ResourceRequest | None = None, version=None, **fields
) -> ResourceRequest:
    def consistent(obj):
        check_resource_request(_values(obj, ["requested_on", "status", "amount_obtained"]))

    return _save(
        ResourceRequest,
        actor=actor,
        obj=request,
        version=version,
        fields=fields,
        checks=[consistent],
    )
