"""Regional statistics on trafficking in persons and smuggling of migrants
(SPEC §9; ADR 0021).

- An :class:`Upload` is one file sent by one person for one measure: its
  provenance (who, when, source, file name, digest), its progress and its
  errors. The file itself is deleted once read.
- A :class:`Batch` is the data of one country, one year and one measure from
  one upload. Re-sending a country-year makes a new version; earlier versions
  are kept, superseded. Exactly one version is current.
- :class:`Record` (one de-identified person and event) and
  :class:`AggregateCell` (a count for one combination of codes) hold the data;
  they have categorical fields only, and nothing that names a person.
- A :class:`Release` is the protected set of one measure and year, made by
  :mod:`coalicion.statistics.disclosure` for one data version (the set of
  current batches); :class:`ReleaseCell` holds its publishable cells, the
  value of a hidden cell never stored.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.core.uploads import StoredFile
from coalicion.statistics.codes import (
    AgeBand,
    AgeGroup,
    CitizenshipGroup,
    Exploitation,
    Measure,
    Scope,
    Sex,
    SourceType,
)


class Upload(StoredFile):
    class Kind(models.TextChoices):
        RECORDS = "records", _("De-identified records")
        AGGREGATES = "aggregates", _("Aggregate table")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to be read")
        CHECKING = "checking", _("Checking the rows")
        SAVING = "saving", _("Saving")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Refused: nothing was saved")

    file = models.FileField(upload_to="statistics/uploads/", blank=True)
    measure = models.CharField(_("measure"), max_length=40, choices=Measure.choices)
    kind = models.CharField(_("kind of data"), max_length=20, choices=Kind.choices)
    file_format = models.CharField(max_length=10)  # "csv" or "xlsx"
    source = models.CharField(
        _("source"),
        max_length=200,
        help_text=_("The institution and system the figures come from."),
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    rows_read = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_saved = models.PositiveIntegerField(default=0)
    # The countries the sender could send figures for when they sent the file.
    allowed_countries = models.JSONField(default=list)
    # The sender's language: the job writes its messages in it.
    language = models.CharField(max_length=8, default="es")
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("statistics upload")
        verbose_name_plural = _("statistics uploads")

    def __str__(self):
        return f"{self.original_name} ({self.get_measure_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


class Batch(models.Model):
    class Status(models.TextChoices):
        LOADING = "loading", _("Being saved")
        CURRENT = "current", _("Current")
        SUPERSEDED = "superseded", _("Superseded by a later version")

    upload = models.ForeignKey(Upload, on_delete=models.PROTECT, related_name="batches")
    country = models.ForeignKey(
        "membership.Country", on_delete=models.PROTECT, related_name="statistics_batches"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    measure = models.CharField(_("measure"), max_length=40, choices=Measure.choices)
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.LOADING)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    total = models.PositiveIntegerField(_("total counted"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "country__name", "-year", "-version"]
        verbose_name = _("statistics batch")
        verbose_name_plural = _("statistics batches")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "year", "measure", "version"], name="batch_version_unique"
            ),
            models.UniqueConstraint(
                fields=["country", "year", "measure"],
                condition=Q(status="current"),
                name="one_current_batch",
            ),
        ]
        indexes = [models.Index(fields=["measure", "status", "year"])]

    def __str__(self):
        return f"{self.country.code} {self.year} {self.measure} v{self.version}"


class Classification(models.Model):
    """The codes of one person (a record) or one combination (an aggregate row).
    A characteristic that does not apply to the measure is empty."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="+")
    sex = models.CharField(max_length=1, choices=Sex.choices, blank=True)
    age_group = models.CharField(max_length=10, choices=AgeGroup.choices, blank=True)
    citizenship = models.CharField(max_length=2, blank=True)
    citizenship_group = models.CharField(
        max_length=10, choices=CitizenshipGroup.choices, blank=True
    )
    exploitation = models.CharField(max_length=20, choices=Exploitation.choices, blank=True)
    scope = models.CharField(max_length=15, choices=Scope.choices, blank=True)
    source_type = models.CharField(max_length=20, choices=SourceType.choices, blank=True)

    class Meta:
        abstract = True


class Record(Classification):
    """One de-identified person and event. Never a name, a document number, a
    date of birth, an address or free text: categorical fields only. Not
    historised: a correction is a new version of the batch."""

    age_band = models.CharField(max_length=10, choices=AgeBand.choices, blank=True)
    detection_country = models.CharField(max_length=2, blank=True)
    exploitation_country = models.CharField(max_length=2, blank=True)

    class Meta:
        verbose_name = _("de-identified record")
        verbose_name_plural = _("de-identified records")

    def __str__(self):
        return f"{self.batch_id}:{self.pk}"


class AggregateCell(Classification):
    """One row of an aggregate table: how many for one combination of codes."""

    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("aggregate cell")
        verbose_name_plural = _("aggregate cells")

    def __str__(self):
        return f"{self.batch_id}:{self.pk} ({self.count})"


class Release(models.Model):
    """The protected set of one measure and year for one data version."""

    measure = models.CharField(max_length=40, choices=Measure.choices)
    year = models.PositiveSmallIntegerField()
    fingerprint = models.CharField(max_length=64)  # the current batches and the rules
    batches = models.ManyToManyField(Batch, related_name="releases")
    threshold = models.PositiveIntegerField()
    protection_level = models.PositiveIntegerField()
    is_current = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    solves = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "year"], condition=Q(is_current=True), name="one_current_release"
            )
        ]

    def __str__(self):
        return f"{self.measure} {self.year}"


class ReleaseCell(models.Model):
    """A publishable cell: one code per dimension ("_T" where it sums over the
    dimension). `value` is null for a hidden cell: its value is never stored
    here, so nothing served from releases can show it. A cell not stored is 0."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        PRIMARY = "primary", _("Hidden: small count")
        SECONDARY = "secondary", _("Hidden: would reveal a small count")

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="cells")
    country = models.CharField(max_length=2)
    sex = models.CharField(max_length=2)
    age_group = models.CharField(max_length=10)
    citizenship_group = models.CharField(max_length=10)
    exploitation = models.CharField(max_length=20)
    scope = models.CharField(max_length=15)
    source_type = models.CharField(max_length=20)
    value = models.PositiveIntegerField(null=True)
    status = models.CharField(max_length=10, choices=Status.choices)

    class Meta:
        indexes = [models.Index(fields=["release", "country"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="published", value__isnull=False)
                | (~Q(status="published") & Q(value__isnull=True)),
                name="hidden_cell_has_no_value",
            )
        ]

    def __str__(self):
        return f"{self.release_id}:{self.country}"
