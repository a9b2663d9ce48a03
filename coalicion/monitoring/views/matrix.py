"""The monitoring matrix (indicators and the POA execution tree), its XLSX
export and the execution tree of one POA, each "as of" a date."""

import io

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from coalicion.core import figures
from coalicion.core.i18n import localized
from coalicion.core.permissions import permission_required
from coalicion.monitoring import exports, rollup, selectors
from coalicion.monitoring.dates import parse_as_of
from coalicion.monitoring.forms import MatrixFilterForm
from coalicion.monitoring.indicators import INDICATOR_SOURCES, indicator_rows, plan_years
from coalicion.monitoring.matrix import method_texts, tree_rows
from coalicion.plans.selectors import current_plan

VIEW = "monitoring.view_monitoring"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filter_form(request, plan, poas, *, fields=None, report=True) -> MatrixFilterForm:
    form = MatrixFilterForm(
        request.GET,
        poas=poas,
        axes=list(plan.axes.order_by("order")),
        countries=rollup.country_choices(parse_as_of(request.GET.get("as_of"))[0]),
        fields=fields,
    )
    form.is_valid()
    if report:
        for message in form.messages():
            messages.warning(request, message)
    return form


def _default_poa(poas, as_of):
    """The POA of the chosen date's year, or the latest one before it."""
    earlier = [poa for poa in poas if poa.year <= as_of.year]
    return (earlier or poas)[-1] if poas else None


def _trees(*, poas, form, as_of):
    trees = rollup.execution_trees(poas=poas, as_of=as_of)
    axis, country = form.chosen_axis, form.chosen_country
    trees = [
        rollup.restrict_tree(
            tree,
            axis_id=axis.pk if axis else None,
            country_id=country.pk if country else None,
        )
        for tree in trees
    ]
    rollup.attach_responsibles(trees)
    return trees


def _no_plan(request):
    return render(request, "plans/no_plan.html")


@permission_required(VIEW)
def matrix(request):
    plan = current_plan(request)
    if plan is None:
        return _no_plan(request)
    poas = selectors.operating_plans(plan=plan)
    form = filter_form(request, plan, poas)
    as_of, year, axis = form.as_of_date, form.chosen_year, form.chosen_axis
    poa = next((p for p in poas if p.year == year), None) if year else _default_poa(poas, as_of)
    trees = _trees(poas=[poa] if poa else [], form=form, as_of=as_of)
    tree = trees[0] if trees else None
    indicators = indicator_rows(
        plan=plan, as_of=as_of, axis_code=axis.code if axis else None,
        country=form.chosen_country,
    )  # fmt: skip
    return render(request, "monitoring/matrix.html", {
        "plan": plan, "form": form, "as_of": as_of, "poa": poa, "tree": tree,
        "rows": tree_rows(tree) if tree else [], "indicators": indicators,
        "years": plan_years(plan), "method": method_texts(), "xlsx_query": form.query(),
        "as_of_query": form.query(only=("as_of", "country")),
    })  # fmt: skip


def _workbook_filters(form) -> list[tuple[str, str]]:
    year, axis, country = form.chosen_year, form.chosen_axis, form.chosen_country
    return [
        (_("Operating plan"), str(year) if year else _("All")),
        (_("Axis"), f"{axis.code}. {localized(axis, 'name')}" if axis else _("All axes")),
        (_("Country"), localized(country, "name") if country else _("All countries")),
    ]


# A workbook up to this size is kept in the cache of computed figures (the
# next download while nothing changed costs nothing); a larger one is always
# streamed from its temporary file, never held in memory.
WORKBOOK_CACHE_LIMIT = 4 * 1024 * 1024


def _build_workbook(plan, poas, form):
    as_of, year, axis = form.as_of_date, form.chosen_year, form.chosen_axis
    # Every POA's tree, for the bienniums (a Secretariat term spans POAs).
    every = _trees(poas=poas, form=form, as_of=as_of)
    trees = [tree for tree in every if year is None or tree.poa.year == year]
    years = {tree.poa.year for tree in trees}
    return exports.matrix_workbook(
        trees=trees,
        bienniums=[
            b
            for b in rollup.bienniums(trees=every, terms=rollup.secretariat_terms())
            if years & set(b.years)
        ],
        indicator_rows=indicator_rows(
            plan=plan, as_of=as_of, axis_code=axis.code if axis else None,
            country=form.chosen_country,
        ),
        years=plan_years(plan),
        as_of=as_of,
        filters=_workbook_filters(form),
    )  # fmt: skip


def _workbook(plan, poas, form):
    """The workbook as a file to stream: from the figures cache when it was
    built since the last write it depends on, else built now."""
    streamed = []

    def build() -> bytes | None:
        target = _build_workbook(plan, poas, form)
        if target.seek(0, io.SEEK_END) > WORKBOOK_CACHE_LIMIT:
            target.seek(0)
            streamed.append(target)
            return None
        target.seek(0)
        with target:
            return target.read()

    axis, country = form.chosen_axis, form.chosen_country
    content = figures.cached(
        "matrix_xlsx",
        (plan.pk, form.as_of_date, form.chosen_year, axis and axis.pk, country and country.pk),
        build,
        depends_on=(*rollup.ROLLUP_SOURCES, *INDICATOR_SOURCES),
    )
    if content is not None:
        return io.BytesIO(content)
    return streamed[0] if streamed else _build_workbook(plan, poas, form)


@permission_required(VIEW)
def matrix_xlsx(request):
    plan = current_plan(request)
    if plan is None:
        raise Http404
    poas = selectors.operating_plans(plan=plan)
    form = filter_form(request, plan, poas, report=False)
    filename = _("monitoring-matrix-%(date)s.xlsx") % {"date": form.as_of_date.isoformat()}
    return FileResponse(
        _workbook(plan, poas, form), as_attachment=True, filename=filename, content_type=XLSX
    )


@permission_required(VIEW)
def execution_tree(request, year):
    plan = current_plan(request)
    if plan is None:
        raise Http404
    poas = selectors.operating_plans(plan=plan)
    poa = next((p for p in poas if p.year == year), None)
    if poa is None:
        raise Http404
    form = filter_form(request, plan, poas, fields=("as_of", "axis", "country"))
    as_of = form.as_of_date
    tree = _trees(poas=[poa], form=form, as_of=as_of)[0]
    return render(
        request,
        "monitoring/tree.html",
        {
            "plan": plan,
            "form": form,
            "as_of": as_of,
            "poa": poa,
            "poas": poas,
            "tree": tree,
            "rows": tree_rows(tree),
            "method": method_texts(),
        },
    )
