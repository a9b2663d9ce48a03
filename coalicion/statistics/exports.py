"""Protected pivots as CSV and XLSX, and the import templates. Exports are
always made of protected figures, whoever asks (ADR 0020)."""

import csv
import io

import openpyxl
from django.utils.translation import gettext as _

from coalicion.core.spreadsheets import safe_cell, write_rows
from coalicion.statistics import imports
from coalicion.statistics.codes import DIMENSIONS, label_of
from coalicion.statistics.selectors import HIDDEN_SYMBOL, UNAVAILABLE_SYMBOL, Pivot

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def legend() -> list[str]:
    return [
        _(
            "%(symbol)s: hidden to protect the people counted (a small number, or one "
            "that would reveal it)."
        )
        % {"symbol": HIDDEN_SYMBOL},
        _("%(symbol)s: not published at this level of detail.") % {"symbol": UNAVAILABLE_SYMBOL},
    ]


def pivot_rows(pivot: Pivot, *, title: str) -> list[list[object]]:
    query = pivot.query
    filters = "; ".join(
        f"{DIMENSIONS[d].label}: {label_of(d, code)}" for d, code in query.filters.items()
    )
    header = [
        f"{DIMENSIONS[query.rows].label} \\ {DIMENSIONS[query.columns].label}",
        *(label for _code, label in pivot.columns),
    ]
    body = [
        [label, *(figure.value if figure.state == "shown" else figure.text for figure in figures)]
        for label, figures in pivot.table
    ]
    notes = [[title], [filters or _("No filter")], header, *body, []]
    notes += [[line] for line in legend()]
    return notes


def pivot_csv(pivot: Pivot, *, title: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in pivot_rows(pivot, title=title):
        writer.writerow([safe_cell(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def pivot_xlsx(pivot: Pivot, *, title: str) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Statistics")[:31])
    write_rows(worksheet=sheet, rows=pivot_rows(pivot, title=title))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_rows(measure: str, kind: str) -> list[list[object]]:
    columns = imports.columns_of(measure, kind)
    example = {
        "country": "CR",
        "year": "2024",
        "sex": "F",
        "age_band": "18-24",
        "age_group": "adult",
        "citizenship": "NI",
        "detection_country": "CR",
        "exploitation_country": "CR",
        "exploitation": "sexual",
        "scope": "transnational",
        "source_type": "police",
        "count": "3",
    }
    return [columns, [example[column] for column in columns]]


def template_help(measure: str, kind: str) -> list[list[object]]:
    rows = [[_("Column"), _("What to write")]]
    for column in imports.columns_of(measure, kind):
        spec = imports.COLUMNS[column]
        codes = ", ".join(spec.codes)
        rows.append([column, f"{spec.help} {codes}".strip()])
    rows.append([])
    rows.append([_("Never add names, document numbers, dates of birth, addresses or free text.")])
    return rows


def template_csv(measure: str, kind: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in template_rows(measure, kind):
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def template_xlsx(measure: str, kind: str) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    data = workbook.create_sheet("data")
    write_rows(worksheet=data, rows=template_rows(measure, kind))
    notes = workbook.create_sheet(_("Instructions")[:31])
    write_rows(worksheet=notes, rows=template_help(measure, kind))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
