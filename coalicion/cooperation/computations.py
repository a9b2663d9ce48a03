"""The plan indicators this app's records count (SPEC §7), registered with
monitoring's mechanism (`coalicion.monitoring.computations`). The plan file
names the computation of each indicator; the instruments an indicator
counts are those whose type names the indicator (`InstrumentType.indicator_code`).

- ``regional_instrument_stage`` (1, 2, 2.3, 4.2): the stage reached on the
  date by the regional instrument of the indicator's type (a milestone).
- ``national_instruments_implemented`` (2.1): national instruments at the
  stage "implemented" or beyond; figures per stage.
- ``national_instruments_by_stage`` (2.2): national instruments elaborated
  (stage "drafted" or beyond), with how many are approved and implemented.
- ``national_instruments_approved`` (3.2.1): member countries whose
  instrument is at the stage "approved" or beyond.
- ``good_practice_replications`` (3.1): replications between member
  countries of registered good practices.
- ``alliances`` (4.1a): alliances with regional spaces formed by the date.
- ``joint_actions`` (4.1b): joint actions with regional spaces by the date.

Each reads its records once for any number of dates (`.many`) and replays
the stage history for each date (`selectors.stage_on`). With `country`,
a disaggregated indicator counts that country's instruments only.
"""

import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import formats
from django.utils.translation import gettext as _

from coalicion.cooperation import selectors
from coalicion.cooperation.models import Actor, Alliance, JointAction, Replication, Scope
from coalicion.core.i18n import localized
from coalicion.monitoring.computations import Computed, register, wants_figures


def _registered(name: str):
    """Register `many(*, indicator, dates, country)` under `name`, with the
    single-date form monitoring calls."""

    def decorator(many: Callable) -> Callable:
        def single(*, indicator, as_of: datetime.date, country=None) -> Computed:
            return many(indicator=indicator, dates=[as_of], country=country)[0]

        single.many = many
        single.__name__ = name
        register(name)(single)
        return many

    return decorator


def _number(n: int) -> str:
    return formats.number_format(n)


def _national(indicator, country) -> list:
    instruments = selectors.instruments_of(indicator_code=indicator.code, scope=Scope.NATIONAL)
    if country is not None:
        instruments = [i for i in instruments if i.country_id == country.pk]
    return instruments


def _stages_on(instruments: list, day: datetime.date) -> list[tuple]:
    """(instrument, stage on `day`) for those with a stage by then."""
    pairs = [(i, selectors.stage_on(i.stage_history, day)) for i in instruments]
    return [(i, stage) for i, stage in pairs if stage is not None]


def _per_stage(pairs: list[tuple], scale: list) -> list[tuple]:
    return [
        (localized(stage, "name"), _number(sum(1 for _i, s in pairs if s.code == stage.code)))
        for stage in scale
    ]


@_registered("regional_instrument_stage")
def regional_instrument_stage(*, indicator, dates, country=None) -> list[Computed]:
    instruments = selectors.instruments_of(indicator_code=indicator.code, scope=Scope.REGIONAL)
    results = []
    for day in dates:
        reached = _stages_on(instruments, day)
        if not reached:
            results.append(Computed(value=None, records=list(instruments)))
            continue
        # One regional instrument per type; should there be several, the
        # most advanced one is the Coalition's.
        instrument, stage = max(reached, key=lambda pair: (pair[1].order, -pair[0].pk))
        since = max(c.day for c in instrument.stage_history if c.day <= day)
        results.append(
            Computed(
                value=stage.percent,
                records=[instrument],
                stage_percent=stage.percent,
                stage_name=localized(stage, "name"),
                figures=[(_("Stage reached on"), formats.date_format(since, "DATE_FORMAT"))]
                if wants_figures()
                else [],
            )
        )
    return results


def _at_least(*, indicator, dates, country, code: str, per_country: bool) -> list[Computed]:
    instruments = _national(indicator, country)
    scale = selectors.scale_of(instruments)
    threshold = selectors.stage_order(scale, code)
    results = []
    for day in dates:
        pairs = _stages_on(instruments, day)
        counted = [i for i, stage in pairs if stage.order >= threshold]
        value = len({i.country_id for i in counted}) if per_country else len(counted)
        results.append(
            Computed(
                value=Decimal(value),
                records=counted,
                figures=[(_("Instruments at each stage"), ""), *_per_stage(pairs, scale)]
                if wants_figures()
                else [],
            )
        )
    return results


@_registered("national_instruments_implemented")
def national_instruments_implemented(*, indicator, dates, country=None) -> list[Computed]:
    return _at_least(
        indicator=indicator,
        dates=dates,
        country=country,
        code=selectors.IMPLEMENTED,
        per_country=True,
    )


@_registered("national_instruments_approved")
def national_instruments_approved(*, indicator, dates, country=None) -> list[Computed]:
    return _at_least(
        indicator=indicator, dates=dates, country=country, code=selectors.APPROVED, per_country=True
    )


@_registered("national_instruments_by_stage")
def national_instruments_by_stage(*, indicator, dates, country=None) -> list[Computed]:
    """The value counts the protocols elaborated (drafted or beyond); the
    figures say how many of them are approved and implemented."""
    instruments = _national(indicator, country)
    scale = selectors.scale_of(instruments)
    drafted, approved, implemented = (
        selectors.stage_order(scale, code)
        for code in (selectors.DRAFTED, selectors.APPROVED, selectors.IMPLEMENTED)
    )
    results = []
    for day in dates:
        pairs = _stages_on(instruments, day)
        elaborated = [i for i, stage in pairs if stage.order >= drafted]
        figures = (
            [
                (_("Elaborated (drafted or beyond)"), _number(len(elaborated))),
                (
                    _("Approved or implemented"),
                    _number(sum(1 for _i, s in pairs if s.order >= approved)),
                ),
                (_("Implemented"), _number(sum(1 for _i, s in pairs if s.order >= implemented))),
            ]
            if wants_figures()
            else []
        )
        results.append(
            Computed(value=Decimal(len(elaborated)), records=elaborated, figures=figures)
        )
    return results


@_registered("good_practice_replications")
def good_practice_replications(*, indicator, dates, country=None) -> list[Computed]:
    replications = (
        list(
            Replication.objects.filter(day__lte=max(dates))
            .select_related("country", "practice__country")
            .order_by("day", "pk")
        )
        if dates
        else []
    )
    if country is not None:
        replications = [r for r in replications if r.country_id == country.pk]
    # Whether a replication counts depends on the day it was adopted alone:
    # decided once, then counted on each date.
    between = selectors.replications_between_members(replications, max(dates)) if dates else []
    results = []
    for day in dates:
        counted = [r for r in between if r.day <= day]
        figures = (
            [
                (_("Good practices replicated"), _number(len({r.practice_id for r in counted}))),
                (
                    _("Countries that adopted a practice"),
                    _number(len({r.country_id for r in counted})),
                ),
            ]
            if wants_figures()
            else []
        )
        results.append(Computed(value=Decimal(len(counted)), records=counted, figures=figures))
    return results


@_registered("alliances")
def alliances(*, indicator, dates, country=None) -> list[Computed]:
    """Alliances with regional spaces formed by the date (an alliance that
    ended still counts: it was made); in force that day as a figure."""
    every = list(Alliance.objects.select_related("actor", "country").order_by("start", "pk"))
    results = []
    for day in dates:
        formed = [a for a in every if a.formed_by(day)]
        counted = [a for a in formed if a.actor.kind == Actor.Kind.REGIONAL_SPACE]
        figures = (
            [
                (_("In force on the date"), _number(sum(1 for a in counted if a.in_force_on(day)))),
                (_("Alliances with every kind of actor"), _number(len(formed))),
            ]
            if wants_figures()
            else []
        )
        results.append(Computed(value=Decimal(len(counted)), records=counted, figures=figures))
    return results


@_registered("joint_actions")
def joint_actions(*, indicator, dates, country=None) -> list[Computed]:
    if not dates:
        return []
    # One query: whether each action had an actor that is a regional space.
    with_space = JointAction.actors.through.objects.filter(
        jointaction=OuterRef("pk"), actor__kind=Actor.Kind.REGIONAL_SPACE
    )
    every = list(
        JointAction.objects.filter(day__lte=max(dates))
        .annotate(with_regional_space=Exists(with_space))
        .order_by("day", "pk")
    )
    results = []
    for day in dates:
        done = [j for j in every if j.day <= day]
        counted = [j for j in done if j.with_regional_space]
        figures = (
            [(_("Joint actions with every kind of actor"), _number(len(done)))]
            if wants_figures()
            else []
        )
        results.append(Computed(value=Decimal(len(counted)), records=counted, figures=figures))
    return results
