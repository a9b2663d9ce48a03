"""Reads for the monitoring dashboard (SPEC §3): progress per axis, per
POA, per biennium and per member country, "as of" a date, for the region or
one country.

Every figure comes from `coalicion.monitoring.rollup` (execution trees,
their country filter, bienniums); this module only groups the nodes. A
fixed number of queries whatever the size of the plan and the data.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, replace

from django.utils.translation import gettext

from coalicion.core.i18n import localized
from coalicion.monitoring.formulas import ActivityStatus
from coalicion.monitoring.matrix import ACTIVITY_STATUS_LABELS
from coalicion.monitoring.rollup import (
    Biennium,
    CountryFigure,
    PlanItem,
    PoaTree,
    bienniums,
    country_figures,
    execution_trees,
    restrict_tree,
    secretariat_terms,
)
from coalicion.monitoring.selectors import operating_plans
from coalicion.plans.models import OperatingPlan, Plan


@dataclass
class Dashboard:
    plan: Plan
    as_of: datetime.date
    year: int
    tree: PoaTree  # the POA of `year`, filtered by `country` if one is chosen
    trees: list[PoaTree]  # every POA, filtered likewise
    bienniums: list[Biennium]
    biennium: Biennium | None  # the term covering `year`
    countries: list[CountryFigure]  # every member country's figure for `year`
    statuses: list[tuple[ActivityStatus, str, int]]
    country: PlanItem | None = None


def status_counts(tree: PoaTree) -> list[tuple[ActivityStatus, str, int]]:
    counts = Counter(node.status for node in tree.activities())
    return [
        (status, str(label), counts[status]) for status, label in ACTIVITY_STATUS_LABELS.items()
    ]


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
    country_id: int | None = None,
    countries: list | None = None,
    keep: bool = True,
) -> Dashboard | None:
    """Everything the dashboard shows for the POA of `year` (for one
    country's work when `country_id` is given); None when the plan has no
    POA that year. `poas`: the plan's POAs, and `countries` (any that
    include the members on `as_of`), if already read. `keep=False`: the
    roll-up's trees are not kept in the figures cache (the dashboard's view
    keeps its own figures, `down_to_axes`)."""
    if poas is None:
        poas = operating_plans(plan=plan)
    if not any(poa.year == year for poa in poas):
        return None
    regional = execution_trees(poas=poas, as_of=as_of, countries=countries, keep=keep)
    regional_tree = next(tree for tree in regional if tree.poa.year == year)
    trees = [restrict_tree(tree, country_id=country_id) for tree in regional]
    tree = next(tree for tree in trees if tree.poa.year == year)
    found = bienniums(trees=trees, terms=secretariat_terms())
    return Dashboard(
        plan=plan,
        as_of=as_of,
        year=year,
        tree=tree,
        trees=trees,
        bienniums=found,
        biennium=next((b for b in found if year in b.years), None),
        countries=country_figures(regional_tree),
        statuses=status_counts(tree),
        country=tree.country,
    )


def down_to_axes(data: Dashboard) -> Dashboard:
    """The dashboard as its page and charts read it: each tree down to its
    axes (the POA's and the axes' figures), without the objectives and
    activities beneath. What the view keeps in the figures cache: at scale
    10 the whole trees cost more to store and read back than to compute."""
    return replace(data, tree=_axes_only(data.tree), trees=[_axes_only(t) for t in data.trees])


def _axes_only(tree: PoaTree) -> PoaTree:
    return replace(tree, axes=[replace(axis, children=[]) for axis in tree.axes])


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
