"""Disclosure control: the one module that decides which figures may be shown
to people who may not see a country's full figures (ADR 0020).

Pure functions over plain data; the linear programmes are solved by HiGHS
through :func:`scipy.optimize.linprog`. Nothing here reads the database.

The protected set
    For one measure and one year, the *inner cells* are the counts of every
    combination of the reporting country and the measure's characteristics
    (sex, age group, …) that occurs in the data. The *publishable cells* are
    every sum of inner cells that crosses at most :data:`MAX_CROSSED`
    dimensions, all the others summed over (``TOTAL``): the grand total,
    every one-way table (country; sex; …) and every two-way table (country ×
    sex, sex × age group, …), all of them linked through their common
    margins. Every figure the system shows to anyone but the owning country
    and the Secretariat — pivots, charts, exports, the public page — is one
    of these cells, read from the protected set that :func:`protect` makes
    once per data version. Years are protected separately: no total over
    several years is published, so no published equation links two years.

Primary suppression
    A cell with ``1 ≤ n < threshold`` is hidden.

Secondary suppression
    For each hidden sensitive cell, a linear programme looks for the cheapest
    way (in published cells changed, weighted by their size) to move the
    cell's value up to ``max(threshold, n + protection level)`` while every
    published equation still holds and no count becomes negative (the
    Fischetti–Salazar model used by tau-Argus). Every published cell that
    move changes is hidden too; the move is kept as a *witness* that the
    attacker's interval reaches that far. Because the owning country's focal
    points see their own figures in full, a witness must also exist for each
    other country as an *insider* who knows all of its own inner cells: the
    witness must leave that country's cells untouched.

Audit
    :func:`audit` is independent of the above: from the published figures
    only, it writes the attacker's equations afresh and solves, for every
    hidden cell, the minimum and the maximum of its value given everything
    published and non-negativity (and, for each country, that country's own
    cells). A sensitive hidden cell passes when its interval includes values
    below the threshold and at or above it, and is at least the protection
    level wide; any other hidden cell passes when it cannot be recovered
    exactly.
"""

import enum
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

TOTAL = "_T"
# Cells may cross at most this many dimensions (the year apart).
MAX_CROSSED = 2
# The attacker who knows nothing but what is published.
OUTSIDER = None
# Below this a number from the solver is zero.
TOLERANCE = 1e-6

Key = tuple[str, ...]


class Status(enum.StrEnum):
    PUBLISHED = "published"
    PRIMARY = "primary"  # hidden: a small count
    SECONDARY = "secondary"  # hidden: it would let a small count be worked out


@dataclass(frozen=True)
class Rules:
    """The threshold T (a count 1 ≤ n < T is hidden) and the protection level P
    (the attacker's interval for a hidden small count must be at least P wide,
    besides including values below T and at or above T)."""

    threshold: int = 10
    protection_level: int = 0

    def __post_init__(self):
        if self.threshold < 1:
            raise ValueError("The threshold must be 1 or more.")
        if self.protection_level < 0:
            raise ValueError("The protection level must be 0 or more.")

    def is_sensitive(self, value: float) -> bool:
        return 1 <= value < self.threshold

    def upper_target(self, value: int) -> int:
        """How high the attacker must not be able to rule out a hidden small count."""
        return max(self.threshold, value + self.protection_level)

    def is_protected(self, low: float, high: float) -> bool:
        return (
            low < self.threshold - TOLERANCE
            and high >= self.threshold - TOLERANCE
            and high - low >= self.protection_level - TOLERANCE
        )


@dataclass(frozen=True)
class Table:
    """The inner cells of one measure and year: {(code per dimension): count}.

    ``owner`` is the position of the dimension whose code says whose data an
    inner cell is (the reporting country), or None when nobody outside
    sees part of the data in full.
    """

    dimensions: tuple[str, ...]
    counts: Mapping[Key, int]
    owner: int | None = 0


@dataclass(frozen=True)
class Cell:
    """A publishable cell as it may be shown: its value, or None when hidden."""

    value: int | None
    status: Status


@dataclass
class Protection:
    cells: dict[Key, Cell]  # the non-zero publishable cells; a cell not here is 0
    solves: int = 0  # linear programmes solved

    @property
    def hidden(self) -> list[Key]:
        return [key for key, cell in self.cells.items() if cell.value is None]


def crossed(key: Key) -> int:
    return sum(code != TOTAL for code in key)


def subsets(size: int, max_crossed: int = MAX_CROSSED) -> list[tuple[int, ...]]:
    """The publishable combinations of dimension positions."""
    return [
        combination
        for count in range(min(max_crossed, size) + 1)
        for combination in itertools.combinations(range(size), count)
    ]


# The linked tables ---------------------------------------------------------------


@dataclass
class Tables:
    """Every publishable cell of a table (zero cells included), their values,
    each country's contribution to them, and the additivity relations that
    link them (relations @ values == 0)."""

    dimensions: tuple[str, ...]
    keys: list[Key]
    index: dict[Key, int]
    values: np.ndarray
    contributions: dict[str, np.ndarray]  # per country: its part of each cell
    relations: sparse.csr_matrix


def categories_of(dimensions: Sequence[str], inner: Iterable[Key]) -> list[list[str]]:
    seen: list[set[str]] = [set() for _ in dimensions]
    for key in inner:
        for position, code in enumerate(key):
            seen[position].add(code)
    return [sorted(codes) for codes in seen]


def publishable_keys(
    categories: Sequence[Sequence[str]], max_crossed: int = MAX_CROSSED
) -> list[Key]:
    keys = []
    for combination in subsets(len(categories), max_crossed):
        for codes in itertools.product(*(categories[d] for d in combination)):
            key = [TOTAL] * len(categories)
            for d, code in zip(combination, codes, strict=True):
                key[d] = code
            keys.append(tuple(key))
    return keys


def additivity(categories: Sequence[Sequence[str]], index: Mapping[Key, int]) -> sparse.csr_matrix:
    """One row per relation "the cells of a row (or column) of a table add up
    to its margin": for every one-way table, its cells add up to the grand
    total; for every two-way table, each row and each column adds up to the
    one-way cell it shares with the other tables."""
    size = len(categories)
    rows, columns, signs = [], [], []
    count = 0

    def relation(parts: Iterable[Key], margin: Key) -> None:
        nonlocal count
        for part in parts:
            rows.append(count)
            columns.append(index[part])
            signs.append(1.0)
        rows.append(count)
        columns.append(index[margin])
        signs.append(-1.0)
        count += 1

    def key_of(**coordinates) -> Key:
        key = [TOTAL] * size
        for d, code in coordinates.items():
            key[int(d[1:])] = code
        return tuple(key)

    grand = tuple([TOTAL] * size)
    for d in range(size):
        relation((key_of(**{f"d{d}": code}) for code in categories[d]), grand)
    for first, second in itertools.combinations(range(size), 2):
        for code in categories[first]:
            parts = (
                key_of(**{f"d{first}": code, f"d{second}": other}) for other in categories[second]
            )
            relation(parts, key_of(**{f"d{first}": code}))
        for code in categories[second]:
            parts = (
                key_of(**{f"d{first}": other, f"d{second}": code}) for other in categories[first]
            )
            relation(parts, key_of(**{f"d{second}": code}))
    return sparse.csr_matrix((signs, (rows, columns)), shape=(count, len(index)))


def linked_tables(table: Table, max_crossed: int = MAX_CROSSED) -> Tables:
    if max_crossed != MAX_CROSSED:
        raise ValueError("Only tables of up to two crossed dimensions are modelled.")
    counts = {key: count for key, count in table.counts.items() if count}
    if any(count < 0 for count in counts.values()):
        raise ValueError("Counts cannot be negative.")
    categories = categories_of(table.dimensions, counts)
    keys = publishable_keys(categories, max_crossed)
    index = {key: position for position, key in enumerate(keys)}
    # Each inner cell adds its count to one cell of every publishable
    # combination of dimensions. `keys` lists the combinations in the order
    # of `subsets`, each one's cells in mixed-radix order of its codes.
    inner = list(counts)
    amounts = np.array([counts[key] for key in inner], dtype=float)
    lookup = [{code: number for number, code in enumerate(codes)} for codes in categories]
    positions = np.array(
        [[lookup[d][key[d]] for d in range(len(categories))] for key in inner],
        dtype=np.int64,
    ).reshape(len(inner), len(categories))
    cells = np.empty((len(inner), 0), dtype=np.int64)
    offset = 0
    columns = []
    for combination in subsets(len(table.dimensions), max_crossed):
        number = np.zeros(len(inner), dtype=np.int64)
        size = 1
        for d in combination:
            number = number * len(categories[d]) + positions[:, d]
            size *= len(categories[d])
        columns.append(offset + number)
        offset += size
    cells = np.column_stack(columns) if columns else cells
    values = np.bincount(
        cells.ravel(), weights=np.repeat(amounts, cells.shape[1]), minlength=len(keys)
    )
    contributions: dict[str, np.ndarray] = {}
    if table.owner is not None:
        for number, owner in enumerate(categories[table.owner]):
            mine = positions[:, table.owner] == number
            contributions[owner] = np.bincount(
                cells[mine].ravel(),
                weights=np.repeat(amounts[mine], cells.shape[1]),
                minlength=len(keys),
            )
    return Tables(
        dimensions=tuple(table.dimensions),
        keys=keys,
        index=index,
        values=values,
        contributions=contributions,
        relations=additivity(categories, index),
    )


def _attackers_of(tables: Tables, position: int, owner: int | None) -> set:
    """Who must not be able to narrow the cell down: the outsider, and every
    country but the one whose cell it is (a country knows its own data, so a
    cell made only of one country's data is no secret to it)."""
    attackers: set = {OUTSIDER}
    if owner is None:
        return attackers
    own = tables.keys[position][owner]
    value = tables.values[position]
    for country, part in tables.contributions.items():
        if country == own or part[position] >= value:
            continue
        attackers.add(country)
    return attackers


def _knowledge(tables: Tables, attacker, owner: int | None) -> tuple[np.ndarray, np.ndarray]:
    """What is left unknown to `attacker`: the cells' values less the
    attacker's own part, and which cells are the attacker's own (known)."""
    own = np.zeros(len(tables.keys), dtype=bool)
    if attacker is OUTSIDER:
        return tables.values, own
    for position, key in enumerate(tables.keys):
        own[position] = key[owner] == attacker
    return tables.values - tables.contributions[attacker], own


# Suppression -----------------------------------------------------------------


def protect(table: Table, rules: Rules, max_crossed: int = MAX_CROSSED) -> Protection:
    """Primary and secondary suppression of every publishable cell of `table`."""
    tables = linked_tables(table, max_crossed)
    values = tables.values
    size = len(tables.keys)
    status = [Status.PUBLISHED] * size
    primaries = [p for p in range(size) if rules.is_sensitive(values[p])]
    for position in primaries:
        status[position] = Status.PRIMARY
    # Finest cells first: their patterns often cover the margins' needs too.
    primaries.sort(key=lambda p: (-crossed(tables.keys[p]), values[p], tables.keys[p]))
    needs = {p: _attackers_of(tables, p, table.owner) for p in primaries}
    deltas = {p: rules.upper_target(int(values[p])) - values[p] for p in primaries}
    knowledge = {}
    solves = 0
    for position in primaries:
        while needs[position]:
            attacker = OUTSIDER if OUTSIDER in needs[position] else sorted(needs[position])[0]
            if attacker not in knowledge:
                knowledge[attacker] = _knowledge(tables, attacker, table.owner)
            unknown, own = knowledge[attacker]
            move = _cheapest_move(
                relations=tables.relations,
                unknown=unknown,
                own=own,
                weights=1.0 + values,
                hidden=np.array([s is not Status.PUBLISHED for s in status]),
                position=position,
                delta=deltas[position],
            )
            solves += 1
            for changed in np.flatnonzero(move != 0).tolist():
                if status[changed] is Status.PUBLISHED:
                    status[changed] = Status.SECONDARY
            # The move is a witness for every small count it lifts far enough,
            # against every attacker to whom it is a possible change.
            valid = set()
            for candidate in {a for p in primaries for a in needs[p]}:
                if candidate not in knowledge:
                    knowledge[candidate] = _knowledge(tables, candidate, table.owner)
                left, theirs = knowledge[candidate]
                if not move[theirs].any() and (left + move >= -TOLERANCE).all():
                    valid.add(candidate)
            for other in primaries:
                if needs[other] and move[other] >= deltas[other] - TOLERANCE:
                    needs[other] -= valid
            if attacker in needs[position]:
                # Cannot happen (the move was made for this attacker); refuse
                # to loop rather than publish.
                raise RuntimeError("Disclosure control could not protect a cell.")
    cells = {}
    for position, key in enumerate(tables.keys):
        if values[position] == 0 and status[position] is Status.PUBLISHED:
            continue  # a cell not listed is zero
        shown = status[position] is Status.PUBLISHED
        cells[key] = Cell(round(float(values[position])) if shown else None, status[position])
    return Protection(cells=cells, solves=solves)


def _cheapest_move(*, relations, unknown, own, weights, hidden, position, delta) -> np.ndarray:
    """A change y of the cells that keeps the tables additive (relations @ y
    = 0), no cell negative (unknown + y ≥ 0), the attacker's own cells as
    they are, lifts cell `position` by at least `delta`, and changes the
    published cells as little as possible: min Σ w_c |y_c| over published c.

    y = up − down with up, down ≥ 0, so that |y_c| is up_c + down_c.
    """
    size = len(unknown)
    cost = np.where(hidden, 0.0, weights)
    cost[position] = 0.0
    up_high = np.full(size, np.inf)
    down_high = np.maximum(unknown.astype(float), 0.0)
    up_high[own] = 0.0
    down_high[own] = 0.0
    up_low = np.zeros(size)
    up_low[position] = delta
    down_high[position] = 0.0
    bounds = np.column_stack(
        [np.concatenate([up_low, np.zeros(size)]), np.concatenate([up_high, down_high])]
    )
    result = linprog(
        np.concatenate([cost, cost]),
        A_eq=sparse.hstack([relations, -relations], format="csr"),
        b_eq=np.zeros(relations.shape[0]),
        bounds=bounds,
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"Disclosure control: the solver failed ({result.message}).")
    move = result.x[:size] - result.x[size:]
    move[np.abs(move) < TOLERANCE] = 0.0
    return move


# Audit -------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    key: Key
    attacker: str | None  # None: the outsider
    value: int
    low: float
    high: float
    sensitive: bool
    ok: bool


@dataclass
class AuditReport:
    findings: list[Finding] = field(default_factory=list)
    solves: int = 0

    @property
    def failures(self) -> list[Finding]:
        return [finding for finding in self.findings if not finding.ok]


def audit(
    *,
    dimensions: Sequence[str],
    counts: Mapping[Key, int],
    published: Mapping[Key, int | None],
    rules: Rules,
    owner: int | None = 0,
    check: Iterable[Key] | None = None,
) -> AuditReport:
    """The attacker's linear programmes for every hidden cell of `published`
    ({key: value shown, or None when hidden or not seen; a publishable key
    that is not there was shown as 0}), or for the cells of `check` only.

    Written afresh from what was shown, not from :func:`protect`'s workings:
    the unknowns are the hidden cells; the attacker knows every shown value,
    that the tables add up (each row and column of a two-way table to its
    one-way margin, each one-way table to the grand total) and that no count
    is negative, and solves for the least and the greatest value of each
    hidden cell. An insider country also knows its own data: its own cells
    and its part of every regional cell. `counts` are the true inner cells,
    used for the insiders' knowledge and to report each cell's true value.
    """
    size = len(dimensions)
    inner = {key: count for key, count in counts.items() if count}
    categories = categories_of(dimensions, list(inner) + list(published))
    categories = [[code for code in codes if code != TOTAL] for codes in categories]
    keys = publishable_keys(categories)
    index = {key: position for position, key in enumerate(keys)}
    stray = [key for key in published if key not in index]
    if stray:
        raise ValueError(f"Not publishable cells: {stray[:3]}")
    relations = additivity(categories, index).toarray()
    inner_keys = list(inner)
    amounts = np.array([inner[key] for key in inner_keys], dtype=float)
    columns = np.array(inner_keys, dtype=object).reshape(len(inner_keys), size)
    matches = {(d, code): columns[:, d] == code for d in range(size) for code in categories[d]}
    member = np.zeros((len(keys), len(inner_keys)))
    for position, cell in enumerate(keys):
        mask = np.ones(len(inner_keys), dtype=bool)
        for d, code in enumerate(cell):
            if code != TOTAL:
                mask = mask & matches[(d, code)]
        member[position] = mask
    truth = member @ amounts
    parts: dict[str, np.ndarray] = {}
    if owner is not None:
        for country in categories[owner]:
            parts[country] = member @ (amounts * matches[(owner, country)])
    shown = np.array([published.get(key, 0) is not None for key in keys])
    seen = np.array([published.get(key, 0) or 0 for key in keys], dtype=float)
    hidden = np.flatnonzero(~shown)
    checked = hidden.tolist() if check is None else sorted(index[key] for key in check)
    report = AuditReport()
    for position in checked:
        key = keys[position]
        value = int(truth[position])
        sensitive = rules.is_sensitive(value)
        attackers: list = [OUTSIDER]
        if sensitive and owner is not None:
            attackers += sorted(
                country
                for country, part in parts.items()
                if country != key[owner] and part[position] < value
            )
        for attacker in attackers:
            known = seen.copy()
            fixed = np.zeros(len(keys), dtype=bool)
            base = 0.0
            if attacker is not OUTSIDER:
                part = parts[attacker]
                known = known - part  # what the others contributed to what was shown
                fixed = np.array([cell[owner] == attacker for cell in keys]) & ~shown
                base = part[position]
            # An insider's minimum matters only for the width rule: every
            # interval holds the true value, which is below the threshold.
            both = attacker is OUTSIDER or rules.protection_level > 0
            low, high = _interval(relations, known, shown, fixed, hidden, position, both)
            report.solves += 2 if both else 1
            low, high = low + base, high + base
            ok = rules.is_protected(low, high) if sensitive else high - low > TOLERANCE
            report.findings.append(Finding(key, attacker, value, low, high, sensitive, ok))
    return report


def _interval(relations, known, shown, fixed, hidden, position, both) -> tuple[float, float]:
    """Min and max of hidden cell `position` (of the others' part, for an
    insider) over the hidden cells h ≥ 0 with relations @ cells = 0."""
    unknowns = hidden.tolist()
    column = {cell: j for j, cell in enumerate(unknowns)}
    matrix = relations[:, unknowns]
    rhs = -(relations[:, shown] @ known[shown])
    keep = np.abs(matrix).sum(axis=1) > 0
    low = np.zeros(len(unknowns))
    high = np.full(len(unknowns), np.inf)
    for cell, j in column.items():
        if fixed[cell]:
            # An insider's own hidden cell: known to it, nothing left of others.
            low[j] = high[j] = 0.0
    objective = np.zeros(len(unknowns))
    objective[column[position]] = 1.0
    extremes = [] if both else [0.0]
    for sense in (1.0, -1.0) if both else (-1.0,):
        result = linprog(
            sense * objective,
            A_eq=sparse.csr_matrix(matrix[keep]) if keep.any() else None,
            b_eq=rhs[keep] if keep.any() else None,
            bounds=np.column_stack([low, high]),
            method="highs",
        )
        if result.status == 3:
            extremes.append(np.inf)
            continue
        if result.status != 0:
            raise RuntimeError(f"Audit: the solver failed ({result.message}).")
        extremes.append(sense * result.fun)
    return extremes[0], extremes[1]


# Serving -----------------------------------------------------------------------


class NotPublishable(ValueError):
    """The figures asked for cross more dimensions than are published."""


def is_publishable(used: Iterable[str], *, year: str = "year") -> bool:
    """Whether a view that breaks figures down (rows, columns or a filter) by
    `used` is made of publishable cells: at most MAX_CROSSED besides the year."""
    return len(set(used) - {year}) <= MAX_CROSSED


def cell_key(dimensions: Sequence[str], coordinates: Mapping[str, str]) -> Key:
    """The key of the publishable cell at `coordinates` ({dimension: code};
    every other dimension summed over)."""
    unknown = set(coordinates) - set(dimensions)
    if unknown:
        raise NotPublishable(f"Unknown dimensions: {sorted(unknown)}")
    key = tuple(coordinates.get(dimension, TOTAL) for dimension in dimensions)
    if crossed(key) > MAX_CROSSED:
        raise NotPublishable("Too many dimensions crossed.")
    return key


def shown(cells: Mapping[Key, Cell], key: Key) -> int | None:
    """The value that may be shown for cell `key`: a number, 0 for a cell
    with no data, or None when hidden."""
    cell = cells.get(key)
    if cell is None:
        return 0
    return cell.value
