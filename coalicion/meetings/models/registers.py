"""The registers of a meeting: attendance of member countries and
observers, verifications of quorum, the countries' situation reports."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.core.i18n import localized
from coalicion.meetings.counting import PRESENT_STATUSES
from coalicion.meetings.models.events import Event
from coalicion.meetings.models.records import RecordedInMinutes


class Attendance(RecordedInMinutes):
    """A member country's line of the attendance register."""

    class Status(models.TextChoices):
        TITULAR = "titular", _("Titular present")
        ALTERNATE = "alternate", _("Alternate present")
        BOTH = "both", _("Titular and alternate present")
        ABSENT = "absent", _("Absent")
        EXCUSED = "excused", _("Excused")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendance")
    country = models.ForeignKey(
        "membership.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    status = models.CharField(_("attendance"), max_length=20, choices=Status.choices)
    titular = models.ForeignKey(
        "membership.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("titular representative"),
    )
    alternate = models.ForeignKey(
        "membership.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("alternate representative"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "country__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["event", "country"], name="attendance_once_per_country")
        ]

    def __str__(self):
        return f"{self.event} — {localized(self.country, 'name')}: {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("meetings:attendance", args=[self.event_id])

    def is_visible_to(self, user) -> bool:
        """For lists of records outside this app (an indicator's drill-down)."""
        return user.has_perm("meetings.view_event", self.event)

    @property
    def is_present(self) -> bool:
        return self.status in PRESENT_STATUSES

    @classmethod
    def unnamed(cls, status: str, *, titular, alternate) -> list[str]:
        """The representatives a line says are present and does not name
        ("titular", "alternate"): such a line would go into the minutes
        saying somebody came without saying who."""
        missing = []
        if status in (cls.Status.TITULAR, cls.Status.BOTH) and titular is None:
            missing.append("titular")
        if status in (cls.Status.ALTERNATE, cls.Status.BOTH) and alternate is None:
            missing.append("alternate")
        return missing


class ObserverAttendance(RecordedInMinutes):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="observer_attendance")
    organisation = models.ForeignKey(
        "membership.ObserverOrganisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    present = models.BooleanField(_("present"), default=True)
    people = models.CharField(
        _("people attending"), max_length=300, blank=True, help_text=_("Names and positions.")
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "organisation__name"]
        verbose_name = _("observer attendance")
        verbose_name_plural = _("observer attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="observer_attendance_once"
            )
        ]

    def __str__(self):
        return str(self.organisation)


class QuorumCheck(RecordedInMinutes):
    """A verification of quorum: the verdict and the numbers, with the time."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="quorum_checks")
    at = models.DateTimeField(_("verified at"))
    present = models.PositiveSmallIntegerField(_("member countries present"))
    members = models.PositiveSmallIntegerField(_("member countries"))
    required = models.PositiveSmallIntegerField(_("required for quorum"))
    rule = models.CharField(_("rule"), max_length=20)
    has_quorum = models.BooleanField(_("quorum"))
    present_countries = models.JSONField(_("countries present"), default=list)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["event", "at", "pk"]
        get_latest_by = ["at", "pk"]
        verbose_name = _("verification of quorum")
        verbose_name_plural = _("verifications of quorum")

    def __str__(self):
        return f"{self.present}/{self.members}"


class CountryReport(RecordedInMinutes):
    """Informe actualizado de la realidad de su país, with structured highlights."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="country_reports")
    country = models.ForeignKey(
        "membership.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country")
    )
    summary = models.TextField(_("summary"))
    legal_changes = models.TextField(_("legal and regulatory changes"), blank=True)
    cases = models.TextField(
        _("cases"),
        blank=True,
        help_text=_(
            "Aggregated figures and case outcomes only: never names or identifying details."
        ),
    )
    actions = models.TextField(_("actions taken"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["event", "country__name"]
        verbose_name = _("country report")
        verbose_name_plural = _("country reports")
        constraints = [
            models.UniqueConstraint(fields=["event", "country"], name="country_report_once")
        ]

    def __str__(self):
        return f"{self.country} — {self.event}"
