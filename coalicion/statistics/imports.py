"""Reading statistics files: the columns of each template, the refusal of
identifying columns, and the row-by-row validation (streamed: a file is read
row by row, never whole into memory).

A file holds one measure, of one kind (de-identified records or an
aggregate table), for any number of countries and years: the columns
``country`` and ``year`` say whose and when each row is. Every
(country, year) in a file becomes a new version of that batch.
"""

import contextlib
import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalicion.core import spreadsheets
from coalicion.statistics.codes import (
    AGE_GROUP_OF_BAND,
    ISO_COUNTRIES,
    MEASURES,
    UNKNOWN_COUNTRY,
    AgeBand,
    AgeGroup,
    CitizenshipGroup,
    Exploitation,
    Scope,
    Sex,
    SourceType,
)

RECORDS = "records"
AGGREGATES = "aggregates"
CSV = "csv"
XLSX = "xlsx"
# The largest files accepted: a CSV of a million records is about 60 MB.
MAX_CSV_BYTES = 200 * spreadsheets.MiB
MAX_XLSX_BYTES = 60 * spreadsheets.MiB
MAX_XLSX_ROWS = 1_048_575  # Excel's own limit under the heading row
MAX_MESSAGES = 200  # row messages kept; the count of bad rows is always exact
FIRST_YEAR = 2000
VALID_CACHE = 20_000  # distinct valid rows remembered while a file is read (a few MB)

# Words that name what is never stored about a person: names, document
# numbers, dates of birth, addresses and contact details, free text. A column
# whose heading contains one is refused by name (Spanish and English; accents
# and case ignored).
IDENTIFYING_WORDS = (
    "nombre",
    "name",
    "apellido",
    "surname",
    "documento",
    "document",
    "pasaporte",
    "passport",
    "cedula",
    "dni",
    "dui",
    "dpi",
    "curp",
    "rut",
    "nit",
    "identificacion",
    "identity",
    "id number",
    "idnumber",
    "nacimiento",
    "birth",
    "dob",
    "direccion",
    "address",
    "domicilio",
    "residencia",
    "telefono",
    "phone",
    "email",
    "correo",
    "observacion",
    "comentario",
    "comment",
    "note",
    "narrativ",
    "descripcion",
    "description",
    "relato",
    "historia",
    "story",
    "detalle",
    "detail",
    "text",
)


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    codes: tuple[str, ...] = ()
    required: bool = False


def _codes(choices) -> tuple[str, ...]:
    return tuple(choices.values)


COLUMNS = {
    "country": Column(
        "country",
        gettext_lazy("Reporting country: ISO 3166-1 code of a member country, e.g. CR."),
        required=True,
    ),
    "year": Column("year", gettext_lazy("Year of the figures, e.g. 2024."), required=True),
    "sex": Column("sex", gettext_lazy("Sex; empty if unknown."), _codes(Sex)),
    "age_band": Column(
        "age_band", gettext_lazy("Age band at detection; empty if unknown."), _codes(AgeBand)
    ),
    "age_group": Column(
        "age_group", gettext_lazy("Age group; empty if unknown."), _codes(AgeGroup)
    ),
    "citizenship": Column(
        "citizenship",
        gettext_lazy("Citizenship: ISO 3166-1 code, XX or empty if unknown."),
    ),
    "detection_country": Column(
        "detection_country",
        gettext_lazy("Country of detection: ISO 3166-1 code, XX or empty if unknown."),
    ),
    "exploitation_country": Column(
        "exploitation_country",
        gettext_lazy("Country of exploitation: ISO 3166-1 code, XX or empty if unknown."),
    ),
    "exploitation": Column(
        "exploitation",
        gettext_lazy("Form of exploitation; empty if unknown."),
        _codes(Exploitation),
    ),
    "scope": Column(
        "scope", gettext_lazy("Internal or transnational; empty if unknown."), _codes(Scope)
    ),
    "source_type": Column(
        "source_type",
        gettext_lazy("Type of organisation that recorded the case."),
        _codes(SourceType),
        required=True,
    ),
    "count": Column("count", gettext_lazy("How many: a whole number, 0 or more."), required=True),
}


def columns_of(measure: str, kind: str) -> list[str]:
    """The columns of a template, in order."""
    characteristics = MEASURES[measure].characteristics
    columns = ["country", "year"]
    if "sex" in characteristics:
        columns.append("sex")
    if "age_group" in characteristics:
        columns.append("age_band" if kind == RECORDS else "age_group")
    if "citizenship_group" in characteristics:
        columns.append("citizenship")
    if kind == RECORDS and "exploitation" in characteristics:
        columns += ["detection_country", "exploitation_country"]
    elif kind == RECORDS and "citizenship_group" in characteristics:
        columns.append("detection_country")
    for name in ("exploitation", "scope", "source_type"):
        if name in characteristics:
            columns.append(name)
    if kind == AGGREGATES:
        columns.append("count")
    return columns


class FileRefused(ValueError):
    """The whole file is refused (format, headings); the message says why."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    expected: str

    def message(self) -> str:
        return _("Row %(row)s, column “%(column)s”: “%(value)s” — expected %(expected)s.") % {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "expected": self.expected,
        }


def _normalise(heading: str) -> str:
    text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def identifying(heading: str) -> bool:
    text = _normalise(heading)
    squashed = text.replace(" ", "")
    words = set(text.split())
    for word in IDENTIFYING_WORDS:
        if " " in word or len(word) > 4:
            if word.replace(" ", "") in squashed:
                return True
        elif word in words:
            return True
    return False


def check_headings(headings: list[str], *, measure: str, kind: str) -> None:
    """Refuse identifying columns (naming them), unknown and missing ones."""
    expected = columns_of(measure, kind)
    cleaned = [heading.strip() for heading in headings]
    named = [
        heading
        for heading in cleaned
        if heading and heading not in expected and identifying(heading)
    ]
    if named:
        raise FileRefused(
            _(
                "The file has columns that could identify a person: %(columns)s. Names, "
                "document numbers, dates of birth, addresses, contact details and free text "
                "are never stored here. Remove these columns and send the file again."
            )
            % {"columns": ", ".join(f"“{heading}”" for heading in named)}
        )
    unknown = [heading for heading in cleaned if heading and heading not in expected]
    if unknown:
        raise FileRefused(
            _(
                "The file has columns that are not in the template: %(columns)s. Use the "
                "template's columns only: %(expected)s."
            )
            % {
                "columns": ", ".join(f"“{heading}”" for heading in unknown),
                "expected": ", ".join(expected),
            }
        )
    missing = [name for name in expected if name not in cleaned]
    if missing:
        raise FileRefused(
            _("The file lacks the template's columns %(columns)s.")
            % {"columns": ", ".join(f"“{name}”" for name in missing)}
        )
    if len(set(cleaned)) != len([heading for heading in cleaned if heading]):
        raise FileRefused(_("The file has the same column heading twice."))


# Reading -------------------------------------------------------------------------


def detect_format(handle) -> str:
    handle.seek(0)
    head = handle.read(4)
    handle.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    return CSV


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _csv_lines(handle) -> Iterator[str]:
    raw = getattr(handle, "file", handle)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    try:
        yield from text
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("The file is not text in UTF-8: save it from your spreadsheet as “CSV UTF-8”.")
        ) from error
    finally:
        # Leave the file open for its owner: a wrapper that is collected
        # would close it.
        with contextlib.suppress(ValueError):
            text.detach()


def read_headings(handle, file_format: str) -> list[str]:
    """The headings of a file, read without reading the rest."""
    if file_format == XLSX:
        for _number, headings, _values in rows(handle, file_format, headings_only=True):
            return headings
        raise FileRefused(_("The file is empty."))
    handle.seek(0)
    first = handle.readline(64 * 1024)
    handle.seek(0)
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRefused(
            _("The file is not text in UTF-8: save it from your spreadsheet as “CSV UTF-8”.")
        ) from error
    if not line.strip():
        raise FileRefused(_("The file is empty."))
    delimiter = ";" if line.count(";") > line.count(",") else ","
    return [heading.strip() for heading in next(csv.reader([line], delimiter=delimiter))]


def rows(handle, file_format: str, *, headings_only: bool = False):
    """Yield (row number, headings, {heading: text}) per non-empty row; the
    first item, with row number 1, carries the headings and no values."""
    handle.seek(0)
    if file_format == XLSX:
        yield from _xlsx_rows(handle, headings_only=headings_only)
    else:
        yield from _csv_rows(handle, headings_only=headings_only)


def _csv_rows(handle, *, headings_only: bool):
    lines = _csv_lines(handle)
    first = next(lines, None)
    if first is None:
        return
    delimiter = ";" if first.count(";") > first.count(",") else ","
    headings = next(csv.reader([first], delimiter=delimiter))
    headings = [heading.strip() for heading in headings]
    yield 1, headings, {}
    if headings_only:
        return
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        for number, values in enumerate(reader, start=2):
            if not any(value.strip() for value in values):
                continue
            if len(values) > len(headings):
                values = [*values[: len(headings)], " ".join(values[len(headings) :])]
            yield number, headings, {h: v.strip() for h, v in zip(headings, values, strict=False)}
    except csv.Error as error:
        raise FileRefused(
            _("The CSV file cannot be read: %(error)s.") % {"error": error}
        ) from error


def _xlsx_rows(handle, *, headings_only: bool):
    try:
        workbook = spreadsheets.open_workbook(
            uploaded=handle,
            max_bytes=MAX_XLSX_BYTES,
            max_uncompressed_bytes=20 * MAX_XLSX_BYTES,
        )
    except spreadsheets.SpreadsheetError as error:
        raise FileRefused(str(error)) from error
    try:
        headings: list[str] | None = None
        for number, values in spreadsheets.read_rows(workbook=workbook, max_rows=MAX_XLSX_ROWS):
            if headings is None:
                headings = list(values)
                yield 1, headings, {}
                if headings_only:
                    return
            yield number, headings, {heading: _cell(value) for heading, value in values.items()}
        if headings is None:
            # A sheet with headings and no rows: read the headings alone.
            sheet = workbook.worksheets[0]
            first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
            yield 1, [_cell(value) for value in first if _cell(value)], {}
    except spreadsheets.SpreadsheetError as error:
        raise FileRefused(str(error)) from error
    finally:
        workbook.close()


# Validation ----------------------------------------------------------------------


class RowChecker:
    """Checks one row at a time and turns it into stored fields."""

    def __init__(
        self,
        *,
        measure: str,
        kind: str,
        allowed: set[str],
        countries: set[str],
        members: set[str],
        this_year: int,
    ):
        self.measure = measure
        self.kind = kind
        self.allowed = allowed
        self.countries = countries
        self.members = members
        self.this_year = this_year
        self.columns = columns_of(measure, kind)
        self.characteristics = MEASURES[measure].characteristics
        # (column, is a country code, the codes it takes, what empty means)
        self.specs = [
            (
                name,
                name in ("citizenship", "detection_country", "exploitation_country"),
                frozenset(COLUMNS[name].codes),
                None if COLUMNS[name].required else (Sex.UNKNOWN if name == "sex" else "unknown"),
            )
            for name in self.columns
            if name not in ("country", "year", "count")
        ]
        # Rows repeat the same codes: a valid combination is checked once.
        self._valid: dict[tuple[str, ...], dict] = {}

    def check(self, number: int, values: dict[str, str]) -> tuple[dict | None, list[RowError]]:
        seen = tuple(values.get(column, "") for column in self.columns)
        fields = self._valid.get(seen)
        if fields is not None:
            return dict(fields), []
        fields, errors = self._check(number, values)
        if fields is not None and len(self._valid) < VALID_CACHE:
            self._valid[seen] = dict(fields)
        return fields, errors

    def _check(self, number: int, values: dict[str, str]) -> tuple[dict | None, list[RowError]]:
        errors: list[RowError] = []
        out: dict = {}

        def fail(column: str, value: str, expected: str) -> None:
            errors.append(RowError(number, column, value, expected))

        country = values.get("country", "").upper()
        if country not in self.countries:
            fail(
                "country",
                values.get("country", ""),
                _("the ISO code of a country of the Coalition, e.g. CR"),
            )
        elif country not in self.allowed:
            fail(
                "country",
                country,
                _("a country you may send figures for (%(countries)s)")
                % {"countries": ", ".join(sorted(self.allowed)) or "—"},
            )
        out["country"] = country
        year = values.get("year", "")
        if not (len(year) == 4 and year.isdigit()) or not FIRST_YEAR <= int(year) <= self.this_year:
            fail(
                "year",
                year,
                _("a year from %(first)s to %(last)s")
                % {"first": FIRST_YEAR, "last": self.this_year},
            )
        else:
            out["year"] = int(year)
        for name, is_country, codes, empty in self.specs:
            value = values.get(name, "")
            if is_country:
                code = value.upper() or UNKNOWN_COUNTRY
                if code != UNKNOWN_COUNTRY and code not in ISO_COUNTRIES:
                    fail(name, value, _("an ISO 3166-1 country code, XX or empty"))
                out[name] = "" if code == UNKNOWN_COUNTRY else code
                continue
            if not value and empty is not None:
                value = empty
            if value not in codes:
                column = COLUMNS[name]
                fail(name, value, _("one of %(codes)s") % {"codes": ", ".join(column.codes)})
            out[name] = value
        if self.kind == AGGREGATES:
            count = values.get("count", "")
            if not re.fullmatch(r"\d{1,9}", count):
                fail("count", count, _("a whole number, 0 or more"))
            else:
                out["count"] = int(count)
        if errors:
            return None, errors
        return self._stored(out), []

    def _stored(self, out: dict) -> dict:
        """The fields stored for a checked row (characteristics that do not
        apply to the measure stay empty)."""
        fields = {"country": out["country"], "year": out["year"]}
        has = self.characteristics
        fields["sex"] = out.get("sex", "") if "sex" in has else ""
        if "age_group" in has:
            if self.kind == RECORDS:
                fields["age_band"] = out["age_band"]
                fields["age_group"] = str(AGE_GROUP_OF_BAND[AgeBand(out["age_band"])])
            else:
                fields["age_group"] = out["age_group"]
        if "citizenship_group" in has:
            citizenship = out.get("citizenship", "")
            fields["citizenship"] = citizenship
            if not citizenship:
                group = CitizenshipGroup.UNKNOWN
            elif citizenship == out["country"]:
                group = CitizenshipGroup.NATIONAL
            elif citizenship in self.members:
                group = CitizenshipGroup.COALITION
            else:
                group = CitizenshipGroup.OTHER
            fields["citizenship_group"] = str(group)
        for name in ("detection_country", "exploitation_country"):
            if name in out:
                fields[name] = out[name]
        for name in ("exploitation", "scope", "source_type"):
            if name in has:
                fields[name] = out[name]
        if "count" in out:
            fields["count"] = out["count"]
        return fields
