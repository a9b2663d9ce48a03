from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The documents the Coalition hands over: the accountability report
    (PDF and XLSX) and its archive. Above monitoring and meetings; other
    apps contribute sections through `coalicion.core.report_sections`."""

    default = True
    name = "coalicion.reports"
    label = "reports"
    verbose_name = _("Reports")
