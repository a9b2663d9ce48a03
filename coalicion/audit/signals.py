"""Security events from Django and allauth go to the audit log."""

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record_event(action=AuditEvent.Action.LOGIN, actor=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record_event(action=AuditEvent.Action.LOGOUT, actor=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # `credentials` has the password scrubbed by Django; keep only the address.
    email = str(credentials.get("email") or credentials.get("username") or "")
    record_event(action=AuditEvent.Action.LOGIN_FAILED, email=email)


MFA_EVENTS = {
    authenticator_added: AuditEvent.Action.MFA_ADDED,
    authenticator_removed: AuditEvent.Action.MFA_REMOVED,
    authenticator_reset: AuditEvent.Action.MFA_RESET,
}


def _mfa_changed(sender, signal, request, user, authenticator, **kwargs):
    record_event(action=MFA_EVENTS[signal], actor=user, detail={"type": authenticator.type})


for _signal in MFA_EVENTS:
    _signal.connect(_mfa_changed, dispatch_uid=f"coalicion.audit.mfa.{MFA_EVENTS[_signal]}")


@receiver(password_changed)
def _password_changed(sender, request, user, **kwargs):
    record_event(action=AuditEvent.Action.PASSWORD_CHANGED, actor=user)


@receiver(password_reset)
def _password_reset(sender, request, user, **kwargs):
    record_event(action=AuditEvent.Action.PASSWORD_RESET, actor=user)
