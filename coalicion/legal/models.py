"""Legal and reference framework (SPEC §8; plan section IV and "Marco
conceptual"): the glossary, international and regional instruments, and the
dates on which each member country ratified or adhered to them."""

import datetime
import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.membership.models import Country
from coalicion.plans.models import Plan


class GlossaryTerm(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="glossary")
    code = models.SlugField(_("code"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"))
    term = models.CharField(_("term (Spanish)"), max_length=200)
    term_en = models.CharField(_("term (English)"), max_length=200, blank=True)
    definition = models.TextField(_("definition (Spanish)"))
    definition_en = models.TextField(_("definition (English)"), blank=True)
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="glossary_code_unique")
        ]

    def __str__(self):
        return self.term


class Instrument(models.Model):
    class Scope(models.TextChoices):
        INTERNATIONAL = "international", _("International instrument")
        REGIONAL = "regional", _("Regional instrument")
        REGIONAL_AGREEMENT = "regional_agreement", _("Regional agreement")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    scope = models.CharField(_("scope"), max_length=30, choices=Scope.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.TextField(_("name (Spanish)"))
    name_en = models.TextField(_("name (English)"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    description = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source = models.TextField(_("source"), blank=True)
    parties = models.ManyToManyField(
        Country, blank=True, related_name="agreements", verbose_name=_("parties")
    )
    unmapped_dates = models.JSONField(
        _("dates printed but not assignable to a country"), default=list, blank=True
    )
    note = models.TextField(_("note on the data (Spanish)"), blank=True)
    note_en = models.TextField(_("note on the data (English)"), blank=True)
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        ordering = ["scope", "order"]
        verbose_name = _("legal instrument")
        verbose_name_plural = _("legal instruments")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("legal:framework") + f"#{self.code}"

    def unmapped_readings(self) -> list[dict]:
        """The unassigned dates as dates, so that each page writes them in its
        language's format: `{"date", "adhesion", "printed"}`; `date` is None
        where the printed text is not a date of table A or B."""
        return [_reading(printed) for printed in self.unmapped_dates]


# How the document prints a date: table A day/month/year with spaces and an
# "a" for an adhesion ("09 /08/ 2005 a"), table B month/day/two-digit year
# with RA/AD ("12/22/05 AD"); see the notes on the data.
TABLE_A_DATE = re.compile(r"^(\d\d) /(\d\d)/ (\d{4})(?: (a))?$")
TABLE_B_DATE = re.compile(r"^(\d\d)/(\d\d)/(\d\d)(?: (RA|AD))?$")


def _reading(printed: str) -> dict:
    text = printed.strip()
    try:
        if match := TABLE_A_DATE.match(text):
            day, month, year, mark = match.groups()
            date = datetime.date(int(year), int(month), int(day))
            return {"date": date, "adhesion": bool(mark), "printed": printed}
        if match := TABLE_B_DATE.match(text):
            month, day, year, mark = match.groups()
            year = int(year) + (1900 if int(year) >= 70 else 2000)
            date = datetime.date(year, int(month), int(day))
            return {"date": date, "adhesion": mark == "AD", "printed": printed}
    except ValueError:
        pass
    return {"date": None, "adhesion": False, "printed": printed}


class Ratification(models.Model):
    class Kind(models.TextChoices):
        RATIFICATION = "ratification", _("Ratification")
        ADHESION = "adhesion", _("Adhesion")

    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="ratifications"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="ratifications")
    date = models.DateField(_("date"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    deposit_date = models.DateField(_("date of deposit"), null=True, blank=True)
    deposit_kind = models.CharField(
        _("kind of deposit"), max_length=20, choices=Kind.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["instrument", "country__name"]
        verbose_name = _("ratification or adhesion")
        verbose_name_plural = _("ratifications and adhesions")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "country"], name="ratification_unique_per_country"
            )
        ]

    def __str__(self):
        return f"{self.instrument} — {self.country}"
