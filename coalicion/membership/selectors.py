"""Reads of countries, bodies and organs."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from coalicion.membership.models import Country, NationalBody, Organ, OrganTerm


def member_countries(day: datetime.date | None = None) -> QuerySet[Country]:
    """The member countries on `day` (today by default), with their national bodies."""
    day = day or timezone.localdate()
    return Country.objects.members(on=day).prefetch_related(
        Prefetch("national_bodies", queryset=NationalBody.objects.order_by("name"))
    )


def country_detail(*, code: str) -> Country:
    countries = Country.objects.prefetch_related(
        Prefetch("national_bodies", queryset=NationalBody.objects.order_by("name")),
        Prefetch(
            "organ_terms", queryset=OrganTerm.objects.select_related("organ").order_by("-start")
        ),
    )
    return get_object_or_404(countries, code=code.upper())


def organs_with_functions(*, today: datetime.date) -> list[Organ]:
    """Organs with their functions and, for rotating organs, the term in force."""
    current_terms = (
        OrganTerm.objects.filter(start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("country")
    )
    organs = list(
        Organ.objects.prefetch_related(
            "functions",
            Prefetch("terms", queryset=current_terms, to_attr="current_terms"),
        ).order_by("order")
    )
    return organs


def directory(*, day: datetime.date, country_code: str = ""):
    """Contacts with their representations in force on `day`, by country."""
    from coalicion.membership.models import Person, Representation

    people = Person.objects.select_related("country").prefetch_related(
        Prefetch(
            "representations",
            queryset=Representation.objects.filter(start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day))
            .select_related("country"),
            to_attr="current_representations",
        )
    )
    if country_code:
        people = people.filter(country__code=country_code.upper())
    return people.order_by("country__name", "family_name", "given_name")
