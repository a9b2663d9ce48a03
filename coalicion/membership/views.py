from django.shortcuts import render
from django.utils import timezone

from coalicion.membership import selectors


def country_list(request):
    return render(request, "membership/countries.html", {"countries": selectors.member_countries()})


def country_detail(request, code):
    return render(
        request, "membership/country.html", {"country": selectors.country_detail(code=code)}
    )


def organ_list(request):
    today = timezone.localdate()
    return render(
        request,
        "membership/organs.html",
        {"organs": selectors.organs_with_functions(today=today), "today": today},
    )
