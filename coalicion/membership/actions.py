"""Writes to the directory of people."""

from django.db import transaction

from coalicion.membership.models import Country, Person


@transaction.atomic
def save_person(*, form, country: Country | None = None) -> Person:
    """Save a directory entry; `country` (a focal point's own) overrides the form."""
    person = form.save(commit=False)
    if country is not None:
        person.country = country
    person.full_clean()
    person.save()
    return person
