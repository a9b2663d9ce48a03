"""The Secretariat's way into the administration's index.

Django's admin lists an app only to those who have "module permissions"
on it; `rules` answers object and model permissions (the Secretariat's,
`coalicion.composition.rules`) but not module permissions, so the index
said to the Secretariat that it could see nothing. This backend gives the
Secretariat the modules whose models it administers; each model's own
permissions still decide what it may do there."""

from coalicion.composition.rules import OTHER_ADMINISTERED_APPS


class AdministrationBackend:
    def authenticate(self, request, **credentials):
        return None  # signs nobody in

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False  # the rules backend answers permissions

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        from django.apps import apps

        from coalicion.membership.roles import roles_of

        if not user_obj.is_active or not roles_of(user_obj).is_secretariat:
            return False
        try:
            config = apps.get_app_config(app_label)
        except LookupError:
            return False
        return config.name.startswith("coalicion.") or app_label in OTHER_ADMINISTERED_APPS
