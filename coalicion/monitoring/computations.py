"""Indicators that count themselves (SPEC §7).

An app that owns records registers a named computation; an indicator whose
source is "computed" names it in the plan file (`computation:`). A
computation returns the value as of a date — for a country, when the
indicator is disaggregated — and the records that make the number, for the
drill-down page.

    @register("agreements_fulfilled")
    def agreements_fulfilled(*, indicator, as_of, country=None) -> Computed: ...
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Computed:
    value: Decimal | None
    records: list = field(default_factory=list)  # the records counted, for the drill-down
    stage_percent: Decimal | None = None  # milestone indicators: the stage reached
    stage_name: str = ""


Computation = Callable[..., Computed]
_REGISTRY: dict[str, Computation] = {}


def register(name: str) -> Callable[[Computation], Computation]:
    def decorator(function: Computation) -> Computation:
        if name in _REGISTRY and _REGISTRY[name] is not function:
            raise ValueError(f"The computation {name!r} is registered twice.")
        _REGISTRY[name] = function
        return function

    return decorator


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
