"""Minutes (actas) of a meeting and the comments on them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from coalicion.meetings.models.events import Event
from coalicion.meetings.models.records import FrozenError


class MinutesQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if self.filter(status=Minutes.Status.APPROVED).exists():
            raise FrozenError("Approved minutes are frozen.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=Minutes.Status.APPROVED).exists():
            raise FrozenError("Approved minutes are frozen.")
        return super().delete()


class Minutes(models.Model):
    """Acta of a meeting: drafted by the Secretariat, circulated to the
    members for comment, approved at the next meeting. Approved minutes are
    frozen (with a stored PDF and its hash); a correction is a new document
    linked to the one it corrects."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CIRCULATED = "circulated", _("Circulated for comment")
        APPROVED = "approved", _("Approved")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="minutes")
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    body = models.TextField(_("text of the minutes"))
    circulated_at = models.DateTimeField(_("circulated"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at_event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
        verbose_name=_("approved at"),
    )
    pdf = models.FileField(_("PDF"), upload_to="minutes/%Y/", blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    objects = MinutesQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        ordering = ["event", "pk"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(corrects__isnull=True), name="one_original_minutes"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False, pdf_sha256__gt=""),
                name="approved_minutes_have_pdf",
            ),
        ]

    def __str__(self):
        if self.corrects_id:
            return _("Correction of the minutes of %(event)s") % {"event": self.event}
        return _("Minutes of %(event)s") % {"event": self.event}

    def save(self, *args, **kwargs):
        # Integrity guard, not business logic: whatever path a write takes
        # (a view, the admin, a script), an approved minute never changes.
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.APPROVED:
                raise FrozenError("Approved minutes are frozen.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("meetings:minutes", args=[self.pk])

    def delete(self, *args, **kwargs):
        if self.status == self.Status.APPROVED:
            raise FrozenError("Approved minutes are frozen.")
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status == self.Status.APPROVED


class MinutesComment(models.Model):
    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    country = models.ForeignKey(
        "membership.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["minutes", "created_at", "pk"]
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")

    def __str__(self):
        return self.text[:60]
