"""Writing to the audit log."""

from allauth.core.internal.httpkit import get_client_ip
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from coalicion.audit.models import AuditEvent


def client_ip(request) -> str | None:
    """The client's address, as allauth's rate limits see it: behind
    TRUSTED_PROXY_COUNT proxies it comes from X-Forwarded-For."""
    try:
        return get_client_ip(request)
    except ImproperlyConfigured:
        return request.META.get("REMOTE_ADDR") or None


def record_event(
    *,
    action: str,
    request=None,
    user=None,
    email: str = "",
    target: object = "",
    detail: dict | None = None,
) -> AuditEvent:
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if isinstance(user, AnonymousUser):
        user = None
    return AuditEvent.objects.create(
        action=action,
        user=user,
        user_email=(user.email if user is not None else email)[:254],
        ip_address=client_ip(request) if request is not None else None,
        user_agent=(request.headers.get("user-agent", "") if request is not None else "")[:300],
        path=(request.get_full_path() if request is not None else "")[:500],
        target=str(target)[:300],
        detail=detail or {},
    )
