"""Writing to the audit log."""

from allauth.core.internal.httpkit import get_client_ip
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured

from coalicion.audit import context
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
    actor=None,
    email: str = "",
    target: object = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Append an event; the address, browser and path come from the request
    being served, if any (`coalicion.audit.context`)."""
    if isinstance(actor, AnonymousUser):
        actor = None
    where = context.current()
    return AuditEvent.objects.create(
        action=action,
        user=actor,
        user_email=(actor.email if actor is not None else email)[:254],
        ip_address=where.ip_address if where else None,
        user_agent=where.user_agent if where else "",
        path=where.path if where else "",
        target=str(target)[:300],
        detail=detail or {},
    )
