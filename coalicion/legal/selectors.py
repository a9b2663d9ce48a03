"""Reads of the glossary and the legal framework."""

import unicodedata

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from coalicion.legal.models import GlossaryTerm, Instrument, Ratification
from coalicion.membership.models import Country
from coalicion.plans.models import Plan


def _fold(text: str) -> str:
    """Lower case without accents, so 'victima' finds 'Víctimas'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_glossary(*, plan: Plan, query: str) -> list[GlossaryTerm]:
    """Terms whose name or definition, in either language, contains every word."""
    terms = list(GlossaryTerm.objects.filter(plan=plan).order_by("order"))
    words = [_fold(word) for word in query.split() if word.strip()]
    if not words:
        return terms
    matches = []
    for term in terms:
        haystack = _fold(" ".join([term.term, term.term_en, term.definition, term.definition_en]))
        if all(word in haystack for word in words):
            matches.append(term)
    return matches


def ratification_matrix() -> tuple[list[Country], dict[str, list[dict]]]:
    """Country × instrument: per scope, each instrument with one cell per member country."""
    countries = list(Country.objects.members(on=timezone.localdate()).order_by("name"))
    instruments = Instrument.objects.order_by("scope", "order").prefetch_related(
        Prefetch("ratifications", queryset=Ratification.objects.select_related("country")),
        "parties",
    )
    by_scope: dict[str, list[dict]] = {scope: [] for scope in Instrument.Scope.values}
    for instrument in instruments:
        by_country = {r.country_id: r for r in instrument.ratifications.all()}
        by_scope[instrument.scope].append(
            {
                "instrument": instrument,
                "cells": [by_country.get(country.pk) for country in countries],
            }
        )
    return countries, by_scope


def instruments_in_scope(*, scope: str) -> QuerySet[Instrument]:
    return Instrument.objects.filter(scope=scope).order_by("order")
