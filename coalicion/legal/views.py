from django.shortcuts import render

from coalicion.legal import selectors
from coalicion.legal.models import Instrument
from coalicion.plans.selectors import current_plan


def glossary(request):
    plan = current_plan(request)
    query = request.GET.get("q", "").strip()[:200]
    terms = selectors.search_glossary(plan=plan, query=query) if plan else []
    context = {"plan": plan, "query": query, "terms": terms}
    template = (
        "legal/_glossary_results.html"
        if request.headers.get("HX-Request")
        else "legal/glossary.html"
    )
    return render(request, template, context)


def framework(request):
    countries, by_scope = selectors.ratification_matrix()
    return render(
        request,
        "legal/framework.html",
        {
            "countries": countries,
            "treaties": [
                (Instrument.Scope.INTERNATIONAL, by_scope[Instrument.Scope.INTERNATIONAL]),
                (Instrument.Scope.REGIONAL, by_scope[Instrument.Scope.REGIONAL]),
            ],
            "agreements": [
                row["instrument"] for row in by_scope[Instrument.Scope.REGIONAL_AGREEMENT]
            ],
        },
    )
