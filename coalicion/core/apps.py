from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared helpers every app may use (dates, files, spreadsheets, PDFs,
    i18n, the hooks through which apps contribute to shared screens). Core
    imports no app (ADR 0011)."""

    default = True
    name = "coalicion.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from coalicion.core import navigation, sections

        sections.discover()
        navigation.discover()
