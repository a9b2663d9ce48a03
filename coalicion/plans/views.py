from types import SimpleNamespace

from django.http import Http404
from django.shortcuts import render

from coalicion.plans import selectors


def home(request):
    plan = selectors.current_plan(request)
    if plan is None:
        return render(request, "plans/no_plan.html", status=200)
    return plan_overview(request, plan.code)


def plan_overview(request, code):
    plan = selectors.get_plan(code=code)
    return render(
        request,
        "plans/plan.html",
        {
            "plan": plan,
            "statements": selectors.plan_statements(plan=plan),
            "axes": selectors.axes_with_counts(plan=plan),
            "poas": selectors.operating_plans(plan=plan),
        },
    )


def axis_detail(request, code, axis):
    plan = selectors.get_plan(code=code)
    return render(
        request,
        "plans/axis.html",
        {
            "plan": plan,
            "axis": selectors.axis_detail(plan=plan, code=axis),
            "axes": plan.axes.select_related("plan").order_by("order"),
        },
    )


def indicator_list(request, code):
    plan = selectors.get_plan(code=code)
    return render(
        request,
        "plans/indicators.html",
        {"plan": plan, "axes": selectors.results_framework(plan=plan)},
    )


def poa_detail(request, code, year):
    plan = selectors.get_plan(code=code)
    return render(
        request,
        "plans/poa.html",
        {
            "plan": plan,
            "poa": selectors.poa_tree(plan=plan, year=year),
            "poas": selectors.operating_plans(plan=plan),
            "committees": selectors.committees_with_activities(plan=plan),
        },
    )


def poa_latest(request, code):
    plan = selectors.get_plan(code=code)
    poa = plan.operating_plans.order_by("-year").first()
    if poa is None:
        raise Http404
    return poa_detail(request, code, poa.year)


def data_notes(request, code):
    plan = selectors.get_plan(code=code)
    notes = [
        SimpleNamespace(**{"where": "", "where_en": "", "note": "", "note_en": "", **note})
        for note in plan.data_notes
    ]
    return render(request, "plans/notes.html", {"plan": plan, "notes": notes})
