"""The health check for load balancers (ADR 0060).

Three checks: the database answers a query, the cache stores and returns a
value, and the job queue's table (django-tasks' database backend) can be
read. All pass: 200 "ok"; one fails: 503 "unavailable". Which one failed is
told only to staff and to a caller sending HEALTH_CHECK_TOKEN in the
X-Health-Token header; the reason itself (an exception's text may hold
addresses) goes to the log, never to the response.
"""

import hmac
import json
import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

logger = logging.getLogger("coalicion.health")

TOKEN_HEADER = "X-Health-Token"  # noqa: S105  # nosec B105


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> None:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    try:
        if cache.get(key) != "ok":
            raise RuntimeError("the cache did not return the value just stored")
    finally:
        cache.delete(key)


def check_job_queue() -> None:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend != "django_tasks_db.DatabaseBackend":
        return  # jobs run in the calling process: no queue to reach
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.values("pk")[:1].exists()


def run_checks() -> dict[str, bool]:
    checks = {"database": check_database, "cache": check_cache, "jobs": check_job_queue}
    results = {}
    for name, check in checks.items():
        try:
            check()
        except Exception:
            logger.exception("Health check failed: %s", name)
            results[name] = False
        else:
            results[name] = True
    return results


def has_token(request) -> bool:
    token = settings.HEALTH_CHECK_TOKEN
    sent = request.headers.get(TOKEN_HEADER, "")
    return bool(token) and hmac.compare_digest(sent.encode(), token.encode())


def health_response(request, *, details: bool) -> HttpResponse:
    results = run_checks()
    healthy = all(results.values())
    status = 200 if healthy else 503
    if details:
        body = json.dumps(
            {"status": "ok" if healthy else "unavailable", "checks": results}, sort_keys=True
        )
        response = HttpResponse(body, status=status, content_type="application/json")
    else:
        response = HttpResponse(
            "ok" if healthy else "unavailable", status=status, content_type="text/plain"
        )
    response["Cache-Control"] = "no-store"
    return response
