"""Small helpers shared by the meetings tests."""

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from coalicion.membership.models import Country, Person


def url(name: str, *args) -> str:
    """English pages, so that the messages asserted read as in the code."""
    with translation.override("en"):
        return reverse(f"meetings:{name}", args=args)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def others_addresses(html: str, user) -> bool:
    """Whether the page shows anyone's e-mail address (the reader's own, in the
    menu, does not count)."""
    return "@test.invalid" in html.replace(user.email, "")


def delegate(country: Country, role: str = "titular") -> Person:
    """A synthetic person of `country` to name in its line of the register
    (a line that says someone is present must say who)."""
    person, _created = Person.objects.get_or_create(
        country=country, given_name="Delegación", family_name=f"{role} {country.code}"
    )
    return person


def named_row(country: Country, status: str, **extra) -> dict:
    """A line of the register for `record_attendance`, naming whoever the
    status says is present."""
    row = {"country": country, "status": status, **extra}
    if status in ("titular", "both"):
        row.setdefault("titular", delegate(country, "titular"))
    if status in ("alternate", "both"):
        row.setdefault("alternate", delegate(country, "alternate"))
    return row
