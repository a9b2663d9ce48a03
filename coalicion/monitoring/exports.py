"""The monitoring matrix as an XLSX workbook: one sheet per POA (its
execution tree), one sheet of indicators, and one sheet saying how the
figures were made. Every text cell goes through
`coalicion.core.spreadsheets.write_rows` (formula injection)."""

import datetime
import re
import tempfile
from decimal import Decimal
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from coalicion.core.i18n import localized
from coalicion.core.spreadsheets import write_rows
from coalicion.monitoring import rollup
from coalicion.monitoring.indicators import IndicatorStatus
from coalicion.monitoring.matrix import TreeRow, method_texts, tree_rows

PERCENT_FORMAT = "0.0%"
# "General" shows 5 as 5 and 5.25 as 5.25 (patterns like "0.##" show "5.")
NUMBER_FORMAT = "General"
WEIGHT_FORMAT = "General"
DATE_FORMAT = "yyyy-mm-dd"
MAX_TITLE = 31
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet title of at most 31 characters."""
    base = _TITLE_FORBIDDEN.sub(" ", text).strip()[:MAX_TITLE] or "Sheet"
    title, number = base, 2
    while title.lower() in taken:
        suffix = f" ({number})"
        title = base[: MAX_TITLE - len(suffix)] + suffix
        number += 1
    taken.add(title.lower())
    return title


def _number(value: Decimal | None):
    return float(value) if value is not None else None


def _share(percent: Decimal | None):
    """A percentage 0–100 as the fraction a percent format expects."""
    return float(percent / 100) if percent is not None else None


def _write_sheet(
    worksheet, rows: list, *, formats: dict[int, str], widths: dict[int, int], cells=None
) -> None:
    """The rows of a write-only sheet, styled as they are written: bold
    header, frozen; number formats by column (1-based) or by cell
    (`cells`: {(row, column): format})."""
    worksheet.freeze_panes = "A2"
    for column, width in widths.items():
        worksheet.column_dimensions[get_column_letter(column)].width = width
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    cells = cells or {}

    def style(row: int, column: int, cell) -> None:
        if row == 1:
            cell.font, cell.alignment = bold, wrap
            return
        number_format = cells.get((row, column)) or formats.get(column)
        if number_format:
            cell.number_format = number_format

    write_rows(worksheet=worksheet, rows=rows, style=style)


def _tree_sheet(worksheet, tree, rows: list[TreeRow]) -> None:
    header = [
        _("Level"),
        _("Code"),
        _("Text"),
        _("Weight"),
        _("Progress"),
        _("Counted"),
        _("Status"),
        _("Start"),
        _("End"),
        _("Responsible parties"),
    ]
    # The POA's own figure first (SPEC §3: the root of the roll-up).
    body = [
        [
            _("Operating plan"),
            _("POA %(year)s") % {"year": tree.poa.year},
            localized(tree.poa, "name"),
            _number(tree.poa.weight),
            _share(tree.progress),
            _("Yes"),
            "" if tree.progress is not None else _("No progress"),
            None,
            None,
            _("Part of %(country)s") % {"country": localized(tree.country, "name")}
            if tree.country
            else "",
        ]
    ]
    for row in rows:
        body.append(
            [
                row.level_label,
                row.code,
                row.text,
                _number(row.weight),
                _share(row.progress),
                _("No (cancelled)") if row.cancelled else _("Yes"),
                row.status_label if row.progress is not None else _("No progress"),
                row.start,
                row.end,
                _("Part of %(country)s") % {"country": localized(row.part_of, "name")}
                if row.part_of
                else "; ".join(row.responsible_names),
            ]
        )
    _write_sheet(
        worksheet,
        [header, *body],
        formats={4: WEIGHT_FORMAT, 5: PERCENT_FORMAT, 8: DATE_FORMAT, 9: DATE_FORMAT},
        widths={1: 22, 2: 12, 3: 70, 4: 9, 5: 11, 6: 14, 7: 16, 8: 12, 9: 12, 10: 40},
    )


def _reading(status: IndicatorStatus, value, stage_name: str):
    if status.is_milestone:
        return stage_name or None
    return _number(value)


def _indicator_sheet(worksheet, rows: list[IndicatorStatus], years: list[int]) -> None:
    header = [
        _("Axis"),
        _("Strategic objective"),
        _("Result"),
        _("Indicator code"),
        _("Indicator"),
        _("Kind"),
        _("Unit"),
        _("Baseline"),
        _("Baseline year"),
        _("Target"),
        _("Target year"),
        *[str(year) for year in years],
        _("Current value"),
        _("Year of the current value"),
        _("Achievement"),
        _("Expected value"),
        _("Pace"),
        _("Responsible"),
        _("Means of verification"),
        _("Status"),
    ]
    body = []
    for status in rows:
        indicator = status.indicator
        result = indicator.result
        body.append(
            [
                f"{result.objective.axis.code}. {localized(result.objective.axis, 'name')}",
                f"{result.objective.code}. {localized(result.objective, 'statement')}",
                result.shown_label or result.code,
                indicator.code,
                localized(indicator, "statement"),
                indicator.get_kind_display(),
                localized(indicator, "unit"),
                _number(indicator.baseline_value),
                indicator.baseline_year,
                _number(indicator.target_value),
                indicator.target_year,
                *[_reading(status, y.value, y.stage_name) for y in status.years],
                _reading(status, status.current, status.stage_name),
                status.current_year,
                _share(status.achievement),
                _number(status.expected),
                status.pace_label,
                status.responsible_label,
                localized(indicator, "means_of_verification"),
                status.state_label,
            ]
        )
    first_year = 12
    after_years = first_year + len(years)
    formats = {8: NUMBER_FORMAT, 10: NUMBER_FORMAT}
    formats.update({first_year + i: NUMBER_FORMAT for i in range(len(years))})
    formats.update({after_years: NUMBER_FORMAT, after_years + 2: PERCENT_FORMAT})
    formats[after_years + 3] = NUMBER_FORMAT
    _write_sheet(
        worksheet,
        [header, *body],
        formats=formats,
        widths={1: 30, 2: 40, 3: 14, 4: 10, 5: 60, after_years + 5: 30, after_years + 6: 40},
    )


def _summary_sheet(worksheet, *, trees, bienniums) -> None:
    """Each POA's figure and, where a Secretariat term covers several of
    them, the biennium's (`rollup.bienniums`), as the dashboard shows them."""
    rows = [[_("Item"), _("Progress"), _("Weight")]]
    for tree in trees:
        rows.append([localized(tree.poa, "name"), _share(tree.progress), _number(tree.poa.weight)])
    for biennium in bienniums:
        rows.append(
            [
                _("Biennium: Secretariat of %(country)s, %(first)s–%(last)s")
                % {
                    "country": localized(biennium.term.country, "name"),
                    "first": biennium.years[0],
                    "last": biennium.years[-1],
                },
                _share(biennium.progress),
                None,
            ]
        )
    _write_sheet(
        worksheet, rows, formats={2: PERCENT_FORMAT, 3: WEIGHT_FORMAT}, widths={1: 60, 2: 12}
    )


def _method_sheet(worksheet, *, as_of: datetime.date, filters: list[tuple[str, str]]) -> None:
    rows = [
        [_("Item"), _("Value")],
        [_("Figures known on"), as_of],
        [_("Generated"), timezone.localtime().replace(tzinfo=None)],
        *[[label, value] for label, value in filters],
        *[[label, text] for label, text in method_texts().values()],
    ]
    _write_sheet(
        worksheet,
        rows,
        formats={},
        widths={1: 24, 2: 110},
        cells={(2, 2): DATE_FORMAT, (3, 2): "yyyy-mm-dd hh:mm"},
    )


def matrix_workbook(
    *,
    trees,
    indicator_rows: list[IndicatorStatus],
    years: list[int],
    as_of: datetime.date,
    filters: list[tuple[str, str]],
    bienniums: list,
) -> IO[bytes]:
    """The workbook in a temporary file, rewound, for a FileResponse to
    stream: written in openpyxl's write-only mode, each row as it comes,
    so that a large plan costs no cell objects held in memory."""
    rollup.attach_responsibles(trees)  # their names, for the "Responsible parties" column
    workbook = Workbook(write_only=True)
    taken: set[str] = set()
    _summary_sheet(
        workbook.create_sheet(sheet_title(_("Summary"), taken)), trees=trees, bienniums=bienniums
    )
    for tree in trees:
        title = sheet_title(_("POA %(year)s") % {"year": tree.poa.year}, taken)
        _tree_sheet(workbook.create_sheet(title), tree, tree_rows(tree))
    _indicator_sheet(
        workbook.create_sheet(sheet_title(_("Indicators"), taken)), indicator_rows, years
    )
    _method_sheet(
        workbook.create_sheet(sheet_title(_("Method"), taken)), as_of=as_of, filters=filters
    )
    target = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response that streams it)
    workbook.save(target)
    target.seek(0)
    return target
