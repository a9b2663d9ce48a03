from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipConfig(AppConfig):
    name = "coalicion.membership"
    label = "membership"
    verbose_name = _("Membership")

    def ready(self):
        # Writes to this app's records change the figures computed from them (ADR 0055).
        from coalicion.core import figures

        figures.watch(self)
