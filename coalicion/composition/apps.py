from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CompositionConfig(AppConfig):
    """What composes the apps into one site (ADR 0011): the administration,
    the context of every page, the Secretariat's fallback rules, the error
    and favicon views, the demo data and the plan-file loader. It comes last
    in INSTALLED_APPS; no app imports it."""

    name = "coalicion.composition"
    label = "composition"
    verbose_name = _("Coalición")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from coalicion.composition import checks  # noqa: F401 (registers the checks)
        from coalicion.composition.context_processors import forget_member_countries
        from coalicion.membership.models import Country

        for signal in (post_save, post_delete):
            signal.connect(forget_member_countries, sender=Country, dispatch_uid="footer")


class CoalicionAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site of `coalicion.composition.adminsite`."""

    default = False
    default_site = "coalicion.composition.adminsite.CoalicionAdminSite"
