"""Monitoring (SPEC §3, plan section IX): reporting periods, progress
reports with evidence, indicator values, all through submit → validate /
return. Only validated values count anywhere."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.core.uploads import StoredFile
from coalicion.membership.models import Country
from coalicion.plans.models import Activity, Indicator, MilestoneStage, OperatingPlan

PERCENT_VALIDATORS = [MinValueValidator(0), MaxValueValidator(100)]


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    VALIDATED = "validated", _("Validated")
    RETURNED = "returned", _("Returned with comments")


class ReportingPeriod(models.Model):
    """A period of a POA (a quarter by default) for which progress is reported."""

    operating_plan = models.ForeignKey(
        OperatingPlan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("POA")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due = models.DateField(_("reports due"), help_text=_("Reports submitted later are late."))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["operating_plan__year", "number"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(
                fields=["operating_plan", "number"], name="period_number_unique"
            ),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="period_ordered"),
            models.CheckConstraint(
                condition=Q(due__gte=models.F("end")), name="period_due_after_end"
            ),
        ]

    def __str__(self):
        return f"{self.operating_plan.year} T{self.number}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def clean(self):
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end cannot be before the start.")})
        if self.end and self.due and self.due < self.end:
            raise ValidationError({"due": _("Reports cannot be due before the period ends.")})


class Reviewed(models.Model):
    """What goes submit → validate / return: its status, who submitted and
    reviewed it when, and a version for optimistic locking."""

    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_comment = models.TextField(_("comment of the Secretariat"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


class ProgressReport(Reviewed):
    """Progress of one activity in one period, by its responsible party; for
    a shared activity (`coalicion.plans.parties.is_shared`), one country's
    part of it, by that country's focal points."""

    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="reports", verbose_name=_("activity")
    )
    period = models.ForeignKey(
        ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("period"),
    )
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_reports",
        verbose_name=_("country"),
        help_text=_("The country whose part of a shared activity this is; empty otherwise."),
    )
    percent = models.DecimalField(
        _("percent complete"), max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    narrative = models.TextField(_("narrative"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__end", "activity__code"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "period"],
                condition=Q(country__isnull=True),
                name="report_per_activity_period",
            ),
            models.UniqueConstraint(
                fields=["activity", "period", "country"],
                condition=Q(country__isnull=False),
                name="report_part_per_activity_period_country",
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="report_percent_range"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "activity"]),
            models.Index(fields=["activity", "country"]),
        ]

    def __str__(self):
        part = f" · {self.country.code}" if self.country_id else ""
        return f"{self.activity.code}{part} · {self.period}"

    @property
    def is_editable(self) -> bool:
        return (
            self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and not self.period.is_closed
        )

    @property
    def submitted_late(self) -> bool:
        """Submitted after the period's reports were due."""
        return (
            self.submitted_at is not None
            and timezone.localdate(self.submitted_at) > self.period.due
        )


class IndicatorValue(Reviewed):
    """A value of a manual indicator for a year (and a country where the
    indicator is disaggregated), entered with evidence and validated."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", verbose_name=_("indicator")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_values",
        verbose_name=_("country"),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4, null=True, blank=True)
    stage = models.ForeignKey(
        MilestoneStage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stage"),
    )
    narrative = models.TextField(_("narrative"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year", "country__name"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=Q(country__isnull=True),
                name="indicator_value_regional_unique",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year", "country"],
                condition=Q(country__isnull=False),
                name="indicator_value_country_unique",
            ),
        ]

    def __str__(self):
        where = f" {self.country.code}" if self.country_id else ""
        return f"{self.indicator.code} {self.year}{where}"

    def clean(self):
        if self.indicator_id is None:
            return
        if self.indicator.kind == Indicator.Kind.MILESTONE:
            if self.stage_id is None:
                raise ValidationError({"stage": _("A milestone indicator takes a stage.")})
        elif self.value is None:
            raise ValidationError({"value": _("Enter the value.")})
        is_percentage = self.indicator.kind == Indicator.Kind.PERCENTAGE
        if is_percentage and self.value is not None and not 0 <= self.value <= 100:
            raise ValidationError({"value": _("A percentage lies between 0 and 100.")})


class Evidence(StoredFile):
    """A means of verification: a file attached to a report or an indicator
    value. Stored outside the web root, served only by a permission-checked
    view; its type is checked by its content, not its name."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    indicator_value = models.ForeignKey(
        IndicatorValue, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to="evidence/%Y/%m/")

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, indicator_value__isnull=True)
                | Q(report__isnull=True, indicator_value__isnull=False),
                name="evidence_belongs_to_one_item",
            )
        ]


def quarters_of(year: int) -> list[tuple[int, datetime.date, datetime.date]]:
    """The four quarters of a year: (number, start, end)."""
    bounds = [(1, 1, 3, 31), (2, 4, 6, 30), (3, 7, 9, 30), (4, 10, 12, 31)]
    return [
        (number, datetime.date(year, first, 1), datetime.date(year, last, day))
        for number, first, last, day in bounds
    ]
