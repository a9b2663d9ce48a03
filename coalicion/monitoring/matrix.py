"""The execution tree as rows, with the method in words: what the matrix
page, the execution-tree page and the XLSX show of the roll-up
(`coalicion.monitoring.rollup`), which alone computes the figures."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from coalicion.core.i18n import localized
from coalicion.monitoring.formulas import HUNDRED, ON_TRACK_SHARE, ActivityStatus
from coalicion.monitoring.rollup import ONE, PoaTree

ACTIVITY_STATUS_LABELS = {
    ActivityStatus.NOT_STARTED: _("Not started"),
    ActivityStatus.IN_PROGRESS: _("In progress"),
    ActivityStatus.COMPLETED: _("Completed"),
    ActivityStatus.DELAYED: _("Delayed"),
    # Feminine in Spanish, as the activity ("Cancelada"), unlike an agreement.
    ActivityStatus.CANCELLED: pgettext_lazy("status of an activity", "Cancelled"),
}

ON_TRACK_PERCENT = (ON_TRACK_SHARE * HUNDRED).normalize()


@dataclass
class TreeRow:
    level: int  # 1 axis, 2 strategic objective, 3 operational objective, 4 activity
    kind: str
    code: str
    text: str
    weight: Decimal | None
    progress: Decimal | None
    cancelled: bool = False
    status: ActivityStatus | None = None
    responsibles: list = field(default_factory=list)
    start: datetime.date | None = None
    end: datetime.date | None = None
    activity_id: int | None = None
    shared: bool = False  # a shared activity: each member country reports its part
    parts: list = field(default_factory=list)  # its parts (rollup.PartNode), regional view
    part_of: object = None  # filtered by a country: whose part the row shows
    # In the active language, translated once per tree (`tree_rows`), not per row.
    level_label: str = ""
    status_label: str = ""

    @property
    def responsible_names(self) -> list[str]:
        return [r.describe(localized) for r in self.responsibles]


TREE_LEVEL_LABELS = {
    "axis": _("Axis"),
    "strategic": _("Strategic objective"),
    "operational": _("Operational objective"),
    "activity": _("Activity"),
}


def _status_label(labels: dict, status: ActivityStatus | None, cancelled: bool) -> str:
    if status is not None:
        return labels[status]
    return labels[ActivityStatus.CANCELLED] if cancelled else ""


def tree_rows(tree: PoaTree) -> list[TreeRow]:
    """The tree, depth first, one row per node, its labels in the active
    language (each translated once: a page shows hundreds of rows)."""
    levels = {kind: str(label) for kind, label in TREE_LEVEL_LABELS.items()}
    statuses = {status: str(label) for status, label in ACTIVITY_STATUS_LABELS.items()}
    rows = []
    for axis in tree.axes:
        rows.append(
            TreeRow(
                level=1,
                kind="axis",
                code=axis.axis.code,
                text=localized(axis.axis, "name"),
                weight=ONE,
                progress=axis.progress,
                level_label=levels["axis"],
            )
        )
        for strategic in axis.children:
            rows.append(
                TreeRow(
                    level=2,
                    kind="strategic",
                    code=strategic.objective.code,
                    text=localized(strategic.objective, "statement"),
                    weight=ONE,
                    progress=strategic.progress,
                    level_label=levels["strategic"],
                )
            )
            for objective in strategic.children:
                rows.append(
                    TreeRow(
                        level=3,
                        kind="operational",
                        code=objective.objective.code,
                        text=localized(objective.objective, "statement"),
                        weight=objective.weight,
                        progress=objective.progress,
                        cancelled=objective.cancelled,
                        level_label=levels["operational"],
                        status_label=_status_label(statuses, None, objective.cancelled),
                    )
                )
                for node in objective.activities:
                    rows.append(
                        TreeRow(
                            level=4,
                            kind="activity",
                            code=node.activity.code,
                            text=localized(node.activity, "statement"),
                            weight=node.weight,
                            progress=node.progress,
                            cancelled=node.cancelled,
                            status=node.status,
                            responsibles=list(node.responsibles),
                            start=node.activity.start,
                            end=node.activity.end,
                            activity_id=node.activity.pk,
                            shared=node.shared,
                            parts=list(node.parts),
                            part_of=node.part_of,
                            level_label=levels["activity"],
                            status_label=_status_label(statuses, node.status, node.cancelled),
                        )
                    )
    return rows


def method_texts() -> dict[str, tuple[str, str]]:
    """The method, in words (label, text), for the pages and the workbook."""
    return {
        "activity": (
            gettext("Activity progress"),
            gettext(
                "Progress of an activity = its latest validated report whose period ended "
                "on or before the date and that was validated by then; no report: 0."
            ),
        ),
        "parent": (
            gettext("Roll-up"),
            gettext(
                "Progress of an operational objective, strategic objective, axis and POA = "
                "Σ(weight × progress) / Σ weight over its children; strategic objectives "
                "and axes weigh 1."
            ),
        ),
        "shared": (
            gettext("Shared activities"),
            gettext(
                "An activity of the national bodies of the member countries, or of several "
                "countries, is carried out by each member country on its own: each country "
                "reports its part. Its progress = the plain mean of the parts of the "
                "countries that are members on the date; a country without a validated "
                "report counts 0. Filtered by a country, the figures are that country's "
                "parts and its own activities."
            ),
        ),
        "cancelled": (
            gettext("Cancelled items"),
            gettext(
                "Cancelled items are shown but left out of both sums; a parent whose "
                "children are all cancelled has no progress (not 0)."
            ),
        ),
        "achievement": (
            gettext("Achievement"),
            gettext(
                "Achievement of a count or percentage indicator = "
                "clamp((current − baseline) / (target − baseline), 0, 1) × 100, mirrored "
                "for indicators that decrease; a milestone indicator takes the percentage "
                "of the stage reached. Current value = the latest validated value known "
                "on the date."
            ),
        ),
        "pace": (
            gettext("Pace"),
            gettext(
                "Expected value at the end of a year = baseline + (target − baseline) × "
                "(year − baseline year) / (target year − baseline year): the baseline at "
                "the end of the baseline year, the target at the end of the target year, "
                "by days in between; without a baseline nothing is expected. Pace = "
                "(current − baseline) / (expected − baseline): ahead above 100 per cent, "
                "on track from %(share)s per cent, behind below; while only the baseline "
                "is expected, on track once the current value has reached it."
            )
            % {"share": f"{ON_TRACK_PERCENT:f}"},
        ),
    }
