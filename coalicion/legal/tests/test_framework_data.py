"""Every ratification date of tables A and B, read again from the plan
document's plain-text copy (tests/data/plan-section-iv.txt) and compared with
what the plan file loaded.

The copy prints each table column by column: the instruments, then one country
list per instrument, then one block of dates per instrument. The rule for
reading a date block: its lines follow the country list from the top, one line
per country; a blank line stands for a country without a date; countries after
the block's last line have no date. A block is read only where that rule fixes
every line (see `BLOCKS`); the only row it cannot fix stays unassigned.
"""

import datetime
import re
from pathlib import Path

import pytest

from coalicion.legal.models import Instrument, Ratification

TEXT = (Path(__file__).parent / "data" / "plan-section-iv.txt").read_text(encoding="utf-8")
LINES = TEXT.splitlines()

# The country lists as printed: table A's first page, its other pages, and
# the last row of table B (Rep. Dominicana printed twice).
FIRST_PAGE = ["CR", "DO", "SV", "GT", "HN", "NI", "MX", "PA"]
OTHER_PAGES = ["CR", "SV", "GT", "HN", "MX", "NI", "PA", "DO"]
MINORS = ["CR", "DO", "SV", "GT", "HN", "NI", "MX", "PA", "DO"]
NAMES = {
    "Costa Rica": "CR",
    "Rep. Dominicana": "DO",
    "El Salvador": "SV",
    "Guatemala": "GT",
    "Honduras": "HN",
    "Nicaragua": "NI",
    "México": "MX",
    "Panamá": "PA",
}

# instrument code: (first line of its date block, which occurrence of that line,
# countries in printed order, first line of its deposit block or None)
BLOCKS = {
    "oit-c105": ("04 /05/ 1959", 1, FIRST_PAGE, None),
    "oit-c182": ("10 /09/ 2001", 1, FIRST_PAGE, None),
    "cerd": ("16 /01/ 1967", 1, OTHER_PAGES, None),
    "icescr": ("29 /11/ 1968", 1, OTHER_PAGES, None),
    "iccpr": ("29 /11/ 1968", 2, OTHER_PAGES, None),
    "cedaw": ("04 /04/ 1986", 1, OTHER_PAGES, None),
    "cat": ("11 /11/ 1993", 1, OTHER_PAGES, None),
    "untoc": ("27 /07/ 2003", 1, OTHER_PAGES, None),
    "untoc-trafficking-protocol": ("09 /09/ 2003", 1, OTHER_PAGES, None),
    "untoc-smuggling-protocol": ("07 /08/ 2003", 1, OTHER_PAGES, None),
    "crc": ("21 /08/ 1990", 1, OTHER_PAGES, None),
    "cat-op": ("01 /12/ 2005", 1, OTHER_PAGES, None),
    "crc-opsc": ("09 /04/ 2002", 1, OTHER_PAGES, None),
    "cedaw-op": ("20 /09/ 2001", 1, OTHER_PAGES, None),
    "oas-belem-do-para": ("07/05/95", 1, OTHER_PAGES, "07/12/95 RA"),
    "oas-achr": ("03/02/70", 1, OTHER_PAGES, "04/08/70 RA"),
    "oas-traffic-minors": ("05/22/01", 1, MINORS, "09/04/01 RA"),
}
# Five dates one under the other with no blank line, for eight countries: no
# blank line says which three countries have no date.
UNASSIGNABLE = {"icrmw": ("14 /03/ 2003", 5)}

TABLE_A_DATE = re.compile(r"^(\d\d) /(\d\d)/ (\d{4})(?: (a))?$")  # day/month/year, (a) adhesion
TABLE_B_DATE = re.compile(r"^(\d\d)/(\d\d)/(\d\d)(?: (RA|AD))?$")  # month/day/two-digit year


def _start(first: str, occurrence: int) -> int:
    found = [i for i, line in enumerate(LINES) if line.strip() == first]
    return found[occurrence - 1]


def _parse(line: str) -> tuple[datetime.date, str] | None:
    line = line.strip()
    if match := TABLE_A_DATE.match(line):
        day, month, year, mark = match.groups()
        kind = "adhesion" if mark else "ratification"
        return datetime.date(int(year), int(month), int(day)), kind
    if match := TABLE_B_DATE.match(line):
        month, day, year, mark = match.groups()
        year = int(year) + (1900 if int(year) >= 70 else 2000)
        kind = "adhesion" if mark == "AD" else "ratification"
        return datetime.date(year, int(month), int(day)), kind
    return None


def read_block(first: str, occurrence: int, countries: list[str]) -> dict[str, tuple]:
    """{country: (date, kind)} of one date block, read with the blank-line rule."""
    start = _start(first, occurrence)
    dates: dict[str, tuple] = {}
    for offset, country in enumerate(countries):
        line = LINES[start + offset] if start + offset < len(LINES) else ""
        if not line.strip():
            continue  # a blank line: this country has no date
        parsed = _parse(line)
        if parsed is None:
            break  # the block ended: the remaining countries have no date
        assert country not in dates, f"{country} has two dates in the block of {first}"
        dates[country] = parsed
    return dates


def _expected(code: str) -> dict[str, dict]:
    first, occurrence, countries, deposit_first = BLOCKS[code]
    dates = read_block(first, occurrence, countries)
    deposits = read_block(deposit_first, 1, countries) if deposit_first else {}
    expected = {}
    for country, (date, kind) in dates.items():
        deposit_date, deposit_kind = deposits.get(country, (None, ""))
        expected[country] = {
            "date": date,
            "kind": kind,
            "deposit_date": deposit_date,
            "deposit_kind": deposit_kind if deposit_date else "",
        }
    assert set(deposits) <= set(dates), f"{code}: a deposit without a ratification date"
    return expected


def test_the_country_lists_are_printed_in_the_orders_read():
    lists = []
    current: list[str] = []
    for line in LINES:
        code = NAMES.get(line.strip())
        if code == "CR" and current:  # the next instrument's list
            lists.append(current)
            current = []
        if code:
            current.append(code)
        elif line.strip() and current:
            lists.append(current)
            current = []
    assert lists.count(FIRST_PAGE) == 2  # table A's first page
    assert OTHER_PAGES in lists
    assert MINORS in lists


@pytest.mark.parametrize("code", sorted(BLOCKS))
def test_every_date_of_the_tables_is_loaded_as_the_document_prints_it(plan, code):
    instrument = Instrument.objects.get(code=code)
    loaded = {
        r.country.code: {
            "date": r.date,
            "kind": r.kind,
            "deposit_date": r.deposit_date,
            "deposit_kind": r.deposit_kind,
        }
        for r in Ratification.objects.filter(instrument=instrument).select_related("country")
    }
    assert loaded == _expected(code)
    assert instrument.unmapped_dates == []


def test_the_blank_line_rule_fixes_the_optional_protocols():
    assert set(read_block("01 /12/ 2005", 1, OTHER_PAGES)) == {"CR", "GT", "HN", "MX", "NI", "PA"}
    assert set(read_block("20 /09/ 2001", 1, OTHER_PAGES)) == {"CR", "GT", "MX", "PA", "DO"}


def test_only_a_row_without_blank_lines_stays_unassigned(plan):
    for code, (first, count) in UNASSIGNABLE.items():
        start = _start(first, 1)
        block = [line.strip() for line in LINES[start : start + count]]
        assert all(_parse(line) for line in block)
        assert not LINES[start + count].strip()  # the block ends: 5 dates, 8 countries
        instrument = Instrument.objects.get(code=code)
        assert instrument.unmapped_dates == block
        assert not instrument.ratifications.exists()
        assert instrument.note  # the notes say why
    assert set(Instrument.objects.exclude(unmapped_dates=[]).values_list("code", flat=True)) == set(
        UNASSIGNABLE
    )


def test_mexicos_adhesion_mark_belongs_to_its_deposit(plan):
    mexico = Ratification.objects.get(instrument__code="oas-achr", country__code="MX")
    assert mexico.kind == Ratification.Kind.RATIFICATION
    assert mexico.deposit_date == datetime.date(1981, 3, 24)
    assert mexico.deposit_kind == Ratification.Kind.ADHESION


@pytest.mark.parametrize("code", sorted(BLOCKS) + sorted(UNASSIGNABLE))
def test_every_instrument_name_and_year_is_the_documents(plan, code):
    flat = re.sub(r"\s+", " ", TEXT)
    instrument = Instrument.objects.get(code=code)
    assert instrument.name in flat
    after = flat[flat.index(instrument.name) + len(instrument.name) :][:120]
    if instrument.year:
        assert str(instrument.year) in after, after
