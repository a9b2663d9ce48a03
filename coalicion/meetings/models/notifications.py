"""Notification settings and the outbox of the meetings e-mails."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from coalicion.meetings.models.agreements import Agreement
from coalicion.meetings.models.events import Event
from coalicion.meetings.models.minutes import Minutes


class NotificationSettings(models.Model):
    """Which optional e-mails a user receives. Convocations always go."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    agenda_approved = models.BooleanField(_("agenda approved"), default=True)
    minutes_circulated = models.BooleanField(_("minutes circulated for comment"), default=True)
    agreement_due = models.BooleanField(_("agreement due in 14 days"), default=True)
    agreement_overdue = models.BooleanField(_("agreement overdue"), default=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self):
        return str(self.user)


class Notification(models.Model):
    """The outbox: one row per e-mail to one user. Actions add rows; the
    daily command `send_notifications` sends what is unsent and adds the
    reminders of agreements due and overdue. `key` makes each notice unique,
    so a reminder is never sent twice."""

    class Kind(models.TextChoices):
        CONVOCATION = "convocation", _("Convocation")
        AGENDA_APPROVED = "agenda_approved", _("Agenda approved")
        MINUTES_CIRCULATED = "minutes_circulated", _("Minutes circulated for comment")
        AGREEMENT_DUE = "agreement_due", _("Agreement due in 14 days")
        AGREEMENT_OVERDUE = "agreement_overdue", _("Agreement overdue")

    OPTIONAL = (
        Kind.AGENDA_APPROVED,
        Kind.MINUTES_CIRCULATED,
        Kind.AGREEMENT_DUE,
        Kind.AGREEMENT_OVERDUE,
    )

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=100)
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Taken by one sender (a request's on-commit hook or the daily command)
    # so that two never send the same row; a claim older than an hour is
    # taken as abandoned.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="notification_once")
        ]

    def __str__(self):
        return f"{self.kind} → {self.user}"
