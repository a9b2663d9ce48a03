"""Disclosure control: worked examples, and the attacker's audit over random
tables and random combinations of published pivots (Hypothesis)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coalicion.statistics.disclosure import (
    MAX_CROSSED,
    OUTSIDER,
    TOTAL,
    NotPublishable,
    Rules,
    Status,
    Table,
    audit,
    categories_of,
    cell_key,
    is_publishable,
    protect,
    publishable_keys,
    shown,
)

RULES = Rules(threshold=10, protection_level=0)
T = TOTAL


def published(protection):
    return {key: cell.value for key, cell in protection.cells.items()}


def truth(counts, key):
    return sum(
        n
        for inner, n in counts.items()
        if all(c in (TOTAL, i) for c, i in zip(key, inner, strict=True))
    )


# Worked examples --------------------------------------------------------------


def test_a_small_count_is_hidden_and_its_margin_cannot_give_it_away():
    # Two countries by sex. Costa Rica has 3 men: hidden. Without secondary
    # suppression Costa Rica's total (53) minus its women (50) would give 3.
    counts = {("CR", "F"): 50, ("CR", "M"): 3, ("GT", "F"): 40, ("GT", "M"): 30}
    protection = protect(Table(("country", "sex"), counts), RULES)
    cells = protection.cells
    assert cells[("CR", "M")].value is None
    assert cells[("CR", "M")].status is Status.PRIMARY
    hidden = set(protection.hidden)
    # The rectangle CR×F, GT×F and GT×M, so that no row or column total works
    # the 3 out; and, because Guatemala knows its own 30 men, the regional
    # totals by sex too (33 − 30 would give Costa Rica's 3 to Guatemala).
    assert hidden == {
        ("CR", "M"),
        ("CR", "F"),
        ("GT", "M"),
        ("GT", "F"),
        (T, "M"),
        (T, "F"),
    }
    assert cells[("CR", T)].value == 53
    assert cells[("GT", T)].value == 70
    assert cells[(T, T)].value == 123
    report = audit(
        dimensions=("country", "sex"), counts=counts, published=published(protection), rules=RULES
    )
    assert not report.failures
    intervals = {f.attacker: (f.low, f.high) for f in report.findings if f.key == ("CR", "M")}
    # Whoever asks, the 3 could be anything from 0 to 53: below and above 10.
    assert intervals[OUTSIDER] == (pytest.approx(0), pytest.approx(53))
    assert intervals["GT"][1] >= 10


def test_primary_suppression_alone_fails_the_audit():
    counts = {("CR", "F"): 50, ("CR", "M"): 3, ("GT", "F"): 40, ("GT", "M"): 30}
    naive = {
        key: truth(counts, key) for key in protect(Table(("country", "sex"), counts), RULES).cells
    }
    naive[("CR", "M")] = None
    report = audit(dimensions=("country", "sex"), counts=counts, published=naive, rules=RULES)
    # Found exactly (3 to 3) by the outsider and by Guatemala.
    assert {(f.key, f.attacker) for f in report.failures} == {
        (("CR", "M"), OUTSIDER),
        (("CR", "M"), "GT"),
    }
    assert report.failures[0].low == pytest.approx(3) == report.failures[0].high


def test_a_country_cannot_recover_anothers_small_count_from_its_own_figures():
    # Regional men = 3 (GT) + 2 (CR) = 5 is itself small. Knowing its own 2,
    # Costa Rica must not be able to tell Guatemala's 3 from the regional total.
    counts = {
        ("CR", "F"): 40,
        ("CR", "M"): 2,
        ("GT", "F"): 35,
        ("GT", "M"): 3,
        ("HN", "F"): 30,
        ("HN", "M"): 25,
    }
    protection = protect(Table(("country", "sex"), counts), RULES)
    report = audit(
        dimensions=("country", "sex"), counts=counts, published=published(protection), rules=RULES
    )
    assert not report.failures
    insiders = {f.attacker for f in report.findings if f.key == ("GT", "M")}
    assert {"CR", "HN", OUTSIDER} <= insiders


def test_zeros_and_large_counts_are_published():
    counts = {("CR", "F"): 50, ("CR", "M"): 30, ("GT", "F"): 40}
    protection = protect(Table(("country", "sex"), counts), RULES)
    assert not protection.hidden
    assert shown(protection.cells, ("GT", "M")) == 0
    assert shown(protection.cells, ("GT", T)) == 40


def test_the_protection_level_widens_the_interval():
    counts = {
        ("CR", "F"): 50,
        ("CR", "M"): 3,
        ("GT", "F"): 40,
        ("GT", "M"): 30,
        ("HN", "F"): 20,
        ("HN", "M"): 15,
    }
    rules = Rules(threshold=10, protection_level=25)
    protection = protect(Table(("country", "sex"), counts), rules)
    report = audit(
        dimensions=("country", "sex"), counts=counts, published=published(protection), rules=rules
    )
    assert not report.failures
    for finding in report.findings:
        if finding.sensitive and finding.attacker is OUTSIDER:
            assert finding.high - finding.low >= 25


def test_cells_crossing_more_than_two_dimensions_are_not_publishable():
    dimensions = ("country", "sex", "age_group")
    assert cell_key(dimensions, {"sex": "F", "age_group": "child"}) == (T, "F", "child")
    with pytest.raises(NotPublishable):
        cell_key(dimensions, {"country": "CR", "sex": "F", "age_group": "child"})
    assert is_publishable(["year", "country", "sex"])
    assert not is_publishable(["country", "sex", "age_group"])
    assert MAX_CROSSED == 2


def test_rules_refuse_nonsense():
    with pytest.raises(ValueError):
        Rules(threshold=0)
    with pytest.raises(ValueError):
        Rules(threshold=10, protection_level=-1)


# Property-based: random tables, random pivots -----------------------------------

COUNTRIES = ("BZ", "CR", "GT", "HN")
DIMENSIONS = ("country", "sex", "age")
CODES = {"country": COUNTRIES, "sex": ("F", "M", "U"), "age": ("child", "adult")}


@st.composite
def tables(draw):
    countries = draw(st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True))
    counts = {}
    for country in countries:
        for sex in CODES["sex"]:
            for age in CODES["age"]:
                value = draw(st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 60)))
                if value:
                    counts[(country, sex, age)] = value
    return counts


@st.composite
def pivots(draw):
    """A pivot a user may ask for: two dimensions, and a filter (or the total)
    on the third only when that keeps the view publishable."""
    rows, columns = draw(st.permutations(DIMENSIONS))[:2]
    other = next(d for d in DIMENSIONS if d not in (rows, columns))
    return rows, columns, other


def pivot_cells(dimensions, rows, columns):
    """Every publishable cell a pivot rows × columns shows (with its margins)."""
    keys = []
    for row in (*CODES[rows], TOTAL):
        for column in (*CODES[columns], TOTAL):
            coordinates = {rows: row, columns: column}
            keys.append(cell_key(dimensions, {d: c for d, c in coordinates.items() if c != TOTAL}))
    return keys


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables(), asked=st.lists(pivots(), min_size=1, max_size=4))
def test_no_combination_of_published_pivots_narrows_a_hidden_small_count(counts, asked):
    if not counts:
        return
    protection = protect(Table(DIMENSIONS, counts), RULES)
    every = published(protection)
    # Everything published, then what a user saw through some pivots only.
    assert not audit(dimensions=DIMENSIONS, counts=counts, published=every, rules=RULES).failures
    seen = {}
    for rows, columns, _other in asked:
        for key in pivot_cells(DIMENSIONS, rows, columns):
            value = shown(protection.cells, key)
            if value is not None:
                assert value == truth(counts, key)
            else:
                assert RULES.is_sensitive(truth(counts, key)) or key in protection.hidden
            seen[key] = value
    # The attacker's knowledge is what the pivots showed; every other cell is
    # unknown to them.
    categories = categories_of(DIMENSIONS, counts)
    partial = {key: seen.get(key) for key in publishable_keys(categories)}
    report = audit(
        dimensions=DIMENSIONS,
        counts=counts,
        published=partial,
        rules=RULES,
        check=[key for key in protection.hidden if key in partial],
    )
    assert not report.failures


@settings(max_examples=30, deadline=None)
@given(counts=tables())
def test_every_small_count_is_hidden_and_every_shown_figure_is_true(counts):
    if not counts:
        return
    protection = protect(Table(DIMENSIONS, counts), RULES)
    for key, cell in protection.cells.items():
        value = truth(counts, key)
        if RULES.is_sensitive(value):
            assert cell.value is None and cell.status is Status.PRIMARY
        elif cell.value is not None:
            assert cell.value == value
