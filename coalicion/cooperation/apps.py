from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "coalicion.cooperation"
    label = "cooperation"
    verbose_name = _("Cooperation: instruments, good practices, actors and alliances")

    def ready(self):
        # Indicators 1, 2, 2.1, 2.2, 2.3, 3.1, 3.2.1, 4.1 and 4.2 count this
        # app's records (SPEC §7).
        from coalicion.cooperation import computations  # noqa: F401
        from coalicion.core import figures

        # Writes change the figures computed from them (ADR 0055).
        figures.watch(self)
