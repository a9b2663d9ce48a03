from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default = True
    name = "coalicion.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from coalicion.core import checks  # noqa: F401 (registers the checks)
        from coalicion.core.sections import discover

        discover()
        # The job queue is the operator's (`manage.py db_worker`, its logs),
        # not something the Secretariat edits in the administration.
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)


class CoalicionAdminConfig(admin_apps.AdminConfig):
    """Django's admin, with the site of `coalicion.core.adminsite`."""

    default = False
    default_site = "coalicion.core.adminsite.CoalicionAdminSite"
