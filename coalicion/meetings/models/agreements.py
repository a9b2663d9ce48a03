"""Agreements (acuerdos), their follow-up entries and the files attached
to the records of a meeting."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.core.uploads import StoredFile
from coalicion.meetings.models.decisions import Decision
from coalicion.meetings.models.events import AgendaItem, Event
from coalicion.meetings.models.records import RecordedInMinutes
from coalicion.meetings.models.registers import CountryReport
from coalicion.plans.parties import PartyKind, ResponsibleParty, party_constraint

# The kinds of responsible party an agreement takes.
AGREEMENT_RESPONSIBLE_KINDS = (PartyKind.COUNTRY, PartyKind.ORGAN, PartyKind.COMMITTEE)


class Agreement(RecordedInMinutes, ResponsibleParty):
    """Acuerdo: numbered per meeting (R12-2019-03). Its status changes only
    through follow-up entries, so its status on any past date is known.
    Its responsible party (`kind`, `country`, `organ`, `committee`) has the
    shape of every responsible party (`coalicion.plans.parties`): a member
    country, an organ or a working committee."""

    # Follow-up goes on after the minutes are approved.
    MUTABLE_WHEN_FROZEN = ("status", "closed_on")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_PROGRESS = "in_progress", _("In progress")
        FULFILLED = "fulfilled", _("Fulfilled")
        CANCELLED = "cancelled", _("Cancelled")

    RESPONSIBLE_KINDS = AGREEMENT_RESPONSIBLE_KINDS

    OPEN = (Status.PENDING, Status.IN_PROGRESS)

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="agreements")
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    code = models.CharField(_("number"), max_length=30, unique=True)
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("decision"),
    )
    text = models.TextField(_("text"))
    due = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    closed_on = models.DateField(_("fulfilled or cancelled on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["event__start", "sequence"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(fields=["event", "sequence"], name="agreement_sequence_unique"),
            party_constraint(
                name="agreement_has_one_responsible", kinds=AGREEMENT_RESPONSIBLE_KINDS
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("meetings:agreement", args=[self.pk])

    def is_visible_to(self, user) -> bool:
        """For lists of records outside this app (an indicator's drill-down)."""
        return user.has_perm("meetings.view_agreement", self)

    @property
    def responsible(self):
        return self.country or self.organ or self.committee

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def follow_up_date_error(self, date: datetime.date, *, changes_status: bool) -> str:
        """Why a follow-up entry cannot carry `date` ("" if it can): not in
        the future, not before the agreement, and a change of status not
        before the last one. Checked by `add_follow_up` and by the follow-up
        form, which shows it beside its other errors in one round."""
        if date > timezone.localdate():
            return gettext("A follow-up entry cannot be dated in the future.")
        if date < self.event.local_date:
            return gettext("A follow-up entry cannot precede the agreement.")
        if changes_status:
            latest = self.follow_ups.exclude(status="").order_by("-date", "-pk").first()
            if latest is not None and date < latest.date:
                return gettext(
                    "A change of status cannot be dated before the last one (%(date)s): "
                    "record it with a later date, or without a change of status."
                ) % {"date": formats.date_format(latest.date, "SHORT_DATE_FORMAT")}
        return ""

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        """Overdue is derived, never stored: open and past its due date."""
        today = today or timezone.localdate()
        return self.is_open and self.due is not None and self.due < today


class FollowUp(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="follow_ups")
    date = models.DateField(_("date"))
    text = models.TextField(_("text"))
    status = models.CharField(
        _("new status"),
        max_length=20,
        choices=Agreement.Status.choices,
        blank=True,
        help_text=_("Leave empty if the status does not change."),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "date", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-up entries")

    def __str__(self):
        return f"{self.agreement} — {self.date}"


class Attachment(StoredFile):
    """A file attached to an agenda item, a country report or a follow-up
    entry (its evidence). Checked by content like monitoring evidence, stored
    outside the web root, served by a permission-checked view."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    country_report = models.ForeignKey(
        CountryReport, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    follow_up = models.ForeignKey(
        FollowUp, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    agenda_item__isnull=False, country_report__isnull=True, follow_up__isnull=True
                )
                | Q(agenda_item__isnull=True, country_report__isnull=False, follow_up__isnull=True)
                | Q(agenda_item__isnull=True, country_report__isnull=True, follow_up__isnull=False),
                name="attachment_belongs_to_one_item",
            )
        ]

    @property
    def event(self) -> Event:
        if self.agenda_item_id:
            return self.agenda_item.event
        if self.country_report_id:
            return self.country_report.event
        return self.follow_up.agreement.event
