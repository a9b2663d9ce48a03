from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: the Technical Secretariat invites every user."""

    def is_open_for_signup(self, request):
        return False

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Too many failed sign-ins for this address or from this IP.
            record_event(
                action=AuditEvent.Action.LOCKOUT,
                email=str(credentials.get("email", "")),
            )
            raise
