import time

from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language_info

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
    }


def _navigation(request, roles) -> dict:
    match = getattr(request, "resolver_match", None)
    return {
        "main": navigation.links("main", request=request, roles=roles),
        "account": navigation.links("account", request=request, roles=roles),
        "area": navigation.area(match and match.namespace, request=request, roles=roles),
    }


# The footer's member countries are kept in each process, as Django keeps
# the current Site: every page shows them, they change once in years. The
# list is read again on a new day, after MEMBERS_SECONDS, and at once in the
# process where a country is saved or deleted (`forget_member_countries`,
# connected in apps.py); another process sees the change within
# MEMBERS_SECONDS.
MEMBERS_SECONDS = 300
_members: dict = {}


def member_countries_today() -> list[Country]:
    today, now = timezone.localdate(), time.monotonic()
    kept = _members.get("today")
    if kept is not None and kept[0] == today and now - kept[1] < MEMBERS_SECONDS:
        return kept[2]
    countries = list(Country.objects.members(on=today))
    _members["today"] = (today, now, countries)
    return countries


def forget_member_countries(**kwargs) -> None:
    _members.clear()
