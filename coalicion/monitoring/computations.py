"""Indicators that count themselves (SPEC §7).

An app that owns records registers a named computation; an indicator whose
source is "computed" names it in the plan file (`computation:`). A
computation returns the value as of a date — for a country, when the
indicator is disaggregated — and the records that make the number, for the
drill-down page.

    @register("agreements_fulfilled")
    def agreements_fulfilled(*, indicator, as_of, country=None) -> Computed: ...

A computation may also offer `function.many(*, indicator, dates, country)`
returning one Computed per date from a single reading of its records: the
matrix and the trend ask for a value per year of the plan, and the number
of queries must not grow with the years.
"""

import datetime
from collections.abc import Callable, Hashable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from decimal import Decimal

from coalicion.core import figures


@dataclass
class Computed:
    value: Decimal | None
    records: list = field(default_factory=list)  # the records counted, for the drill-down
    stage_percent: Decimal | None = None  # milestone indicators: the stage reached
    stage_name: str = ""
    # Further figures for the drill-down page: (label, formatted value).
    figures: list = field(default_factory=list)


Computation = Callable[..., Computed]
_REGISTRY: dict[str, Computation] = {}


def register(name: str) -> Callable[[Computation], Computation]:
    def decorator(function: Computation) -> Computation:
        if name in _REGISTRY and _REGISTRY[name] is not function:
            raise ValueError(f"The computation {name!r} is registered twice.")
        _REGISTRY[name] = function
        return function

    return decorator


# Records that several computations read (every instrument with its stage
# history, say), read once while a batch of indicators is computed.
_batch: ContextVar[dict | None] = ContextVar("computations_batch", default=None)


@contextmanager
def batch():
    """While computing several indicators (the matrix's rows): what they
    read through `shared` is read once."""
    token = _batch.set({})
    try:
        yield
    finally:
        _batch.reset(token)


_values_only: ContextVar[bool] = ContextVar("computations_values_only", default=False)


@contextmanager
def values_only():
    """For callers that show only the values (the matrix's rows): the
    computations leave out the figures of their drill-down (counts per
    stage, rates, texts), which cost more than the values themselves."""
    token = _values_only.set(True)
    try:
        yield
    finally:
        _values_only.reset(token)


def wants_figures() -> bool:
    """Whether a computation should work out the figures of its drill-down."""
    return not _values_only.get()


def in_batch() -> bool:
    return _batch.get() is not None


def shared(key: Hashable, load: Callable[[], object]):
    """`load()`, read once per `batch` (every time outside one). What it
    returns is shared by the computations of the batch: they must not
    change it."""
    memo = _batch.get()
    if memo is None:
        return load()
    if key not in memo:
        memo[key] = load()
    return memo[key]


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def get(name: str) -> Computation | None:
    return _REGISTRY.get(name)


def registered() -> list[str]:
    return sorted(_REGISTRY)


def compute(*, indicator, as_of: datetime.date, country=None) -> Computed | None:
    """The indicator's computed value, or None while its computation is not
    registered (the app that owns its records has not been built yet)."""
    function = get(indicator.computation)
    if function is None:
        return None
    return function(indicator=indicator, as_of=as_of, country=country)


# A computation may read any app's records (ADR 0055).
SOURCES = ("plans", "monitoring", "meetings", "cooperation", "membership")


def compute_many(
    *, indicator, dates: list[datetime.date], country=None, keep: bool = True
) -> list[Computed | None]:
    """The value on each of `dates` (None for all while not registered),
    without the records counted (the drill-down asks `compute`), kept in the
    figures cache (ADR 0055) until a write to any app computations read.
    `keep=False` for a caller that keeps its whole result itself (the
    matrix's rows): a second copy would cost a cache write per indicator."""
    function = get(indicator.computation)
    if function is None:
        return [None for _ in dates]
    dates = list(dates)
    if not keep:
        return [_without_records(c) for c in _compute_many(function, indicator, dates, country)]
    return figures.cached(
        "computed",
        (indicator.computation, indicator.pk, indicator.code, dates, getattr(country, "pk", None)),
        lambda: [_without_records(c) for c in _compute_many(function, indicator, dates, country)],
        depends_on=SOURCES,
    )


def _without_records(computed: Computed | None) -> Computed | None:
    if computed is None or not computed.records:
        return computed
    return replace(computed, records=[])


def _compute_many(function, indicator, dates, country) -> list[Computed | None]:
    many = getattr(function, "many", None)
    if many is not None:
        return many(indicator=indicator, dates=list(dates), country=country)
    return [function(indicator=indicator, as_of=day, country=country) for day in dates]
