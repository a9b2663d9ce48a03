from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "coalicion.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from coalicion.audit import signals  # noqa: F401
