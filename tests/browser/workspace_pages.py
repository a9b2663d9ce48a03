"""The main pages of each role, on the demo data (`make run`'s), for the
browser tests of the workspace (issue 12): phone layout and axe-core."""

from django.test import Client
from django.urls import reverse
from django.utils import translation

from coalicion.accounts.models import User
from coalicion.core.demo import demo_email

ROLES = ["anonymous", "observer", "focal_point_cr", "presidency", "secretariat"]

PUBLIC = [
    ("home", ()),
    ("plans:plan", ("pe-2018-2027",)),
    ("plans:indicators", ("pe-2018-2027",)),
    ("plans:poa_latest", ("pe-2018-2027",)),
    ("membership:countries", ()),
    ("membership:organs", ()),
    ("membership:country", ("CR",)),
    ("legal:glossary", ()),
    ("legal:framework", ()),
    ("statistics:index", ()),
    ("account_login", ()),
]
SIGNED_IN = [
    ("my_work", ()),
    ("my_account", ()),
    ("monitoring:dashboard", ()),
    ("monitoring:matrix", ()),
    ("monitoring:completeness", ()),
    ("meetings:calendar", ()),
    ("meetings:agreements", ()),
    ("meetings:archive", ()),
]
MEMBERS = [
    ("monitoring:my_reports", ()),
    ("membership:directory", ()),
    ("meetings:event", "meeting"),
    ("meetings:attendance", "meeting"),
    ("meetings:agreement", "agreement"),
]
SECRETARIAT = [
    ("accounts:users", ()),
    ("audit:log", ()),
    ("monitoring:review_queue", ()),
    ("monitoring:periods", ()),
]


def _args(args):
    if isinstance(args, tuple):
        return args
    from coalicion.meetings.models import Agreement, Event

    if args == "meeting":
        return (Event.objects.filter(kind=Event.Kind.ORDINARY).order_by("-start").first().pk,)
    return (Agreement.objects.order_by("pk").first().pk,)


def main_pages(role: str, language: str = "es") -> list[str]:
    names = list(PUBLIC)
    if role != "anonymous":
        names += SIGNED_IN
    if role in ("focal_point_cr", "presidency", "secretariat"):
        names += MEMBERS
    if role == "secretariat":
        names += SECRETARIAT
    with translation.override(language):
        return [reverse(name, args=_args(args)) for name, args in names]


def session_cookie(role: str, base_url: str) -> list[dict]:
    """The cookie of a session signed in as the demo user of `role`."""
    if role == "anonymous":
        return []
    client = Client()
    client.force_login(User.objects.get(email=demo_email(role)))
    return [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}]
