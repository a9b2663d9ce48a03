"""The tables of the accountability report as XLSX: one sheet per table,
the same figures as the PDF (both read `assembly.accountability_data`).

Percentages are written as fractions with a percent format (the cell holds
the unrounded figure, shown with one decimal as in the PDF); every text cell
goes through `coalicion.core.spreadsheets.write_rows` (formula injection).
The file has no clock in it: the document properties carry the date of the
data and every part of the zip a fixed time, so the same data give the same
bytes.
"""

import datetime
import io
import zipfile
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from coalicion.core.spreadsheets import write_rows
from coalicion.monitoring.exports import sheet_title
from coalicion.reports import document

PERCENT = "0.0%"
NUMBER = "General"
DATE = "yyyy-mm-dd"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def share(percent: Decimal | None) -> float | None:
    """A percentage 0–100 as the fraction a percent format shows."""
    return float(percent / 100) if percent is not None else None


def _value(value):
    return float(value) if isinstance(value, Decimal) else value


def _sheet(workbook, taken, title, header, rows, *, formats=None, widths=None):
    worksheet = workbook.create_sheet(sheet_title(str(title), taken))
    write_rows(worksheet=worksheet, rows=[header, *rows])
    worksheet.freeze_panes = "A2"
    for cell in worksheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, number_format in (formats or {}).items():
        for (cell,) in worksheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    for column, width in (widths or {}).items():
        worksheet.column_dimensions[get_column_letter(column)].width = width
    return worksheet


def _summary(workbook, taken, data):
    rows = [
        [_("Report"), _("Accountability report")],
        [_("Plan"), data["plan"]["name"]],
        [_("Term"), data["term"]],
        [_("From"), data["start"]],
        [_("To"), data["end"]],
        [_("Data as of"), data["as_of"]],
        [_("Language"), data["lang"]],
    ]
    for poa in data["poas"]:
        rows.append([poa["name"], share(poa["progress"])])
    rows.append([_("Weighted execution of the period"), share(data["biennium"])])
    sheet = _sheet(workbook, taken, _("Summary"), [_("Item"), _("Value")], rows,
                   widths={1: 40, 2: 60})  # fmt: skip
    for _label, cell in sheet.iter_rows(min_row=2, max_col=2):
        if isinstance(cell.value, datetime.date):
            cell.number_format = DATE
        elif isinstance(cell.value, float):
            cell.number_format = PERCENT


def _execution(workbook, taken, data):
    rows = []
    for poa in data["poas"]:
        rows.append([poa["year"], _("Operating plan"), "", poa["name"], _value(poa["weight"]),
                     share(poa["progress"])])  # fmt: skip
        for axis in poa["axes"]:
            rows.append([poa["year"], _("Axis"), axis["code"], axis["name"], 1,
                         share(axis["progress"])])  # fmt: skip
            for strategic in axis["strategics"]:
                rows.append([poa["year"], _("Strategic objective"), strategic["code"],
                             strategic["statement"], 1, share(strategic["progress"])])  # fmt: skip
    header = [_("Year"), _("Level"), _("Code"), _("Text"), _("Weight"), _("Progress")]
    _sheet(workbook, taken, _("Execution"), header, rows, formats={5: NUMBER, 6: PERCENT},
           widths={1: 8, 2: 20, 3: 8, 4: 80, 5: 10, 6: 10})  # fmt: skip
    rows = [
        [poa["year"], c["code"], c["name"], c["activities"], share(c["progress"])]
        for poa in data["poas"]
        for c in poa["countries"]
    ]
    header = [_("Year"), _("Code"), _("Country"), _("Activities"), _("Progress")]
    _sheet(workbook, taken, _("Countries"), header, rows, formats={5: PERCENT},
           widths={1: 8, 2: 8, 3: 26, 4: 12, 5: 10})  # fmt: skip
    rows = [
        [poa["year"], s["code"], s["statement"], share(s["progress"])]
        + [share(s["parts"].get(m["code"])) for m in data["members"]]
        for poa in data["poas"]
        for s in poa["shared"]
    ]
    header = [_("Year"), _("Code"), _("Activity"), _("Region")] + [
        m["name"] for m in data["members"]
    ]
    _sheet(workbook, taken, _("Shared activities"), header, rows,
           formats=dict.fromkeys(range(4, 5 + len(data["members"])), PERCENT),
           widths={1: 8, 2: 10, 3: 60})  # fmt: skip


def _indicators(workbook, taken, data):
    rows = [
        [
            row["code"],
            row["statement"],
            row["unit"],
            _value(row["baseline"]),
            row["baseline_year"],
            _value(row["target"]),
            row["target_year"],
            row["stage"] if row["kind"] == "milestone" and row["stage"] else _value(row["current"]),
            row["current_year"],
            _value(row["expected"]),
            share(row["achievement"]),
            row["pace"],
            row["state"],
        ]
        for row in data["indicators"]
    ]
    header = [
        _("Code"), _("Indicator"), _("Unit"), _("Baseline"), _("Baseline year"), _("Target"),
        _("Target year"), _("Current value"), _("Year of the value"), _("Expected"),
        _("Achievement"), _("Pace"), _("Status"),
    ]  # fmt: skip
    _sheet(workbook, taken, _("Indicators"), header, rows, formats={10: "0.00", 11: PERCENT},
           widths={1: 8, 2: 60, 3: 16, 12: 12, 13: 18})  # fmt: skip


def _meetings(workbook, taken, data):
    agreements = data["agreements"]
    rows = [
        [a["code"], a["text"], a["meeting"], a["date"], a["responsible"], a["status_label"]]
        for a in agreements["rows"]
    ]
    header = [_("Number"), _("Text"), _("Meeting"), _("Date"), _("Responsible"), _("Status")]
    _sheet(workbook, taken, _("Agreements"), header, rows, formats={4: DATE},
           widths={1: 14, 2: 60, 3: 30, 4: 12, 5: 26, 6: 14})  # fmt: skip
    participation = data["participation"]
    rows = [
        [
            m["title"],
            m["date"],
            m["present"],
            m["members"],
            share(m["rate"]),
            ", ".join(m["countries"]),
        ]
        for m in participation["meetings"]
    ]
    header = [
        _("Meeting"),
        _("Date"),
        pgettext("member countries present at a meeting", "Present"),
        _("Member countries"),
        _("Rate"),
        _("Country"),
    ]
    _sheet(workbook, taken, _("Meetings"), header, rows, formats={2: DATE, 5: PERCENT},
           widths={1: 40, 2: 12, 6: 40})  # fmt: skip
    rows = [
        [c["name"], c["presences"], c["possible"], share(c["rate"])]
        for c in participation["countries"]
    ]
    rows.append([_("Region"), participation["presences"], participation["possible"],
                 share(participation["rate"])])  # fmt: skip
    header = [_("Country"), _("Presences"), _("Possible"), _("Rate")]
    _sheet(workbook, taken, _("Participation"), header, rows, formats={4: PERCENT},
           widths={1: 26})  # fmt: skip


def _countries(workbook, taken, data):
    rows = []
    for country in data["countries"]:
        for poa in country["poas"]:
            rows.append(
                [country["name"], poa["year"], "", _("Operating plan"), share(poa["progress"])]
            )
            for axis in poa["axes"]:
                rows.append([country["name"], poa["year"], axis["code"], axis["name"],
                             share(axis["progress"])])  # fmt: skip
    header = [_("Country"), _("Year"), _("Code"), _("Axis"), _("Progress")]
    _sheet(workbook, taken, _("Country annex"), header, rows, formats={5: PERCENT},
           widths={1: 26, 4: 40})  # fmt: skip


def _contributed(workbook, taken, data):
    for section in data["sections"]:
        for table in section.get("tables", []):
            rows = [[_value(v) for v in row] for row in table.get("rows", [])]
            title = table.get("title") or section.get("title", "")
            _sheet(workbook, taken, title, [str(c) for c in table.get("columns", [])], rows)


def _method(workbook, taken, data):
    rows = [[m["label"], m["text"]] for m in data["method"]]
    sheet = _sheet(workbook, taken, _("Method"), [_("Rule"), _("How it is computed")], rows,
                   widths={1: 24, 2: 100})  # fmt: skip
    for _label, cell in sheet.iter_rows(min_row=2, max_col=2):
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def deterministic(content: bytes, *, moment: datetime.datetime) -> bytes:
    """The same workbook with no clock in it: `modified` (stamped by
    openpyxl when saving) set to `moment`, every zip part at a fixed time."""
    source = zipfile.ZipFile(io.BytesIO(content))
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                start = part.find(b"<dcterms:modified")
                if start != -1:
                    open_end = part.find(b">", start) + 1
                    close = part.find(b"</dcterms:modified>", open_end)
                    part = part[:open_end] + stamp + part[close:]
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, part)
    return out.getvalue()


def accountability_xlsx(data: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    _summary(workbook, taken, data)
    _execution(workbook, taken, data)
    _indicators(workbook, taken, data)
    _meetings(workbook, taken, data)
    _countries(workbook, taken, data)
    _contributed(workbook, taken, data)
    _method(workbook, taken, data)
    moment = datetime.datetime.combine(data["as_of"], datetime.time())
    workbook.properties.creator = document.coalition()
    workbook.properties.title = _("Accountability report")
    workbook.properties.created = moment
    buffer = io.BytesIO()
    workbook.save(buffer)
    # `save` stamps the time of writing: take it out again.
    return deterministic(buffer.getvalue(), moment=moment)


def term_xlsx(data: dict) -> bytes:
    """The tables of the end-of-term report (`term.term_data`)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    rows = [[e["date"], e["title"], e["kind_label"], e["place"], e["status_label"]]
            for e in data["events"]]  # fmt: skip
    header = [_("Date"), _("Event"), _("Kind"), _("Place"), _("Status")]
    _sheet(workbook, taken, _("Events"), header, rows, formats={1: DATE},
           widths={1: 12, 2: 50, 3: 24, 4: 24, 5: 14})  # fmt: skip
    rows = [[a["code"], a["text"], a["date"], a["status_label"]] for a in data["agreements"]]
    header = [_("Number"), _("Text"), _("Date"), _("Status")]
    _sheet(workbook, taken, _("Agreements"), header, rows, formats={3: DATE},
           widths={1: 14, 2: 60, 3: 12, 4: 14})  # fmt: skip
    rows = [[a["year"], a["code"], a["statement"], share(a["progress"]), a["status_label"]]
            for a in data["activities"]]  # fmt: skip
    header = [_("Year"), _("Code"), _("Activity"), _("Progress"), _("Status")]
    _sheet(workbook, taken, _("Activities"), header, rows, formats={4: PERCENT},
           widths={1: 8, 2: 10, 3: 70, 4: 10, 5: 14})  # fmt: skip
    moment = datetime.datetime.combine(data["as_of"], datetime.time())
    workbook.properties.creator = document.coalition()
    workbook.properties.created = moment
    buffer = io.BytesIO()
    workbook.save(buffer)
    return deterministic(buffer.getvalue(), moment=moment)
