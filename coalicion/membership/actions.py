"""Writes to the directory of people (the action contract of
`coalicion.core.actions`: `actor=`, one transaction, stale edits refused)."""

from django.db import transaction

from coalicion.core.actions import check_version
from coalicion.membership.models import Person


@transaction.atomic
def save_person(
    *, actor, person: Person | None = None, version: int | str | None = None, **fields
) -> Person:
    """A new directory entry, or the edit of `person`. `version` is the
    entry's version the edit was opened on: an entry saved by someone else
    meanwhile is refused (`StaleEdit`) rather than overwritten."""
    if person is None:
        person = Person()
    else:
        person = Person.objects.select_for_update().get(pk=person.pk)
        check_version(person, "" if version is None else version)
        person.version += 1
    for name in Person.DIRECTORY_FIELDS:
        if name in fields:
            setattr(person, name, fields[name])
    person.full_clean()
    person.save()
    return person


@transaction.atomic
def set_preferred_language(*, actor, language: str) -> Person:
    """The language of the e-mails `actor` receives ("" for their
    country's), on their own directory entry; recorded in its history."""
    person = Person.objects.select_for_update().get(user=actor)
    person.language = language
    person.full_clean()
    person.version += 1
    person.save()
    return person
