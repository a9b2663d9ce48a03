from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "coalicion.plans"
    label = "plans"
    verbose_name = _("Plans")

    def ready(self):
        # Writes to this app's records change the figures computed from them (ADR 0055).
        from coalicion.core import figures

        figures.watch(self)
