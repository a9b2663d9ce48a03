"""Every spreadsheet the system reads or writes goes through this module.

Writing: :func:`safe_cell` and :func:`write_rows` neutralise text that a
spreadsheet program would run as a formula (OWASP "CSV injection").

Reading: :func:`open_workbook` refuses an upload before openpyxl touches it
unless it is a plausible .xlsx: a zip of bounded size, entry count and
compression ratio, with no DTD or entity declaration in any part (XXE,
"billion laughs"). openpyxl parses XML through defusedxml as a second line of
defence; this module refuses to load without it. :func:`read_rows` turns a
sheet into numbered dictionaries keyed by the column headings.
"""

import zipfile
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_UP, Decimal
from typing import IO

import openpyxl
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

MiB = 1024 * 1024

MAX_BYTES = 10 * MiB
MAX_ENTRIES = 1000
MAX_UNCOMPRESSED_BYTES = 100 * MiB
MAX_RATIO = 100
MAX_ROWS = 10_000

# Characters that make Excel, LibreOffice or Google Sheets read a cell as a
# formula (https://owasp.org/www-community/attacks/CSV_Injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# A part this small cannot hurt however well it compresses; legitimate
# workbooks have small, very repetitive parts (Apache POI's ZipSecureFile has
# the same allowance).
RATIO_GRACE_BYTES = 100 * 1024

REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")

_CHUNK_BYTES = 64 * 1024
# How much more than a part's declared size is read before giving up on it.
_READ_MARGIN_BYTES = 1024
# A DTD is where entities are declared; a spreadsheet never needs one. The
# words are looked for in every encoding an XML parser detects on its own.
_FORBIDDEN_MARKUP = tuple(
    word.encode(encoding)
    for word in ("<!doctype", "<!entity")
    for encoding in ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
)
_OVERLAP_BYTES = max(len(marker) for marker in _FORBIDDEN_MARKUP) - 1


class SpreadsheetError(ValueError):
    """A spreadsheet was refused; the message says why, for the person who sent it."""


class _Uncomputed:
    """A cell that holds a formula whose result the file does not carry (it
    was never calculated by a spreadsheet program): its value is unknown,
    never "empty"."""

    def __repr__(self):
        return "UNCOMPUTED"

    def __bool__(self):
        return True


UNCOMPUTED = _Uncomputed()


def _ensure_defused_xml() -> None:
    """openpyxl only parses through defusedxml if it found it when first imported."""
    if not openpyxl.DEFUSEDXML:
        raise ImproperlyConfigured(
            "openpyxl is not using defusedxml: install defusedxml and do not set "
            "OPENPYXL_DEFUSEDXML to anything but True."
        )


_ensure_defused_xml()


# Writing ---------------------------------------------------------------------


def _quoted(value: str) -> str | None:
    """``value`` with a leading ``'`` if it could run as a formula, else ``None``."""
    if value.startswith(FORMULA_TRIGGERS) or value.lstrip().startswith(FORMULA_TRIGGERS):
        return "'" + value
    return None


def restore_text(value: object) -> object:
    """The text a person wrote, from a cell written through
    :func:`safe_cell`: the leading ``'`` added before a formula trigger is
    removed again (what the export neutralises, the import restores)."""
    if isinstance(value, str) and value.startswith("'"):
        rest = value[1:]
        if rest.startswith(FORMULA_TRIGGERS) or rest.lstrip().startswith(FORMULA_TRIGGERS):
            return rest
    return value


def safe_cell(value: object) -> object:
    """The value to write into a cell: text that could run as a formula gets a leading ``'``.

    Only text is changed; numbers (negative ones too), dates, booleans and
    ``None`` are returned as they are. Lazy translations become text.
    """
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return _quoted(value) or value
    return value


def write_rows(
    *,
    worksheet: Worksheet | WriteOnlyWorksheet,
    rows: Iterable[Iterable[object]],
    style: Callable[[int, int, Cell], None] | None = None,
) -> None:
    """Append ``rows`` to ``worksheet``, each value passed through :func:`safe_cell`.

    ``style(row, column, cell)``, numbered from 1 in the order of ``rows``,
    sets a cell's font or number format as it is written: a write-only
    worksheet (a large workbook written in bounded memory) cannot be styled
    afterwards."""
    for row_number, row in enumerate(rows, start=1):
        values: list[object] = []
        for column, value in enumerate(row, start=1):
            text = str(value) if isinstance(value, Promise) else value
            quoted = _quoted(text) if isinstance(text, str) else None
            if quoted is None and style is None:
                values.append(text)
                continue
            # A quoted text is written as a text cell explicitly, so that it
            # can never become a formula whatever openpyxl infers from the
            # value. append() moves the cell to its place.
            cell = Cell(worksheet, row=1, column=1, value=text if quoted is None else quoted)
            if quoted is not None:
                cell.data_type = "s"
            if style is not None:
                style(row_number, column, cell)
            values.append(cell)
        worksheet.append(values)


# Reading ---------------------------------------------------------------------


def _megabytes(size: int) -> str:
    # Rounded up, so that a file just over a limit never reads as equal to it.
    megabytes = (Decimal(size) / MiB).quantize(Decimal("0.1"), rounding=ROUND_UP)
    return number_format(megabytes, decimal_pos=1)


def _not_a_workbook() -> SpreadsheetError:
    return SpreadsheetError(_("The file is not an Excel workbook (.xlsx)."))


def _too_large(*, size: int, limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file is too large: %(size)s MB; the limit is %(limit)s MB.")
        % {"size": _megabytes(size), "limit": _megabytes(limit)}
    )


def _damaged_part(*, name: str) -> SpreadsheetError:
    return SpreadsheetError(
        _("The file is damaged: its part %(part)s cannot be read.") % {"part": name}
    )


def _size_of(uploaded: IO[bytes] | File) -> int:
    uploaded.seek(0, 2)
    size = uploaded.tell()
    uploaded.seek(0)
    return size


def _check_entries(
    *,
    entries: list[zipfile.ZipInfo],
    max_bytes: int,
    max_entries: int,
    max_uncompressed_bytes: int,
    max_ratio: int,
) -> None:
    """Refuse from the zip's directory alone, before anything is decompressed."""
    names = {entry.filename for entry in entries}
    if not all(part in names for part in REQUIRED_PARTS):
        raise _not_a_workbook()
    if len(entries) > max_entries:
        raise SpreadsheetError(
            _("The file contains too many parts: %(count)s; the limit is %(limit)s.")
            % {"count": len(entries), "limit": max_entries}
        )
    compressed = sum(entry.compress_size for entry in entries)
    if compressed > max_bytes:
        raise _too_large(size=compressed, limit=max_bytes)
    uncompressed = sum(entry.file_size for entry in entries)
    if uncompressed > max_uncompressed_bytes:
        raise SpreadsheetError(
            _("Uncompressed, the file would take %(size)s MB; the limit is %(limit)s MB.")
            % {"size": _megabytes(uncompressed), "limit": _megabytes(max_uncompressed_bytes)}
        )
    for entry in entries:
        if entry.file_size <= RATIO_GRACE_BYTES:
            continue
        if entry.file_size > entry.compress_size * max_ratio:
            ratio = entry.file_size // max(entry.compress_size, 1)
            raise SpreadsheetError(
                _(
                    "The file looks like a compression bomb: its part %(part)s expands "
                    "%(ratio)s times; the limit is %(limit)s times."
                )
                % {"part": entry.filename, "ratio": ratio, "limit": max_ratio}
            )


def _scan_entry(*, archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> None:
    """Read one part in chunks, never past its declared size, looking for DTD markup."""
    allowed = entry.file_size + _READ_MARGIN_BYTES
    total = 0
    tail = b""
    try:
        with archive.open(entry) as member:
            while chunk := member.read(min(_CHUNK_BYTES, allowed - total)):
                total += len(chunk)
                if total > entry.file_size:
                    raise _damaged_part(name=entry.filename)
                window = (tail + chunk).lower()
                if any(marker in window for marker in _FORBIDDEN_MARKUP):
                    raise SpreadsheetError(
                        _(
                            "The file contains XML declarations that are not allowed "
                            "(DOCTYPE/ENTITY), in its part %(part)s."
                        )
                        % {"part": entry.filename}
                    )
                tail = window[-_OVERLAP_BYTES:]
    except SpreadsheetError:
        raise
    except Exception as error:
        # Bad CRC, truncated or encrypted data, unknown compression: zipfile,
        # zlib, bz2 and lzma each raise their own kind.
        raise _damaged_part(name=entry.filename) from error


def open_workbook(
    *,
    uploaded: IO[bytes] | File,
    max_bytes: int = MAX_BYTES,
    max_entries: int = MAX_ENTRIES,
    max_uncompressed_bytes: int = MAX_UNCOMPRESSED_BYTES,
    max_ratio: int = MAX_RATIO,
    formulas: bool = False,
) -> Workbook:
    """Open an uploaded .xlsx read-only, with cached values instead of
    formulas (with the formulas themselves when `formulas` is true, to tell
    an uncomputed formula from an empty cell; see :func:`read_rows`).

    Raises :class:`SpreadsheetError` for anything that is not a safe, readable
    workbook. ``uploaded`` must stay open while the workbook is read; call
    ``workbook.close()`` when done.
    """
    _ensure_defused_xml()
    size = _size_of(uploaded)
    if size > max_bytes:
        raise _too_large(size=size, limit=max_bytes)
    try:
        archive = zipfile.ZipFile(uploaded)
    except Exception as error:
        # Not a zip at all (.xls, .csv, text), a truncated one, or one whose
        # directory does not add up.
        raise _not_a_workbook() from error
    with archive:
        entries = archive.infolist()
        _check_entries(
            entries=entries,
            max_bytes=max_bytes,
            max_entries=max_entries,
            max_uncompressed_bytes=max_uncompressed_bytes,
            max_ratio=max_ratio,
        )
        for entry in entries:
            # Every part, not only those named *.xml: the workbook's
            # relationships may point openpyxl at a part of any name.
            _scan_entry(archive=archive, entry=entry)
    uploaded.seek(0)
    try:
        return openpyxl.load_workbook(uploaded, read_only=True, data_only=not formulas)
    except Exception as error:
        # openpyxl reports malformed workbooks through whatever exception the
        # failing step raises (KeyError, TypeError, ParseError, ...).
        raise SpreadsheetError(
            _("The file is an Excel workbook but it cannot be read: it is damaged.")
        ) from error


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet_rows(
    *, worksheet: Worksheet | ReadOnlyWorksheet, min_row: int, max_row: int, max_col: int | None
) -> Iterator[tuple[object, ...]]:
    """The sheet's rows as values, any parsing failure turned into SpreadsheetError."""
    rows = worksheet.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col, values_only=True)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as error:
            # In read-only mode a sheet's XML is parsed only now, row by row.
            raise SpreadsheetError(
                _("Sheet “%(sheet)s” cannot be read: the file is damaged.")
                % {"sheet": worksheet.title}
            ) from error
        yield row


def _get_sheet(*, workbook: Workbook, sheet: str | None) -> Worksheet | ReadOnlyWorksheet:
    worksheets = workbook.worksheets
    if sheet is None:
        if not worksheets:
            raise SpreadsheetError(_("The workbook has no sheets."))
        return worksheets[0]
    for worksheet in worksheets:
        if worksheet.title == sheet:
            return worksheet
    raise SpreadsheetError(_("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet})


def read_rows(
    *,
    workbook: Workbook,
    sheet: str | None = None,
    header_row: int = 1,
    max_rows: int = MAX_ROWS,
    formulas: Workbook | None = None,
) -> Iterator[tuple[int, dict[str, object]]]:
    """Yield ``(row number, {heading: value})`` for each non-empty row under the headings.

    ``sheet`` is a sheet name, the first sheet if ``None``. Headings are
    stripped; columns without one are ignored. Any row past ``max_rows``
    rows under the headings, even an empty one, refuses the sheet: reading
    stays bounded and nothing is silently left out. With ``formulas`` (the
    same upload opened with ``open_workbook(formulas=True)``), a cell that
    holds a formula without a calculated result is :data:`UNCOMPUTED`,
    which the caller refuses with its row and column.
    """
    worksheet = _get_sheet(workbook=workbook, sheet=sheet)
    formula_rows = None
    if formulas is not None:
        formula_sheet = _get_sheet(workbook=formulas, sheet=worksheet.title)
        formula_rows = _sheet_rows(
            worksheet=formula_sheet, min_row=header_row + 1, max_row=None, max_col=None
        )
    title = worksheet.title

    header = next(
        _sheet_rows(worksheet=worksheet, min_row=header_row, max_row=header_row, max_col=None),
        (),
    )
    columns: list[tuple[int, str]] = []
    for index, value in enumerate(header):
        if _is_empty(value):
            continue
        heading = str(value).strip()
        if any(heading == seen for _index, seen in columns):
            raise SpreadsheetError(
                _("Sheet “%(sheet)s” has the column heading “%(heading)s” twice, in row %(row)s.")
                % {"sheet": title, "heading": heading, "row": header_row}
            )
        columns.append((index, heading))
    if not columns:
        raise SpreadsheetError(
            _("Sheet “%(sheet)s” has no column headings in row %(row)s.")
            % {"sheet": title, "row": header_row}
        )

    last_allowed = header_row + max_rows
    max_row = last_allowed + 1
    if isinstance(worksheet, Worksheet):
        # A sheet in memory would create the cells it is asked for.
        max_row = min(max_row, worksheet.max_row)
    rows = _sheet_rows(
        worksheet=worksheet,
        min_row=header_row + 1,
        max_row=max_row,
        max_col=columns[-1][0] + 1,
    )
    for row_number, row in enumerate(rows, start=header_row + 1):
        if row_number > last_allowed:
            raise SpreadsheetError(
                _(
                    "Sheet “%(sheet)s” has more than %(limit)s rows under its headings; "
                    "row %(row)s is over the limit."
                )
                % {"sheet": title, "limit": max_rows, "row": row_number}
            )
        values = {heading: row[index] if index < len(row) else None for index, heading in columns}
        if formula_rows is not None:
            written = next(formula_rows, ())
            for index, heading in columns:
                formula = written[index] if index < len(written) else None
                if values[heading] is None and isinstance(formula, str) and formula[:1] == "=":
                    values[heading] = UNCOMPUTED
        if all(_is_empty(value) for value in values.values()):
            continue
        yield row_number, values
