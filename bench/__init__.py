"""Benchmark harness of Coalición: `make bench` or `python -m bench`.

`python -m bench` (bench/run.py) makes a temporary database per backend
(SQLite file, PostgreSQL database), and in a subprocess with DATABASE_URL
pointing at it runs `python -m bench.measure` (bench/measure.py), which
migrates, seeds the synthetic dataset (`manage.py seed_synthetic`) and runs
every registered measurement.

A module adds measurements by creating bench/measurements/<area>.py with
functions decorated with `@measurement("name")`: each takes a `Context` and
returns a list of `Measured` (or raises `Skip` with the reason). Use
`time_it` so every figure is a median with its SQL query count. Each result
is printed as one machine-readable line:

    BENCH <name> <backend> median_s=<float> queries=<int> scale=<n> [key=<float> ...]
"""

import datetime
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Context:
    backend: str  # "sqlite" or "postgresql"
    runs: int  # timed runs per measurement (after one warm-up run)
    plan: Any  # the Coalition's plan (coalicion.plans.models.Plan)
    as_of: datetime.date  # "today" for the measurements
    scale: float = 1.0  # 40 × scale activities per POA in the synthetic dataset


@dataclass
class Measured:
    name: str
    median_s: float
    queries: int
    extra: dict[str, float] = field(default_factory=dict)

    def line(self, backend: str, *, scale: float = 1.0) -> str:
        parts = [
            f"BENCH {self.name} {backend}",
            f"median_s={self.median_s:.6f}",
            f"queries={self.queries}",
            f"scale={scale:g}",
        ]
        parts += [f"{key}={value:.3f}" for key, value in self.extra.items()]
        return " ".join(parts)


class Skip(Exception):
    """The measurement cannot run here; the message says why."""


MEASUREMENTS: dict[str, Callable[[Context], list[Measured]]] = {}


def measurement(name: str):
    """Register a measurement under `name` (run in the order registered)."""

    def register(func):
        if name in MEASUREMENTS:
            raise ValueError(f"Two benchmark measurements are named {name!r}.")
        MEASUREMENTS[name] = func
        return func

    return register


def time_it(
    func: Callable[[], Any],
    runs: int,
    *,
    before: Callable[[], Any] | None = None,
    fresh: bool = True,
) -> tuple[float, int, Any]:
    """Call `func` once to warm up (counting its SQL queries and keeping its
    result), then `runs` times more: (median seconds, queries, result).
    With `fresh` (the default) Django's cache is emptied, untimed, before
    every call, so every call computes its figures (the cache of computed
    figures would otherwise answer the timed calls); `fresh=False` measures
    what the next user finds when nothing was written since. `before`, when
    given, also runs untimed before every call."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def prepare():
        if fresh:
            cache.clear()
        if before:
            before()

    prepare()
    with CaptureQueriesContext(connection) as captured:
        result = func()
    # Count now: the captured queries are a view of the connection's log,
    # which the requests of later runs reset.
    queries = len(captured)
    times = []
    for _ in range(runs):
        prepare()
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times), queries, result
