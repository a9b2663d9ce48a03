"""Reads of the cooperation records, scoped by what the reader may see.

The stage of an instrument on a date comes from its stage history alone
(`stage_on`): the last change that took effect on or before that date.
The report helpers at the end (`instruments_by_stage`, `alliances_summary`,
`practices_summary`) return plain data for other apps (the accountability
report) and take keyword arguments only.
"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import Prefetch, QuerySet

from coalicion.cooperation.models import (
    Actor,
    Alliance,
    GoodPractice,
    Instrument,
    InstrumentType,
    JointAction,
    Replication,
    ResourceRequest,
    StageChange,
)
from coalicion.core.i18n import localized
from coalicion.membership.models import Country
from coalicion.monitoring import computations
from coalicion.plans.models import MilestoneStage
from coalicion.plans.selectors import current_plan

APPROVED = "approved"
IMPLEMENTED = "implemented"
DRAFTED = "drafted"


# --- The stage scale and stage history ---------------------------------------------


def stage_scale() -> list[MilestoneStage]:
    """The stages of the current plan, lowest first (plan data)."""
    plan = current_plan()
    if plan is None:
        return []
    return list(plan.milestone_stages.order_by("order"))


def stage_order(scale: list[MilestoneStage], code: str) -> int:
    """The order of the stage `code` in `scale`; a scale without it puts the
    threshold above every stage (nothing reaches it)."""
    for stage in scale:
        if stage.code == code:
            return stage.order
    return 10**6


def stage_on(changes: list, day: datetime.date):
    """The stage on `day`: that of the last change (by its date, then as
    recorded) that took effect on or before `day`; None before the first.
    `changes` (`StageChange`s or `StageStep`s) are in the order of
    `StageChange.Meta.ordering`."""
    stage = None
    for change in changes:
        if change.day > day:
            break
        stage = change.stage
    return stage


def with_history(instruments: QuerySet) -> QuerySet:
    """Instruments with their type, country, stage and stage history (one
    query each, whatever their number)."""
    return instruments.select_related("type", "country", "stage").prefetch_related(
        Prefetch(
            "changes",
            queryset=StageChange.objects.select_related(
                "stage", "previous_stage", "recorded_by"
            ).prefetch_related("evidence"),
        )
    )


def instruments_of(*, indicator_code: str, scope: str) -> list[Instrument]:
    """The instruments counted by an indicator, each with its stage history
    in `stage_history` (three queries, the stages included, which `scale_of`
    reads again outside a batch). Within a batch of computations
    (`monitoring.computations.batch`, the matrix's rows) one reading serves
    every indicator: the seven instrument indicators share it."""
    if computations.in_batch():
        counted = computations.shared("cooperation:counted-instruments", _read_counted_instruments)
    else:
        counted = _read_counted_instruments(indicator_code=indicator_code, scope=scope)
    return counted.get((indicator_code, scope), [])


class StageStep(NamedTuple):
    """One change of an instrument's stage as the indicators replay it
    (`stage_on` reads `day` and `stage`, as on a `StageChange`)."""

    day: datetime.date
    stage: MilestoneStage


def _read_counted_instruments(**only) -> dict[tuple[str, str], list[Instrument]]:
    """The instruments whose type an indicator counts (`only`: that
    indicator's, `indicator_code` and `scope`), by (indicator code, scope),
    each with its stage history as `StageStep`s in `stage_history`: the
    instruments, then the changes as plain values (a joined read would build
    each instrument again per change), their stages from `_stages`."""
    counted = Instrument.objects.exclude(type__indicator_code="")
    if only:
        counted = counted.filter(
            type__indicator_code=only["indicator_code"], type__scope=only["scope"]
        )
    instruments = {
        instrument.pk: instrument
        for instrument in counted.select_related("country", "stage", "type").order_by(
            "country__name", "pk"
        )
    }
    for instrument in instruments.values():
        instrument.stage_history = []
    stages = _stages()
    # The changes of the instruments just read, by their ids: one recorded
    # in between (another request) belongs to the next reading.
    for instrument_id, day, stage_id in (
        StageChange.objects.filter(instrument_id__in=list(instruments))
        .order_by("instrument_id", "day", "pk")
        .values_list("instrument_id", "day", "stage_id")
    ):
        stage = stages.get(stage_id)
        if stage is None:  # a stage created since `_stages` read them (shared: not added there)
            stage = MilestoneStage.objects.get(pk=stage_id)
        instruments[instrument_id].stage_history.append(StageStep(day, stage))
    grouped: dict[tuple[str, str], list[Instrument]] = defaultdict(list)
    for instrument in instruments.values():
        if not instrument.stage_history:
            continue  # no stage recorded yet: nothing to count
        grouped[(instrument.type.indicator_code, instrument.type.scope)].append(instrument)
    return dict(grouped)


def _stages() -> dict[int, MilestoneStage]:
    """Every milestone stage by id (a few rows; one query, once per batch
    of computations)."""
    return computations.shared(
        "cooperation:stages", lambda: {s.pk: s for s in MilestoneStage.objects.all()}
    )


def scale_of(instruments: list[Instrument]) -> list[MilestoneStage]:
    """The stage scale of the instruments' plan, lowest first (`_stages`;
    none without instruments)."""
    if not instruments:
        return []
    plan_id = instruments[0].stage.plan_id
    return sorted(
        (s for s in _stages().values() if s.plan_id == plan_id), key=lambda s: (s.order, s.pk)
    )


def visible(user, records: list) -> tuple[list, int]:
    """The records `user` may see, and how many are hidden."""
    shown = [r for r in records if r.is_visible_to(user)]
    return shown, len(records) - len(shown)


def instrument_list(*, user, country_code: str = "", type_code: str = "", stage_code: str = ""):
    """The instruments `user` may see, filtered, and how many are hidden."""
    instruments = Instrument.objects.select_related("type", "country", "stage").order_by(
        "type__order", "type__code", "country__name", "title"
    )
    if country_code == "regional":
        instruments = instruments.filter(country__isnull=True)
    elif country_code:
        instruments = instruments.filter(country__code=country_code)
    if type_code:
        instruments = instruments.filter(type__code=type_code)
    if stage_code:
        instruments = instruments.filter(stage__code=stage_code)
    return visible(user, list(instruments))


def instrument_detail(*, pk: int) -> Instrument:
    return with_history(Instrument.objects.filter(pk=pk)).get()


def instrument_types() -> list[InstrumentType]:
    return list(InstrumentType.objects.all())


# --- Good practices ----------------------------------------------------------------


def practice_list(*, country_code: str = "", area: str = "") -> list[GoodPractice]:
    practices = GoodPractice.objects.select_related("country", "axis").prefetch_related(
        Prefetch("replications", queryset=Replication.objects.select_related("country"))
    )
    if country_code:
        practices = practices.filter(country__code=country_code)
    if area:
        practices = practices.filter(area=area)
    return list(practices)


def practice_detail(*, pk: int) -> GoodPractice:
    return (
        GoodPractice.objects.select_related("country", "axis", "presented_at")
        .prefetch_related(
            Prefetch(
                "replications",
                queryset=Replication.objects.select_related("country").prefetch_related(
                    "evidence_files"
                ),
            ),
            "evidence_files",
        )
        .get(pk=pk)
    )


def replications_between_members(replications: list[Replication], day: datetime.date) -> list:
    """Replications adopted on or before `day` by a member country (on the
    day of adoption) from another member country's practice."""
    return [
        r
        for r in replications
        if r.day <= day
        and r.country_id != r.practice.country_id
        and r.country.is_member_on(r.day)
        and r.practice.country.is_member_on(r.day)
    ]


# --- Actors, alliances, joint actions ----------------------------------------------


def actor_map() -> dict:
    """Actors with their alliances and joint actions, with their evidence
    files (five queries)."""
    actors = list(Actor.objects.select_related("country").order_by("level", "name"))
    alliances = list(Alliance.objects.select_related("actor", "country").order_by("actor__name"))
    joint_actions = list(
        JointAction.objects.select_related("country", "event", "alliance__actor")
        .prefetch_related("actors", "evidence_files")
        .order_by("-day", "pk")
    )
    by_actor = defaultdict(list)
    for alliance in alliances:
        by_actor[alliance.actor_id].append(alliance)
    actions_by_actor = Counter()
    for action in joint_actions:
        for actor in action.actors.all():
            actions_by_actor[actor.pk] += 1
    rows = [
        {"actor": a, "alliances": by_actor[a.pk], "joint_actions": actions_by_actor[a.pk]}
        for a in actors
    ]
    return {"rows": rows, "alliances": alliances, "joint_actions": joint_actions}


def actor_detail(*, pk: int) -> Actor:
    return (
        Actor.objects.select_related("country")
        .prefetch_related(
            Prefetch("alliances", queryset=Alliance.objects.select_related("country")),
            Prefetch(
                "joint_actions", queryset=JointAction.objects.select_related("country", "event")
            ),
            "resource_requests",
        )
        .get(pk=pk)
    )


def is_with_regional_space(action: JointAction) -> bool:
    return any(a.kind == Actor.Kind.REGIONAL_SPACE for a in action.actors.all())


# --- Resource mobilisation -----------------------------------------------------------


def resource_totals(requests: list[ResourceRequest]) -> list[dict]:
    """Amounts obtained per donor, year and currency (amounts in different
    currencies are never added together)."""
    totals: dict = defaultdict(lambda: Decimal(0))
    for request in requests:
        if request.status != ResourceRequest.Status.OBTAINED or request.amount_obtained is None:
            continue
        year = (request.obtained_on or request.requested_on).year
        totals[(str(request.donor), year, request.currency)] += request.amount_obtained
    return [
        {"donor": donor, "year": year, "currency": currency, "amount": amount}
        for (donor, year, currency), amount in sorted(totals.items())
    ]


def resource_list() -> list[ResourceRequest]:
    return list(
        ResourceRequest.objects.select_related("donor", "country").prefetch_related(
            "activities", "instruments"
        )
    )


# --- For reports (keyword-only, plain data) -----------------------------------------


def instruments_by_stage(*, as_of: datetime.date, user) -> dict:
    """Per instrument type, how many instruments were at each stage on
    `as_of` (from the stage history), counting every instrument, and the
    instruments `user` may see with their stage then.

    {"as_of": date, "stages": [{"code", "name"}], "hidden": int,
     "types": [{"code", "name", "scope", "counts": {stage code: n},
                "instruments": [{"id", "title", "country", "stage", "stage_name", "since"}]}]}
    """
    scale = stage_scale()
    instruments = list(with_history(Instrument.objects.order_by("type__order", "country__name")))
    types: dict = {}
    hidden = 0
    for instrument in instruments:
        entry = types.setdefault(
            instrument.type_id,
            {
                "code": instrument.type.code,
                "name": localized(instrument.type, "name"),
                "scope": instrument.type.scope,
                "counts": {stage.code: 0 for stage in scale},
                "instruments": [],
            },
        )
        changes = list(instrument.changes.all())
        stage = stage_on(changes, as_of)
        if stage is None:
            continue
        entry["counts"][stage.code] = entry["counts"].get(stage.code, 0) + 1
        if not instrument.is_visible_to(user):
            hidden += 1
            continue
        since = max(c.day for c in changes if c.day <= as_of)
        entry["instruments"].append(
            {
                "id": instrument.pk,
                "title": localized(instrument, "title"),
                "country": instrument.country.code if instrument.country_id else None,
                "stage": stage.code,
                "stage_name": localized(stage, "name"),
                "since": since,
            }
        )
    return {
        "as_of": as_of,
        "stages": [{"code": s.code, "name": localized(s, "name")} for s in scale],
        "hidden": hidden,
        "types": list(types.values()),
    }


def alliances_summary(*, as_of: datetime.date, user) -> dict:
    """Alliances formed by `as_of` (with regional spaces and in all), those
    in force that day, and joint actions by then (with regional spaces and
    in all); `user` must be internal to get the lists, the counts are for all.

    {"as_of", "alliances": n, "alliances_with_regional_spaces": n, "in_force": n,
     "joint_actions": n, "joint_actions_with_regional_spaces": n,
     "items": [{"actor", "kind", "status", "start", "end", "country"}]}
    """
    alliances = [
        a for a in Alliance.objects.select_related("actor", "country") if a.formed_by(as_of)
    ]
    actions = list(JointAction.objects.prefetch_related("actors").filter(day__lte=as_of))
    may_read = user is not None and user.has_perm("cooperation.view_alliance")
    return {
        "as_of": as_of,
        "alliances": len(alliances),
        "alliances_with_regional_spaces": sum(
            1 for a in alliances if a.actor.kind == Actor.Kind.REGIONAL_SPACE
        ),
        "in_force": sum(1 for a in alliances if a.in_force_on(as_of)),
        "joint_actions": len(actions),
        "joint_actions_with_regional_spaces": sum(1 for j in actions if is_with_regional_space(j)),
        "items": [
            {
                "actor": str(a.actor),
                "kind": a.get_kind_display(),
                "status": a.get_status_display(),
                "start": a.start,
                "end": a.end,
                "country": a.country.code if a.country_id else None,
            }
            for a in alliances
        ]
        if may_read
        else [],
        "hidden": 0 if may_read else len(alliances),
    }


def practices_summary(*, as_of: datetime.date, user) -> dict:
    """Good practices registered by `as_of`, per country of origin, and
    their replications between member countries by then.

    {"as_of", "practices": n, "replications": n, "practices_replicated": n,
     "by_country": [{"country", "given", "adopted"}],
     "items": [{"id", "title", "country", "area", "replicated_in": [codes]}]}
    """
    practices = [p for p in practice_list() if p.registered_on <= as_of]
    all_replications = list(
        Replication.objects.select_related("country", "practice__country").filter(day__lte=as_of)
    )
    replications = replications_between_members(all_replications, as_of)
    given = Counter(p.country.code for p in practices)
    adopted = Counter(r.country.code for r in replications)
    codes = sorted(set(given) | set(adopted))
    may_read = user is not None and user.has_perm("cooperation.view_goodpractice")
    replicated_in = defaultdict(list)
    for replication in replications:
        replicated_in[replication.practice_id].append(replication.country.code)
    return {
        "as_of": as_of,
        "practices": len(practices),
        "replications": len(replications),
        "practices_replicated": len(replicated_in),
        "by_country": [
            {"country": code, "given": given[code], "adopted": adopted[code]} for code in codes
        ],
        "items": [
            {
                "id": p.pk,
                "title": localized(p, "title"),
                "country": p.country.code,
                "area": p.area,
                "replicated_in": replicated_in[p.pk],
            }
            for p in practices
        ]
        if may_read
        else [],
        "hidden": 0 if may_read else len(practices),
    }


def countries_for_forms(kept: list | None) -> QuerySet:
    """The countries a form offers: the member countries, or those kept."""
    countries = Country.objects.order_by("name")
    if kept is not None:
        return countries.filter(pk__in=kept)
    return countries
