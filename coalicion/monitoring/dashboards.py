"""Reads for the monitoring dashboards (SPEC §3): progress per axis, per POA,
per biennium and per member country, "as of" a date.

Every figure comes from `selectors.execution_trees` and the pure rules of
`calculations`; this module only groups the nodes. A fixed number of queries
whatever the size of the plan.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from coalicion.core.i18n import localized
from coalicion.membership.models import Country, Organ, OrganTerm
from coalicion.monitoring.calculations import ActivityStatus, Child, weighted_progress
from coalicion.monitoring.selectors import (
    PoaTree,
    biennium_progress,
    execution_trees,
    operating_plans,
)
from coalicion.plans.models import OperatingPlan, Plan, Responsible

STATUS_LABELS = {
    ActivityStatus.NOT_STARTED: _("Not started"),
    ActivityStatus.IN_PROGRESS: _("In progress"),
    ActivityStatus.COMPLETED: _("Completed"),
    ActivityStatus.DELAYED: _("Delayed"),
    ActivityStatus.CANCELLED: _("Cancelled"),
}
# Kinds of responsible party that name one country.
COUNTRY_KINDS = (Responsible.Kind.COUNTRY, Responsible.Kind.NATIONAL_BODY)


@dataclass
class Biennium:
    """A Secretariat term and the POAs of the years it covers."""

    term: OrganTerm
    years: list[int]
    progress: Decimal | None


@dataclass
class CountryProgress:
    country: Country
    progress: Decimal | None
    activities: int  # activities that count (not cancelled)


@dataclass
class Dashboard:
    plan: Plan
    as_of: datetime.date
    year: int
    tree: PoaTree
    trees: list[PoaTree]
    bienniums: list[Biennium]
    biennium: Biennium | None  # the term covering `year`
    countries: list[CountryProgress]
    statuses: list[tuple[ActivityStatus, str, int]]


def term_covers(term: OrganTerm, year: int) -> bool:
    """A POA belongs to the Secretariat term in office on 1 July of its year,
    so that each year falls in one term even when terms change mid-year."""
    middle = datetime.date(year, 7, 1)
    return term.start <= middle and (term.end is None or term.end >= middle)


def secretariat_bienniums(*, trees: list[PoaTree]) -> list[Biennium]:
    """Each Secretariat term that covers at least one POA, with the weighted
    mean of its POAs (`selectors.biennium_progress`). One query."""
    terms = (
        OrganTerm.objects.filter(organ__code=Organ.Code.SECRETARIAT)
        .select_related("country")
        .order_by("start")
    )
    bienniums = []
    for term in terms:
        covered = [tree for tree in trees if term_covers(term, tree.poa.year)]
        if covered:
            bienniums.append(
                Biennium(
                    term=term,
                    years=[tree.poa.year for tree in covered],
                    progress=biennium_progress(covered),
                )
            )
    return bienniums


def involved_countries(responsibles) -> tuple[set[int], bool]:
    """The countries responsible for an activity (ids), and whether it is an
    activity of all the national bodies, that is of every member country."""
    countries = {r.country_id for r in responsibles if r.kind in COUNTRY_KINDS}
    everyone = any(r.kind == Responsible.Kind.NATIONAL_BODIES for r in responsibles)
    return countries, everyone


def country_progress(*, tree: PoaTree, countries: list[Country]) -> list[CountryProgress]:
    """Progress of each country in a POA: the weighted mean (activity weights)
    of the activities it is responsible for, as a country or through its
    national body, plus the activities of all the national bodies. Cancelled
    activities, and those of a cancelled operational objective, are left out.
    `tree` must be built with responsibles."""
    nodes = []
    for axis in tree.axes:
        for strategic in axis.children:
            for objective in strategic.children:
                for node in objective.activities:
                    ids, everyone = involved_countries(node.responsibles)
                    cancelled = node.cancelled or objective.cancelled
                    nodes.append((node, ids, everyone, cancelled))
    result = []
    for country in countries:
        children = [
            Child(node.weight, node.progress, cancelled)
            for node, ids, everyone, cancelled in nodes
            if everyone or country.pk in ids
        ]
        result.append(
            CountryProgress(
                country=country,
                progress=weighted_progress(children),
                activities=sum(1 for c in children if not c.cancelled),
            )
        )
    return result


def status_counts(tree: PoaTree) -> list[tuple[ActivityStatus, str, int]]:
    counts = Counter(node.status for node in tree.activities())
    return [(status, str(label), counts[status]) for status, label in STATUS_LABELS.items()]


def member_countries() -> list[Country]:
    return list(Country.objects.filter(is_member=True).order_by("name"))


def default_year(poas: list[OperatingPlan], as_of: datetime.date) -> int | None:
    """The POA of the year of `as_of`, else the latest before it, else the first."""
    years = [poa.year for poa in poas]
    if not years:
        return None
    earlier = [year for year in years if year <= as_of.year]
    return max(earlier) if earlier else min(years)


def dashboard(
    *,
    plan: Plan,
    year: int,
    as_of: datetime.date,
    poas: list[OperatingPlan] | None = None,
) -> Dashboard | None:
    """Everything the dashboard shows for the POA of `year`; None when the
    plan has no POA that year. `poas`: the plan's POAs, if already read."""
    if poas is None:
        poas = operating_plans(plan=plan)
    if not any(poa.year == year for poa in poas):
        return None
    trees = execution_trees(poas=poas, as_of=as_of, with_responsibles=True)
    tree = next(tree for tree in trees if tree.poa.year == year)
    bienniums = secretariat_bienniums(trees=trees)
    return Dashboard(
        plan=plan,
        as_of=as_of,
        year=year,
        tree=tree,
        trees=trees,
        bienniums=bienniums,
        biennium=next((b for b in bienniums if year in b.years), None),
        countries=country_progress(tree=tree, countries=member_countries()),
        statuses=status_counts(tree),
    )


# --- Rows for the charts (plain data, labels in the active language) --------


def axis_rows(data: Dashboard) -> list[dict]:
    return [
        {
            "code": node.axis.code,
            "label": f"{node.axis.code}. {localized(node.axis, 'name')}",
            "progress": node.progress,
        }
        for node in data.tree.axes
    ]


def poa_rows(data: Dashboard) -> list[dict]:
    return [
        {"year": tree.poa.year, "label": localized(tree.poa, "name"), "progress": tree.progress}
        for tree in data.trees
    ]


def biennium_label(biennium: Biennium) -> str:
    return gettext("Secretariat of %(country)s, %(first)s–%(last)s") % {
        "country": localized(biennium.term.country, "name"),
        "first": biennium.years[0],
        "last": biennium.years[-1],
    }


def biennium_rows(data: Dashboard) -> list[dict]:
    """The bienniums that cover several POAs (a single POA is its own bar)."""
    return [
        {"label": biennium_label(b), "years": b.years, "progress": b.progress}
        for b in data.bienniums
        if len(b.years) > 1
    ]


def country_rows(data: Dashboard) -> list[dict]:
    return [
        {
            "code": item.country.code,
            "label": localized(item.country, "name"),
            "progress": item.progress,
            "activities": item.activities,
        }
        for item in data.countries
    ]
