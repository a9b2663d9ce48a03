"""The accountability report as PDF (Typst): the data of
`assembly.accountability_data` formatted as text in the active language —
numbers, percentages, dates and every label — and passed to the template
`typst/reports/accountability.typ` as JSON, never as markup. The charts are
the dashboard's own Vega-Lite specs (`monitoring.charts`), drawn as SVG.

The same data give the same bytes: nothing here reads the clock, Typst
writes no creation date (`_base.typ`), and the charts are drawn offline.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from coalicion.core.pdf import render_pdf
from coalicion.monitoring import charts
from coalicion.reports import drawing

TEMPLATE = "reports/accountability.typ"
TWO = Decimal("0.01")


def percent(value: Decimal | None) -> str:
    """As the dashboard writes it ("42,5 %" in Spanish, "42.5 %" in English)."""
    return charts.percent_text(value)


def number(value) -> str:
    """A value of an indicator: up to two decimals, in the active language."""
    if value is None:
        return "—"
    value = Decimal(value).quantize(TWO, rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return number_format(int(value), force_grouping=True)
    return number_format(value, 2, force_grouping=True)


def day(value: datetime.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else ""


def coalition() -> str:
    return _("Regional Coalition against Trafficking in Persons and Smuggling of Migrants")


def labels() -> dict[str, str]:
    """Every fixed text of the report, translated."""
    return {
        "report": _("Accountability report"),
        "contents": _("Contents"),
        "summary": _("Executive summary"),
        "execution": _("Progress per axis and strategic objective"),
        "shared": _("Countries' parts of the shared activities"),
        "indicators": _("Indicators against baseline and 2027 target"),
        "agreements": _("Agreements taken and fulfilled"),
        "participation": _("Participation of the member countries in meetings"),
        "countries": _("Country annex"),
        "method": _("Methodology annex"),
        "page": _("Page"),
        "of": _("of"),
        "data_as_of": _("Data as of %(date)s"),
        "period": _("Period"),
        "term": _("Term"),
        "poa": _("Operating plan"),
        "year": _("Year"),
        "weight": _("Weight"),
        "progress": _("Progress"),
        "axis": _("Axis"),
        "strategic": _("Strategic objective"),
        "code": _("Code"),
        "activity": _("Activity"),
        "region": _("Region"),
        "indicator": _("Indicator"),
        "baseline": _("Baseline"),
        "target": _("Target"),
        "current": _("Current value"),
        "expected": _("Expected"),
        "achievement": _("Achievement"),
        "pace": _("Pace"),
        "number": _("Number"),
        "text": _("Text"),
        "meeting": _("Meeting"),
        "date": _("Date"),
        "responsible": _("Responsible"),
        "status": _("Status"),
        "country": _("Country"),
        "present": pgettext("member countries present at a meeting", "Present"),
        "presences": _("Presences"),
        "possible": _("Possible"),
        "rate": _("Rate"),
        "activities": _("Activities"),
        "statuses": _("Activities by status"),
        "count": _("Number"),
        "none": _("Nothing to report in this period."),
        "no_poas": _("No annual operating plan falls in this period."),
        "own_work": _("Own activities and parts of shared activities"),
        "agreements_short": _("Agreements it is responsible for"),
        "fulfilled": _("fulfilled"),
        "poas": _("Operating plans"),
        "participation_short": _("Participation in meetings"),
    }


def _summary(data: dict) -> list[str]:
    """The executive summary in sentences, from the figures."""
    lines = []
    for poa in data["poas"]:
        lines.append(
            _("%(poa)s: weighted execution %(progress)s.")
            % {"poa": poa["name"], "progress": percent(poa["progress"])}
        )
    if len(data["poas"]) > 1 or data["term"]:
        lines.append(
            _("Weighted execution of the period (the mean of its POAs by their weight): %(p)s.")
            % {"p": percent(data["biennium"])}
        )
    lines.append(_agreements_sentence(data))
    lines.append(_participation_sentence(data))
    achieved = sum(1 for row in data["indicators"] if row["achievement"] is not None)
    lines.append(
        _("Indicators with a measured achievement: %(n)s of %(total)s.")
        % {"n": number(achieved), "total": number(len(data["indicators"]))}
    )
    return lines


def _agreements_sentence(data: dict) -> str:
    agreements = data["agreements"]
    return _(
        "Agreements adopted and not cancelled: %(adopted)s; fulfilled: %(fulfilled)s (%(rate)s)."
    ) % {
        "adopted": number(agreements["adopted"]),
        "fulfilled": number(agreements["fulfilled"]),
        "rate": _rate(agreements["rate"]),
    }


def _participation_sentence(data: dict) -> str:
    participation = data["participation"]
    return _(
        "Meetings held: %(meetings)s; presences of member countries: %(presences)s of "
        "%(possible)s possible (%(rate)s)."
    ) % {
        "meetings": number(len(participation["meetings"])),
        "presences": number(participation["presences"]),
        "possible": number(participation["possible"]),
        "rate": _rate(participation["rate"]),
    }


def _poa_rows(data: dict) -> list[dict]:
    return [
        {"year": poa["year"], "label": poa["name"], "progress": poa["progress"]}
        for poa in data["poas"]
    ]


def _charts(data: dict) -> dict:
    """The dashboard's charts for the period, as SVG text."""
    found = {"poas": None, "axes": {}, "countries": {}}
    if not data["poas"]:
        return found
    bienniums = []
    if len(data["poas"]) > 1 and data["biennium"] is not None:
        bienniums = [
            {
                "label": data["term"] or _("Period"),
                "years": [poa["year"] for poa in data["poas"]],
                "progress": data["biennium"],
            }
        ]
    found["poas"] = drawing.svg(charts.poas_chart(_poa_rows(data), bienniums=bienniums))
    for poa in data["poas"]:
        axis_rows = [
            {"code": a["code"], "label": f"{a['code']}. {a['name']}", "progress": a["progress"]}
            for a in poa["axes"]
        ]
        country_rows = [
            {"code": c["code"], "label": c["name"], "progress": c["progress"]}
            for c in poa["countries"]
        ]
        year = str(poa["year"])
        found["axes"][year] = drawing.svg(charts.axes_chart(axis_rows, year=poa["year"]))
        found["countries"][year] = drawing.svg(
            charts.countries_chart(country_rows, year=poa["year"])
        )
    return found


def _period_text(data: dict) -> str:
    text = _("%(start)s to %(end)s") % {"start": day(data["start"]), "end": day(data["end"])}
    return f"{data['term']}, {text}" if data["term"] else text


def _indicator_row(row: dict) -> dict:
    def with_year(value, year):
        if value is None:
            return f"— ({year})" if year else "—"
        return f"{number(value)} ({year})" if year else number(value)

    current = with_year(row["current"], row["current_year"])
    if row["kind"] == "milestone" and row["stage"]:
        current = row["stage"]
    return {
        "code": row["code"],
        "statement": row["statement"],
        "baseline": with_year(row["baseline"], row["baseline_year"]),
        "target": with_year(row["target"], row["target_year"]),
        "current": current,
        "expected": number(row["expected"]) if row["expected"] is not None else "—",
        "achievement": percent(row["achievement"]) if row["achievement"] is not None else "—",
        "pace": row["pace"] or "—",
    }


def _rate(value) -> str:
    return percent(value) if value is not None else "—"


def document_data(data: dict, *, with_charts: bool = True) -> dict:
    """What the Typst template shows: every figure already written as text."""
    members = data["members"]
    return {
        "lang": data["lang"],
        "title": _("Accountability report"),
        "coalition": coalition(),
        "plan": data["plan"]["name"],
        "period": _period_text(data),
        "as_of": day(data["as_of"]),
        "data_as_of": _("Data as of %(date)s") % {"date": day(data["as_of"])},
        "labels": labels(),
        "summary": _summary(data),
        "biennium": percent(data["biennium"]),
        "poas": [
            {
                "year": str(poa["year"]),
                "name": poa["name"],
                "weight": number(poa["weight"]),
                "progress": percent(poa["progress"]),
                "statuses": [
                    {"label": s["label"], "count": number(s["count"])} for s in poa["statuses"]
                ],
                "axes": [
                    {
                        "code": axis["code"],
                        "name": axis["name"],
                        "progress": percent(axis["progress"]),
                        "strategics": [
                            {
                                "code": s["code"],
                                "statement": s["statement"],
                                "progress": percent(s["progress"]),
                            }
                            for s in axis["strategics"]
                        ],
                    }
                    for axis in poa["axes"]
                ],
                "countries": [
                    {
                        "name": c["name"],
                        "progress": percent(c["progress"]),
                        "activities": number(c["activities"]),
                    }
                    for c in poa["countries"]
                ],
                "shared": [
                    {
                        "code": row["code"],
                        "statement": row["statement"],
                        "progress": percent(row["progress"]),
                        "parts": [
                            percent(row["parts"][m["code"]]) if m["code"] in row["parts"] else "—"
                            for m in members
                        ],
                    }
                    for row in poa["shared"]
                ],
            }
            for poa in data["poas"]
        ],
        "members": [{"code": m["code"], "name": m["name"]} for m in members],
        "indicators": [_indicator_row(row) for row in data["indicators"]],
        "agreements": {
            "summary": _agreements_sentence(data),
            "adopted": number(data["agreements"]["adopted"]),
            "fulfilled": number(data["agreements"]["fulfilled"]),
            "rate": _rate(data["agreements"]["rate"]),
            "rows": [
                {
                    "code": row["code"],
                    "text": row["text"],
                    "meeting": row["meeting"],
                    "date": day(row["date"]),
                    "responsible": row["responsible"],
                    "status": row["status_label"],
                }
                for row in data["agreements"]["rows"]
            ],
        },
        "participation": {
            "summary": _participation_sentence(data),
            "presences": number(data["participation"]["presences"]),
            "possible": number(data["participation"]["possible"]),
            "rate": _rate(data["participation"]["rate"]),
            "meetings": [
                {
                    "title": m["title"],
                    "date": day(m["date"]),
                    "present": number(m["present"]),
                    "members": number(m["members"]),
                    "countries": ", ".join(m["countries"]),
                    "rate": _rate(m["rate"]),
                }
                for m in data["participation"]["meetings"]
            ],
            "countries": [
                {
                    "name": c["name"],
                    "presences": number(c["presences"]),
                    "possible": number(c["possible"]),
                    "rate": _rate(c["rate"]),
                }
                for c in data["participation"]["countries"]
            ],
        },
        "countries": [
            {
                "name": country["name"],
                "poas": [
                    {
                        "year": str(poa["year"]),
                        "progress": percent(poa["progress"]),
                        "axes": [
                            {
                                "code": a["code"],
                                "name": a["name"],
                                "progress": percent(a["progress"]),
                            }
                            for a in poa["axes"]
                        ],
                        "activities": len(poa["activities"]),
                    }
                    for poa in country["poas"]
                ],
                "participation": {
                    "presences": number(country["participation"]["presences"]),
                    "possible": number(country["participation"]["possible"]),
                    "rate": _rate(country["participation"]["rate"]),
                }
                if country["participation"]
                else None,
                "agreements": number(country["agreements"]),
                "agreements_fulfilled": number(country["agreements_fulfilled"]),
            }
            for country in data["countries"]
        ],
        "method": [{"label": m["label"], "text": m["text"]} for m in data["method"]],
        "sections": [_section(section) for section in data["sections"]],
        "charts": _charts(data) if with_charts else {"poas": None, "axes": {}, "countries": {}},
    }


def _cell(value) -> str:
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return number(value)
    if isinstance(value, datetime.date):
        return day(value)
    return "" if value is None else str(value)


def _section(section: dict) -> dict:
    """A section contributed by another app, as text."""
    return {
        "title": str(section.get("title", "")),
        "paragraphs": [str(p) for p in section.get("paragraphs", [])],
        "tables": [
            {
                "title": str(table.get("title", "")),
                "columns": [str(c) for c in table.get("columns", [])],
                "widths": table.get("widths") or [1] * len(table.get("columns", [])),
                "rows": [[_cell(v) for v in row] for row in table.get("rows", [])],
            }
            for table in section.get("tables", [])
        ],
    }


def accountability_pdf(data: dict) -> bytes:
    return render_pdf(template=TEMPLATE, data=document_data(data))
