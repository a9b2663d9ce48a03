from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "coalicion.meetings"
    label = "meetings"
    verbose_name = _("Meetings and agreements")

    def ready(self):
        # Indicators 4.3a and 4.3b count this app's records (SPEC §7).
        from coalicion.meetings import computations  # noqa: F401
