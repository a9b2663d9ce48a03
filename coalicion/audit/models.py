"""The append-only security log: sign-ins, failures, lockouts, MFA changes,
account administration, denied access and downloads of sensitive files.

Changes to domain data are kept separately, per object, by
django-simple-history (see `coalicion.audit.history`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")

    def delete(self):
        raise AppendOnlyError("The audit log is append-only.")


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOCKOUT = "lockout", _("Sign-in locked after too many failures")
        LOGOUT = "logout", _("Signed out")
        SESSION_EXPIRED = "session_expired", _("Session expired")
        MFA_ADDED = "mfa_added", _("Two-factor method added")
        MFA_REMOVED = "mfa_removed", _("Two-factor method removed")
        MFA_RESET = "mfa_reset", _("Recovery codes regenerated")
        PASSWORD_CHANGED = "password_changed", _("Password changed")
        PASSWORD_RESET = "password_reset", _("Password reset by e-mail")
        USER_INVITED = "user_invited", _("User invited")
        INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
        USER_DISABLED = "user_disabled", _("User disabled")
        USER_ENABLED = "user_enabled", _("User enabled")
        USER_CHANGED = "user_changed", _("Account changed in the administration")
        SESSIONS_ENDED = "sessions_ended", _("User's sessions ended")
        REPRESENTATION_ASSIGNED = "representation_assigned", _("Representation assigned")
        PERIOD_REOPENED = "period_reopened", _("Reporting period reopened")
        PERMISSION_DENIED = "permission_denied", _("Access denied")
        DOWNLOAD = "download", _("File downloaded")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_events",
        verbose_name=_("user"),
    )
    # A copy of the address, so the event still says who after the account goes.
    user_email = models.CharField(_("user e-mail"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=Action.choices, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    path = models.CharField(_("address"), max_length=500, blank=True)
    target = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.user_email}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The audit log is append-only.")
