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
