"""What the accountability report says (SPEC §4; section IX of the plan):
the figures of a period, as known on a date, gathered from the selectors and
pure functions the pages use — nothing here computes a figure its own way:

- execution: `monitoring.rollup` (execution trees, country filter,
  bienniums), status counts from `monitoring.dashboards`;
- indicators: `monitoring.indicators.indicator_rows` (achievement, expected
  value and pace from `monitoring.formulas`);
- agreements and participation: the rules of indicators 4.3a and 4.3b
  (`meetings.computations.agreement_counts`, `participation_counts`),
  applied to the meetings of the period;
- the method in words: `monitoring.matrix.method_texts`;
- sections of other apps: `core.report_sections` ("accountability").

`accountability_data` returns plain data with Decimals (percentages 0–100,
unrounded) and texts in the active language; `document` formats it for the
PDF and `workbook` for the XLSX. It reads no clock: the same records and
parameters give the same data.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from coalicion.core.i18n import localized
from coalicion.core.report_sections import contributed
from coalicion.meetings import selectors as meeting_selectors
from coalicion.meetings.computations import (
    agreement_counts,
    agreement_history,
    participation_counts,
)
from coalicion.meetings.counting import PRESENT_STATUSES
from coalicion.meetings.models import Agreement, Attendance, Event
from coalicion.membership.models import Country, OrganTerm
from coalicion.monitoring import rollup
from coalicion.monitoring.dashboards import status_counts
from coalicion.monitoring.indicators import indicator_rows
from coalicion.monitoring.matrix import method_texts
from coalicion.monitoring.selectors import operating_plans
from coalicion.plans.models import Plan

REPORT = "accountability"
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Period:
    """What a report covers: a Secretariat term, or any date range."""

    start: datetime.date
    end: datetime.date
    term: OrganTerm | None = None

    def covers(self, year: int) -> bool:
        """Whether the POA of `year` belongs to the period: for a term, the
        roll-up's own rule (`rollup.term_covers`); for a range, its years."""
        if self.term is not None:
            return rollup.term_covers(self.term, year)
        return self.start.year <= year <= self.end.year


def term_period(term: OrganTerm, *, as_of: datetime.date) -> Period:
    """A Secretariat term (still open: up to the date of the data)."""
    return Period(start=term.start, end=term.end or max(as_of, term.start), term=term)


def years_period(first: int, last: int) -> Period:
    """The years `first`–`last`, with the Secretariat term that covers all
    of them if there is one (its figure is then the biennium's)."""
    start, end = datetime.date(first, 1, 1), datetime.date(last, 12, 31)
    term = next(
        (
            t
            for t in rollup.secretariat_terms()
            if all(rollup.term_covers(t, year) for year in range(first, last + 1))
        ),
        None,
    )
    return Period(start=start, end=end, term=term)


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage (None for nothing possible)."""
    return Decimal(part) * HUNDRED / Decimal(whole) if whole else None


def _term_label(term: OrganTerm | None) -> str:
    if term is None:
        return ""
    return _("Technical Secretariat of %(country)s") % {"country": localized(term.country, "name")}


# --- Execution --------------------------------------------------------------------


def _axes(tree: rollup.PoaTree) -> list[dict]:
    return [
        {
            "code": axis.axis.code,
            "name": localized(axis.axis, "name"),
            "progress": axis.progress,
            "strategics": [
                {
                    "code": strategic.objective.code,
                    "statement": localized(strategic.objective, "statement"),
                    "progress": strategic.progress,
                }
                for strategic in axis.children
            ],
        }
        for axis in tree.axes
    ]


def _shared(tree: rollup.PoaTree) -> list[dict]:
    """Each shared activity with its regional progress and every member
    country's part (by country code)."""
    rows = []
    for node in tree.activities():
        if not node.shared:
            continue
        rows.append(
            {
                "code": node.activity.code,
                "statement": localized(node.activity, "statement"),
                "progress": node.progress,
                "cancelled": node.cancelled,
                "parts": {part.country.code: part.progress for part in node.parts},
            }
        )
    return rows


def _poa(tree: rollup.PoaTree) -> dict:
    return {
        "year": tree.poa.year,
        "name": localized(tree.poa, "name"),
        "weight": tree.poa.weight,
        "progress": tree.progress,
        "statuses": [
            {"status": str(status), "label": label, "count": count}
            for status, label, count in status_counts(tree)
        ],
        "axes": _axes(tree),
        "countries": [
            {
                "code": figure.country.code,
                "name": localized(figure.country, "name"),
                "progress": figure.progress,
                "activities": figure.activities,
            }
            for figure in rollup.country_figures(tree)
        ],
        "shared": _shared(tree),
    }


# --- Indicators -------------------------------------------------------------------


def _indicators(plan: Plan, as_of: datetime.date) -> list[dict]:
    rows = []
    for status in indicator_rows(plan=plan, as_of=as_of):
        indicator = status.indicator
        rows.append(
            {
                "code": indicator.label or indicator.code,
                "statement": localized(indicator, "statement"),
                "unit": localized(indicator, "unit"),
                "kind": indicator.kind,
                "baseline": indicator.baseline_value,
                "baseline_year": indicator.baseline_year,
                "target": indicator.target_value,
                "target_year": indicator.target_year,
                "current": status.current,
                "current_year": status.current_year,
                "stage": status.stage_name,
                "achievement": status.achievement,
                "expected": status.expected,
                "pace": status.pace_label,
                "state": status.state_label,
            }
        )
    return rows


# --- Meetings: agreements and participation ----------------------------------------


def _meetings(period: Period, as_of: datetime.date) -> list[Event]:
    """The ordinary and extraordinary meetings held in the period, up to the
    date of the data (indicator 4.3b counts the same meetings)."""
    last = min(period.end, as_of)
    return [
        event
        for event in Event.objects.filter(
            kind__in=Event.MEETING_KINDS, status=Event.Status.HELD
        ).order_by("start", "pk")
        if period.start <= event.local_date <= last
    ]


def _agreements(period: Period, as_of: datetime.date) -> dict:
    """The agreements adopted at the events of the period, their status on
    the date of the data (replayed from their follow-up), and the counts of
    indicator 4.3a over them."""
    last = min(period.end, as_of)
    agreements = [
        agreement
        for agreement in meeting_selectors.agreements_with_history().order_by(
            "event__start", "sequence"
        )
        if period.start <= agreement.event.local_date <= last
    ]
    histories = agreement_history(agreements)
    adopted, fulfilled, _per_year = agreement_counts(histories, as_of)
    labels = dict(Agreement.Status.choices)
    rows = []
    for agreement, meeting_day, changes in histories:
        status, _since = meeting_selectors.status_from(changes, meeting_day=meeting_day, day=as_of)
        rows.append(
            {
                "code": agreement.code,
                "text": agreement.text,
                "meeting": localized(agreement.event, "title"),
                "date": meeting_day,
                "responsible": agreement.describe(localized),
                "country_id": agreement.country_id,
                "status": status,
                "status_label": str(labels.get(status, "")),
            }
        )
    return {
        "adopted": len(adopted),
        "fulfilled": len(fulfilled),
        "rate": rate(len(fulfilled), len(adopted)),
        "rows": rows,
    }


def _participation(period: Period, as_of: datetime.date, countries: list[Country]) -> dict:
    meetings = _meetings(period, as_of)
    presences = list(
        Attendance.objects.filter(event__in=meetings, status__in=PRESENT_STATUSES)
        .select_related("event", "country")
        .order_by("event__start", "country__name")
    )
    counted, possible = participation_counts(meetings, presences, countries, as_of)
    per_meeting = []
    for meeting in meetings:
        members = meeting_selectors.members_on(countries, meeting.local_date)
        present = sorted(
            {p.country.code for p in counted if p.event_id == meeting.pk},
        )
        per_meeting.append(
            {
                "title": localized(meeting, "title"),
                "date": meeting.local_date,
                "present": len(present),
                "members": len(members),
                "countries": present,
                "rate": rate(len(present), len(members)),
            }
        )
    per_country = []
    for country in sorted(countries, key=lambda c: localized(c, "name")):
        mine, possible_mine = participation_counts(meetings, presences, countries, as_of, country)
        if not possible_mine:
            continue
        per_country.append(
            {
                "code": country.code,
                "name": localized(country, "name"),
                "presences": len(mine),
                "possible": possible_mine,
                "rate": rate(len(mine), possible_mine),
            }
        )
    return {
        "meetings": per_meeting,
        "countries": per_country,
        "presences": len(counted),
        "possible": possible,
        "rate": rate(len(counted), possible),
    }


# --- Country annex ------------------------------------------------------------------


def _country_annex(
    trees: list[rollup.PoaTree], members: list, agreements: dict, participation: dict
) -> list[dict]:
    by_country = {row["code"]: row for row in participation["countries"]}
    annex = []
    for member in members:
        poas = []
        for tree in trees:
            mine = rollup.restrict_tree(tree, country_id=member.id)
            parts = [
                {
                    "code": node.activity.code,
                    "statement": localized(node.activity, "statement"),
                    "progress": node.progress,
                    "status": str(node.status),
                }
                for node in mine.activities()
            ]
            poas.append(
                {
                    "year": tree.poa.year,
                    "progress": mine.progress,
                    "axes": [
                        {
                            "code": axis.axis.code,
                            "name": localized(axis.axis, "name"),
                            "progress": axis.progress,
                        }
                        for axis in mine.axes
                    ],
                    "activities": parts,
                }
            )
        own = [row for row in agreements["rows"] if row["country_id"] == member.id]
        annex.append(
            {
                "code": member.code,
                "name": localized(member, "name"),
                "poas": poas,
                "participation": by_country.get(member.code),
                "agreements": len(own),
                "agreements_fulfilled": sum(
                    1 for row in own if row["status"] == Agreement.Status.FULFILLED
                ),
            }
        )
    return annex


# --- The report ----------------------------------------------------------------------


def accountability_data(
    *, plan: Plan, period: Period, as_of: datetime.date, lang: str = "es"
) -> dict:
    """Every figure of the accountability report of `period`, as known on
    `as_of`, in the active language (the caller activates `lang`)."""
    poas = [poa for poa in operating_plans(plan=plan) if period.covers(poa.year)]
    countries = list(Country.objects.all())
    trees = rollup.execution_trees(poas=poas, as_of=as_of, countries=countries)
    members = trees[0].members if trees else rollup.member_items(as_of, countries)
    agreements = _agreements(period, as_of)
    participation = _participation(period, as_of, countries)
    sections = [
        {"key": section.key, **data}
        for section, data in contributed(
            REPORT, as_of=as_of, start=period.start, end=period.end, lang=lang
        )
    ]
    return {
        "plan": {
            "code": plan.code,
            "name": localized(plan, "name"),
            "organisation": localized(plan, "organisation"),
        },
        "lang": lang,
        "start": period.start,
        "end": period.end,
        "as_of": as_of,
        "term": _term_label(period.term),
        "term_id": period.term.pk if period.term else None,
        "poas": [_poa(tree) for tree in trees],
        "biennium": rollup.biennium_progress(trees),
        "members": [{"code": m.code, "name": localized(m, "name")} for m in members],
        "indicators": _indicators(plan, as_of),
        "agreements": agreements,
        "participation": participation,
        "countries": _country_annex(trees, members, agreements, participation),
        "method": [
            {"key": key, "label": label, "text": text}
            for key, (label, text) in method_texts().items()
        ],
        "sections": sections,
    }
