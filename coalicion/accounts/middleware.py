import time

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent

LOGIN_AT = "coalicion_login_at"
LAST_SEEN = "coalicion_last_seen"
# The time of the last request is written at most this often (seconds), so
# that a page and the charts it loads in parallel do not all write the
# session: fewer writes on every application server.
LAST_SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request,
    and SESSION_ABSOLUTE_TIMEOUT seconds after sign-in however active."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            started = session.setdefault(LOGIN_AT, now)
            last_seen = session.get(LAST_SEEN, started)
            if (
                now - started > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - last_seen > settings.SESSION_IDLE_TIMEOUT
            ):
                user = request.user
                logout(request)
                record_event(action=AuditEvent.Action.SESSION_EXPIRED, actor=user)
                messages.info(request, _("Your session has ended. Please sign in again."))
                return redirect(f"{reverse('account_login')}?next={request.path}")
            if now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN] = now
        return self.get_response(request)


class RequireMFAMiddleware:
    """With MFA_REQUIRED, a signed-in user without a second factor can only
    reach the pages that set one up (and sign out)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED
            and request.user.is_authenticated
            and not self._allowed(request.path)
            and not is_mfa_enabled(request.user)
        ):
            messages.warning(
                request,
                _("Set up two-factor authentication to continue: it is required for every user."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed = [
            reverse("mfa_activate_totp"),
            reverse("mfa_index"),
            reverse("mfa_generate_recovery_codes"),
            reverse("mfa_view_recovery_codes"),
            reverse("mfa_download_recovery_codes"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            reverse("favicon"),
            settings.STATIC_URL,
        ]
        return any(path.startswith(prefix) for prefix in allowed)
