"""The outbox of every e-mail the system sends, and each person's choice of
the optional ones (ADR 0010)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One e-mail to one person. Actions add rows (`actions.notify`), which
    are sent by a background job once the action commits and, for whatever
    is left (a mail server that was down), by the daily `send_notifications`.
    `key` makes each notice unique per address and kind: nothing is sent
    twice. What the message says is built when it is sent, in the
    recipient's language, from `params` (the records it is about); only a
    message that cannot be built again (a one-time link) keeps its text in
    `subject` and `body`, which are emptied once it is sent."""

    kind = models.CharField(_("kind"), max_length=60)
    key = models.CharField(_("key"), max_length=200)
    email = models.EmailField(_("address"))
    language = models.CharField(_("language"), max_length=8)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    person = models.ForeignKey(
        "membership.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    params = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # Taken by one sender (a job or the daily command) so that two never
    # send the same row; a claim older than an hour is taken as abandoned.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails (outbox)")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind", "key"], name="notifications_outbox_once"
            )
        ]
        indexes = [models.Index(fields=["sent_at", "attempts"])]

    def __str__(self):
        return f"{self.kind} → {self.email}"


class Preference(models.Model):
    """A person's choice for one optional kind of e-mail (none: they get it)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    enabled = models.BooleanField(_("send it"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self):
        return f"{self.user}: {self.kind} {'on' if self.enabled else 'off'}"
