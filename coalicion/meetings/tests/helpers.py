"""Small helpers shared by the meetings tests."""

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from coalicion.membership.models import Country


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
