"""Changes of second factors reach the audit log."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.test import RequestFactory

from coalicion.audit.models import AuditEvent


@pytest.mark.parametrize(
    ("signal", "action"),
    [
        (authenticator_added, AuditEvent.Action.MFA_ADDED),
        (authenticator_removed, AuditEvent.Action.MFA_REMOVED),
        (authenticator_reset, AuditEvent.Action.MFA_RESET),
    ],
)
def test_each_change_of_a_second_factor_is_recorded(users, signal, action):
    user = users["observer"]
    authenticator = Authenticator(user=user, type=Authenticator.Type.TOTP, data={})
    request = RequestFactory().post("/es/accounts/2fa/")

    signal.send(sender=Authenticator, request=request, user=user, authenticator=authenticator)

    event = AuditEvent.objects.get(action=action)
    assert event.user == user and event.detail == {"type": "totp"}
