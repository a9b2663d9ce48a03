from coalicion.audit import context
from coalicion.audit.actions import client_ip


class RequestContextMiddleware:
    """Keeps the request's address, browser and path for `record_event`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.enter(
            context.RequestContext(
                ip_address=client_ip(request),
                user_agent=request.headers.get("user-agent", "")[:300],
                path=request.get_full_path()[:500],
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.leave(token)
