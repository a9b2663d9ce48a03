from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "coalicion.meetings"
    label = "meetings"
    verbose_name = _("Meetings and agreements")

    def ready(self):
        # Indicators 4.3a and 4.3b count this app's records (SPEC §7).
        from coalicion.core import figures
        from coalicion.meetings import computations  # noqa: F401

        # Writes change the figures computed from them (ADR 0055); a calendar
        # feed's use and minutes' comments change none.
        figures.watch(self, exclude=("calendarfeed", "minutescomment"))
