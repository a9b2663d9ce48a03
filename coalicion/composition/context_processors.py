import time

from django.conf import settings
from django.db import transaction
from django.urls import translate_url
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language_info

from coalicion.composition.models import DemoData
from coalicion.core import navigation
from coalicion.membership.models import Country
from coalicion.membership.roles import NO_ROLES, roles_of


def site(request):
    """What every page's layout shows: links to this page in each language,
    the viewer's roles, the navigation the apps contribute
    (`coalicion.core.navigation`) and the member countries for the footer.
    The navigation is built only for a page that shows it."""
    languages = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        languages.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(request.get_full_path(), code),
            }
        )
    user = getattr(request, "user", None)
    roles = roles_of(user) if user is not None and user.is_authenticated else NO_ROLES
    return {
        "site_languages": languages,
        "roles": roles,
        "navigation": SimpleLazyObject(lambda: _navigation(request, roles)),
        "member_countries": SimpleLazyObject(member_countries_today),
        "demo_data": demo_data_loaded(),
    }


def _navigation(request, roles) -> dict:
    match = getattr(request, "resolver_match", None)
    return {
        "main": navigation.links("main", request=request, roles=roles),
        "account": navigation.links("account", request=request, roles=roles),
        "area": navigation.area(match and match.namespace, request=request, roles=roles),
    }


# The footer's member countries are kept in each process, as Django keeps
# the current Site: every page shows them and they change once in years.
# A process reads them on the first page of each day, and again after a
# country is saved or deleted in it (once the change is committed); another
# process sees such a change the next day or when it restarts (ADR 0013).
_members: dict = {}


def member_countries_today() -> list[Country]:
    today = timezone.localdate()
    if today not in _members:
        _members.clear()
        _members[today] = list(Country.objects.members(on=today))
    return _members[today]


def forget_member_countries(**kwargs) -> None:
    """Connected to every save and deletion of a country (apps.py)."""
    transaction.on_commit(_members.clear)


# Whether the demo data were loaded (the notice on every page, ADR 0042) is
# kept in each process for a minute: a page reads the database at most once a
# minute per process. `set_up_demo` forgets it in its own process; another
# process sees the change within a minute.
DEMO_DATA_CHECK_SECONDS = 60
_demo: dict = {}


def demo_data_loaded() -> bool:
    now = time.monotonic()
    if not _demo or now - _demo["read_at"] > DEMO_DATA_CHECK_SECONDS:
        remember_demo_data(DemoData.objects.exists())
    return _demo["loaded"]


def remember_demo_data(loaded: bool) -> None:
    _demo.update(loaded=loaded, read_at=time.monotonic())


def forget_demo_data() -> None:
    _demo.clear()
