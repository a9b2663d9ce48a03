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
from coalicion.core.actions import check_version
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
    _check_scope(type, country)
    _not_in_future(day, "day")
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
    _not_in_future(day, "day")
    if stage.pk == instrument.stage_id:
        raise ValidationError(
            {"stage": _("The instrument is already at this stage.")}, code="same_stage"
        )
    if stage.plan_id != instrument.stage.plan_id:
        raise ValidationError({"stage": _("Choose a stage of the plan's scale.")}, code="scale")
    last = instrument.changes.order_by("-day", "-pk").first()
    if last is not None and day < last.day:
        raise ValidationError(
            {
                "day": _(
                    "The last change took effect on %(date)s: a new change cannot take "
                    "effect before it."
                )
                % {"date": last.day.isoformat()}
            },
            code="before_last",
        )
    reason = reason.strip()
    if stage.order < instrument.stage.order and not reason:
        raise ValidationError(
            {"reason": _("Going back to an earlier stage needs a reason.")}, code="reason"
        )
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
        _not_in_future(obj.registered_on, "registered_on")

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
    if country.pk == practice.country_id:
        raise ValidationError(
            {"country": _("A practice is replicated by another country than its own.")},
            code="own_practice",
        )
    _not_in_future(day, "day")
    if Replication.objects.filter(practice=practice, country=country).exists():
        raise ValidationError(
            {"country": _("This country's replication of the practice is already recorded.")},
            code="already",
        )
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
        if obj.level == Actor.Level.NATIONAL and obj.country_id is None:
            raise ValidationError(
                {"country": _("A national actor belongs to a member country.")}, code="country"
            )

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
        if obj.status != Alliance.Status.NEGOTIATION and obj.start is None:
            raise ValidationError(
                {"start": _("An alliance in force or ended has a start date.")}, code="start"
            )
        if obj.start:
            _not_in_future(obj.start, "start")

    return _save(
        Alliance, actor=actor, obj=alliance, version=version, fields=fields, checks=[consistent]
    )


@atomic_with_files
def record_joint_action(*, actor, actors, evidence=(), **fields) -> JointAction:
    if not actors:
        raise ValidationError({"actors": _("Name at least one actor.")}, code="actors")
    _not_in_future(fields["day"], "day")
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
        _not_in_future(obj.requested_on, "requested_on")
        if obj.status == ResourceRequest.Status.OBTAINED and obj.amount_obtained is None:
            raise ValidationError({"amount_obtained": _("Say the amount obtained.")}, code="amount")

    return _save(
        ResourceRequest,
        actor=actor,
        obj=request,
        version=version,
        fields=fields,
        checks=[consistent],
    )
