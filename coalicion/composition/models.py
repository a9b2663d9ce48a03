"""The one record of the composition: whether the demo data were loaded."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoData(models.Model):
    """Present once `setup_demo` has loaded the synthetic demo data (ADR 0042):
    while it exists, every page says that what it shows is demo data. One row
    at most; the demo records are never deleted, so neither is this row."""

    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("demo data")
        verbose_name_plural = _("demo data")

    def __str__(self):
        return str(_("Demo data loaded"))
