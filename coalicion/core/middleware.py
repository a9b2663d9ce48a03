import logging
import re
import time
import uuid

from django.conf import settings

from coalicion.core import health, logs


class SecurityHeadersMiddleware:
    """Headers django-csp and SecurityMiddleware do not set.

    Pages seen while signed in may hold non-public data: they are never
    stored by the browser or a proxy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


REQUEST_ID_HEADER = "X-Request-ID"
# An id a proxy may hand over: letters, digits, dots, dashes, underscores and
# colons, 8 to 64 of them (a UUID, a trace id); anything else is replaced.
_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,63}")
# Path segments that are secrets (password-reset keys, invitation tokens)
# never reach the log.
_SECRET_IN_PATH = re.compile(r"(/(?:key|invitation)/)[^/]+")
request_logger = logging.getLogger("coalicion.request")


def request_id_for(request) -> str:
    incoming = request.headers.get(REQUEST_ID_HEADER, "")
    if _SANE_REQUEST_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


def signed_in_user_id(request) -> int | None:
    """The numeric id of the signed-in user, if this request has already
    looked them up (never a query of its own: the line is written even when
    the database is down)."""
    user = getattr(request, "_cached_user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    return None


class RequestIdMiddleware:
    """Gives every request an id (the proxy's X-Request-ID if sane), sends
    it back in the response header, keeps it for every log line written
    meanwhile and writes one line per request (ADR 0060)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_for(request)
        token = logs.enter_request(request.request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request.request_id
            status = response.status_code
            level = logging.INFO
            if status >= 400:
                level = logging.ERROR if status >= 500 else logging.WARNING
            path = _SECRET_IN_PATH.sub(r"\1…", request.path)
            request_logger.log(
                level,
                "%s %s %s",
                request.method,
                path,
                status,
                extra={
                    "user_id": signed_in_user_id(request),
                    "method": request.method,
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            logs.leave_request(token)


class HealthCheckMiddleware:
    """Answers /health/ for load balancers before the host check, the HTTPS
    redirect and the session: no session is created, and a probe by IP
    address over HTTP gets its answer. A caller with a session cookie goes on
    to the view, which shows the details to staff."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/health/" and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return health.health_response(request, details=health.has_token(request))
        return self.get_response(request)
