"""The health check (for staff with a session) and the error pages that may
render without the database (ADR 0060, ADR 0061)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils import translation
from django.views.decorators.cache import never_cache

from coalicion.core import health as health_checks
from coalicion.core.logs import current_request_id

UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
try:  # the Redis cache's connection errors, when the redis package is there
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    UNAVAILABLE_ERRORS += (RedisConnectionError, RedisTimeoutError)
except ImportError:  # pragma: no cover
    pass

RETRY_AFTER_SECONDS = 30


@never_cache
def health(request):
    """/health/ for a caller with a session cookie (the middleware answers
    everyone else): staff see which check failed."""
    user = getattr(request, "user", None)
    details = health_checks.has_token(request) or bool(user and user.is_staff)
    return health_checks.health_response(request, details=details)


def page_language(request) -> str:
    """The language of the URL (/es/…, /en/…), else of the browser; read
    without the database."""
    language = translation.get_language_from_path(request.path_info)
    return language or translation.get_language_from_request(request)


def server_error(request):
    """handler500. A database (or shared cache) that does not answer gives
    the 503 page, which says so and asks to try again; any other error the
    500 page with the request id to quote. Both are rendered with no context
    processor, so neither touches the database."""
    error = sys.exc_info()[1]
    context = {"request_id": current_request_id(), "language": page_language(request)}
    if isinstance(error, UNAVAILABLE_ERRORS):
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html", context))
