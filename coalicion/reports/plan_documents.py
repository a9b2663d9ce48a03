"""The POA of a year as a document (PDF and XLSX) in the plan's own
structure — axis → strategic objective → operational objectives →
activities, with their goals, indicators, responsible parties and timing —
and the monitoring matrix of a year as a landscape PDF (its XLSX is
monitoring's). The POA is read through `plans.selectors.poa_tree` (the POA
page's), the matrix through `monitoring.rollup`, `monitoring.matrix.tree_rows`
and `monitoring.indicators.indicator_rows` (the matrix page's)."""

import datetime
import io

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from openpyxl import Workbook

from coalicion.core.i18n import localized
from coalicion.core.pdf import render_pdf
from coalicion.membership.models import Country
from coalicion.monitoring import rollup
from coalicion.monitoring.indicators import indicator_rows
from coalicion.monitoring.matrix import tree_rows
from coalicion.plans.models import OperatingPlan, Plan
from coalicion.plans.selectors import poa_tree
from coalicion.reports import document
from coalicion.reports.workbook import DATE, NUMBER, _sheet, deterministic


def _timing(activity) -> str:
    if activity.start and activity.end:
        return _("%(start)s to %(end)s") % {
            "start": document.day(activity.start),
            "end": document.day(activity.end),
        }
    return document.day(activity.start or activity.end)


def poa_data(*, plan: Plan, year: int) -> dict:
    """The POA of `year` in the plan's structure, texts in the active language."""
    poa = poa_tree(plan=plan, year=year)
    axes: dict[int, dict] = {}
    for objective in poa.objectives.all():
        strategic = objective.strategic_objective
        axis = axes.setdefault(
            strategic.axis_id,
            {"order": strategic.axis.order, "code": strategic.axis.code,
             "name": localized(strategic.axis, "name"), "strategics": {}},
        )  # fmt: skip
        so = axis["strategics"].setdefault(
            strategic.pk,
            {"order": strategic.order, "code": strategic.code,
             "statement": localized(strategic, "statement"), "objectives": []},
        )  # fmt: skip
        so["objectives"].append(
            {
                "code": objective.code,
                "statement": localized(objective, "statement"),
                "weight": objective.weight,
                "cancelled": objective.cancelled,
                "goals": [localized(g, "text") for g in objective.goals.all()],
                "activities": [
                    {
                        "code": activity.code,
                        "statement": localized(activity, "statement"),
                        "weight": activity.weight,
                        "cancelled": activity.cancelled,
                        "goals": [
                            localized(g, "text") for g in activity.goals.all() if g.kind == "goal"
                        ],
                        "indicators": [
                            localized(g, "text")
                            for g in activity.goals.all()
                            if g.kind == "indicator"
                        ],
                        "responsibles": [
                            r.describe(localized) for r in activity.responsibles.all()
                        ],
                        "start": activity.start,
                        "end": activity.end,
                        "timing": _timing(activity),
                    }
                    for activity in objective.activities.all()
                ],
            }
        )
    ordered = []
    for axis in sorted(axes.values(), key=lambda a: a["order"]):
        axis["strategics"] = sorted(axis["strategics"].values(), key=lambda s: s["order"])
        ordered.append(axis)
    return {"year": poa.year, "name": localized(poa, "name"), "plan": localized(plan, "name"),
            "lang": (get_language() or "es")[:2], "axes": ordered}  # fmt: skip


def _poa_labels() -> dict:
    return {
        **document.labels(),
        "goals": _("Goals"),
        "poa_indicators": _("Indicators"),
        "timing": _("Timing"),
        "cancelled": pgettext("status of an activity", "Cancelled"),
    }


def poa_pdf(data: dict) -> bytes:
    cancelled = pgettext("status of an activity", "Cancelled")
    return render_pdf(
        template="reports/poa.typ",
        data={
            "lang": data["lang"],
            "title": data["name"],
            "coalition": document.coalition(),
            "period": data["plan"],
            "data_as_of": "",
            "labels": _poa_labels(),
            "axes": [
                {
                    "title": f"{a['code']}. {a['name']}",
                    "strategics": [
                        {
                            "title": f"{s['code']}. {s['statement']}",
                            "objectives": [
                                {
                                    "title": f"{o['code']}. {o['statement']}",
                                    "goals": o["goals"],
                                    "activities": [
                                        {
                                            "code": x["code"],
                                            "statement": x["statement"]
                                            + (f" ({cancelled})" if x["cancelled"] else ""),
                                            "goals": "\n".join(x["goals"]),
                                            "indicators": "\n".join(x["indicators"]),
                                            "responsibles": "\n".join(x["responsibles"]),
                                            "timing": x["timing"],
                                        }
                                        for x in o["activities"]
                                    ],
                                }
                                for o in s["objectives"]
                            ],
                        }
                        for s in a["strategics"]
                    ],
                }
                for a in data["axes"]
            ],
        },
    )


def poa_xlsx(data: dict) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    rows = []
    for axis in data["axes"]:
        for so in axis["strategics"]:
            for objective in so["objectives"]:
                for activity in objective["activities"]:
                    rows.append(
                        [
                            axis["code"],
                            so["code"],
                            objective["code"],
                            objective["statement"],
                            activity["code"],
                            activity["statement"],
                            float(activity["weight"]),
                            "\n".join(activity["goals"]),
                            "\n".join(activity["indicators"]),
                            "; ".join(activity["responsibles"]),
                            activity["start"],
                            activity["end"],
                            _("Yes") if activity["cancelled"] else "",
                        ]
                    )
    header = [
        _("Axis"), _("Strategic objective"), _("Operational objective"), _("Text"),
        _("Activity"), _("Text"), _("Weight"), _("Goals"), _("Indicators"), _("Responsible"),
        _("Start"), _("End"), pgettext("status of an activity", "Cancelled"),
    ]  # fmt: skip
    _sheet(workbook, set(), data["name"], header, rows,
           formats={7: NUMBER, 11: DATE, 12: DATE},
           widths={4: 50, 6: 60, 8: 40, 9: 40, 10: 30, 11: 12, 12: 12})  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return deterministic(buffer.getvalue(), moment=datetime.datetime(data["year"], 1, 1))


# --- The monitoring matrix as a landscape PDF ------------------------------------------


def matrix_pdf(*, plan: Plan, year: int, as_of: datetime.date, lang: str) -> bytes:
    poa = OperatingPlan.objects.get(plan=plan, year=year)
    [tree] = rollup.execution_trees(poas=[poa], as_of=as_of, countries=list(Country.objects.all()))
    rollup.attach_responsibles([tree])
    rows = [
        {
            "level": row.level,
            "code": row.code,
            "text": row.text,
            "weight": document.number(row.weight) if row.weight is not None else "",
            "progress": document.percent(row.progress),
            "status": row.status_label,
            "responsible": "; ".join(row.responsible_names),
        }
        for row in tree_rows(tree)
    ]
    indicators = [
        {
            "code": s.indicator.label or s.indicator.code,
            "statement": localized(s.indicator, "statement"),
            "baseline": document.number(s.indicator.baseline_value),
            "target": document.number(s.indicator.target_value),
            "years": [
                document.number(y.value) if y.value is not None else (y.stage_name or "")
                for y in s.years
            ],
            "achievement": document.percent(s.achievement) if s.achievement is not None else "—",
            "pace": s.pace_label or "—",
            "status": s.state_label,
        }
        for s in indicator_rows(plan=plan, as_of=as_of)
    ]
    years = [str(y) for y in range(plan.period_start, plan.period_end + 1)]
    return render_pdf(
        template="reports/matrix.typ",
        data={
            "lang": lang,
            "title": _("Monitoring matrix, POA %(year)s") % {"year": year},
            "coalition": document.coalition(),
            "period": localized(poa, "name"),
            "data_as_of": _("Data as of %(date)s") % {"date": document.day(as_of)},
            "labels": {
                **document.labels(),
                "tree": _("Execution of the POA"),
                "responsible": _("Responsible"),
            },
            "progress": document.percent(tree.progress),
            "rows": rows,
            "years": years,
            "indicators": indicators,
        },
    )
