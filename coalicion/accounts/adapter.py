import uuid
from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coalicion.accounts.models import User
from coalicion.accounts.notices import ACCOUNT_MESSAGE
from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent
from coalicion.notifications.actions import notify


class AccountAdapter(DefaultAccountAdapter):
    """No public sign-up: the Technical Secretariat invites every user.
    allauth's e-mails (password reset) go through the outbox, so a mail
    server that is down never breaks the page: the e-mail is retried and
    the failure logged (`coalicion.notifications`)."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Somebody who knows an address can keep failing on purpose: the
        # owner still gets in through the e-mail reset, which lifts the lock.
        "too_many_login_attempts": _(
            "Too many failed sign-ins for this address: signing in with a password is paused "
            "for a while. If this is your account, you can get in now: choose “Forgot your "
            "password?” and follow the link we e-mail you; the new password lifts the pause."
        ),
    }

    def is_open_for_signup(self, request):
        return False

    def get_reset_password_from_key_url(self, key: str) -> str:
        """Links in e-mails use SITE_URL, never the request's Host header
        (which a client chooses)."""
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL.rstrip("/") + path.replace("UID-KEY", quote(key))

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        # The link holds a one-time key: the text is kept only until sent.
        notify(
            kind=ACCOUNT_MESSAGE,
            recipients=[email],
            key=f"{template_prefix}:{uuid.uuid4().hex}",
            content=(message.subject, message.body),
        )

    def pre_authenticate(self, request, **credentials):
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            # Too many failed sign-ins for this address or from this IP.
            # Who (the address tried, and the account if it exists) and from
            # where (the request's address and browser, recorded by audit).
            email = str(credentials.get("email", ""))
            account = User.objects.filter(email__iexact=email).first() if email else None
            record_event(
                action=AuditEvent.Action.LOCKOUT,
                email=email,
                target=account or "",
            )
            raise
