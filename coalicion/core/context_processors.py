from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language_info

from coalicion.membership.roles import NO_ROLES, roles_of
from coalicion.plans.selectors import current_plan


def site(request):
    """The current plan (for navigation) and links to this page in each language."""
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
    return {"nav_plan": current_plan(request), "site_languages": languages, "roles": roles}
