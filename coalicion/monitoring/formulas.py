"""The rules of SPEC §3, each one pure function: the roll-up of execution,
the status of an activity, the achievement of an indicator and its pace.

Every page, export, API and report calls these; nothing recomputes a number
its own way. Numbers are Decimals (percentages 0–100)."""

import datetime
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

ZERO = Decimal(0)
HUNDRED = Decimal(100)
# On track means at least this share of the progress expected by the date.
ON_TRACK_SHARE = Decimal("0.85")


class ReportFact(NamedTuple):
    """A validated progress report, as the roll-up needs it."""

    period_end: datetime.date
    validated_on: datetime.date
    percent: Decimal


def activity_progress(
    reports: Iterable[ReportFact], as_of: datetime.date, known_by: datetime.date | None = None
) -> Decimal:
    """The latest validated report whose period ended on or before `as_of`
    and that was validated by `known_by` (default: `as_of`); none: 0."""
    known_by = known_by or as_of
    latest = None  # the first of the latest (period end, then validation)
    for report in reports:
        if report.period_end > as_of or report.validated_on > known_by:
            continue
        if latest is None or (report.period_end, report.validated_on) > (
            latest.period_end,
            latest.validated_on,
        ):
            latest = report
    return ZERO if latest is None else latest.percent


def shared_progress(parts: Iterable[Decimal]) -> Decimal | None:
    """A shared activity's regional progress: the plain mean of its parts,
    one per country that is a member on the date asked about (a country
    without a validated report brings 0). None without any part."""
    parts = list(parts)
    if not parts:
        return None
    return sum(parts, ZERO) / len(parts)


class Child(NamedTuple):
    weight: Decimal
    progress: Decimal | None  # None: the child itself has no progress
    cancelled: bool = False


def weighted_progress(children: Iterable[Child]) -> Decimal | None:
    """Σ(weight × progress) / Σ weight over the children that count.

    Cancelled children, and children without progress (all of theirs
    cancelled), are left out of both sums. None when nothing counts (no
    children, all cancelled, or all weights zero): "no progress", not 0.
    """
    total_weight = ZERO
    total = ZERO
    for weight, progress, cancelled in children:
        if cancelled or progress is None:
            continue
        total_weight += weight
        total += weight * progress
    if total_weight == 0:
        return None
    return total / total_weight


class ActivityStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DELAYED = "delayed"
    CANCELLED = "cancelled"


def activity_status(
    *, progress: Decimal | None, end: datetime.date | None, cancelled: bool, as_of: datetime.date
) -> ActivityStatus:
    if cancelled:
        return ActivityStatus.CANCELLED
    progress = progress if progress is not None else ZERO
    if progress >= HUNDRED:
        return ActivityStatus.COMPLETED
    if end is not None and end < as_of:
        return ActivityStatus.DELAYED
    if progress > 0:
        return ActivityStatus.IN_PROGRESS
    return ActivityStatus.NOT_STARTED


def achievement(
    *,
    kind: str,
    direction: str,
    baseline: Decimal | None,
    target: Decimal | None,
    current: Decimal | None,
    stage_percent: Decimal | None = None,
) -> Decimal | None:
    """Achievement of an indicator, 0–100, or None when it cannot be known.

    Count and percentage: clamp((current − baseline) / (target − baseline),
    0, 1) × 100, mirrored for "decrease"; where target equals baseline, 100
    once current reaches the target. A missing baseline counts as 0 for an
    increase; a decrease without a baseline cannot be measured (None).
    Milestone: the percentage of the current stage (plan data).
    """
    if kind == "milestone":
        return stage_percent
    if current is None or target is None:
        return None
    if baseline is None and direction == "decrease":
        return None  # "down from what?": no baseline, no measure of a decrease
    base = baseline if baseline is not None else ZERO
    if direction == "decrease":
        base, target, current = -base, -target, -current
    if target == base:
        return HUNDRED if current >= target else ZERO
    share = (current - base) / (target - base)
    return min(max(share, ZERO), Decimal(1)) * HUNDRED


def _year_end(year: int) -> datetime.date:
    return datetime.date(year, 12, 31)


def expected_value(
    *,
    baseline: Decimal | None,
    baseline_year: int | None,
    target: Decimal | None,
    target_year: int | None,
    as_of: datetime.date,
) -> Decimal | None:
    """The value expected on `as_of` (SPEC §3).

    At the end of year Y: baseline + (target − baseline) × (Y − baseline
    year) / (target year − baseline year) — the baseline at the end of the
    baseline year, the target at the end of the target year; between two
    year ends, interpolated by days; before the end of the baseline year, the
    baseline; after the end of the target year, the target. Without a
    baseline (or a target, or their years) nothing is expected.
    """
    if baseline is None or target is None or baseline_year is None or target_year is None:
        return None
    if target_year <= baseline_year:
        return target if as_of >= _year_end(target_year) else baseline

    def at_year_end(year: int) -> Decimal:
        share = Decimal(year - baseline_year) / Decimal(target_year - baseline_year)
        return baseline + (target - baseline) * share

    if as_of <= _year_end(baseline_year):
        return baseline
    if as_of >= _year_end(target_year):
        return target
    start, end = _year_end(as_of.year - 1), _year_end(as_of.year)
    share = Decimal((as_of - start).days) / Decimal((end - start).days)
    before, after = at_year_end(as_of.year - 1), at_year_end(as_of.year)
    return before + (after - before) * share


class Pace(StrEnum):
    AHEAD = "ahead"
    ON_TRACK = "on_track"
    BEHIND = "behind"


def pace(
    *, baseline: Decimal | None, expected: Decimal | None, current: Decimal | None, direction: str
) -> Pace | None:
    """Pace = (current − baseline) / (expected − baseline) (mirrored for a
    decrease): ahead above 100 %, on track from 85 %, behind below. Where
    nothing more than the baseline is expected yet, on track once the
    current value has reached it, otherwise behind. None without a
    baseline, an expected value or a current value."""
    if expected is None or current is None or baseline is None:
        return None
    if direction == "decrease":
        baseline, expected, current = -baseline, -expected, -current
    expected_progress = expected - baseline
    actual_progress = current - baseline
    if expected_progress == 0:
        return Pace.ON_TRACK if current >= expected else Pace.BEHIND
    ratio = actual_progress / expected_progress
    if ratio > 1:
        return Pace.AHEAD
    if ratio >= ON_TRACK_SHARE:
        return Pace.ON_TRACK
    return Pace.BEHIND
