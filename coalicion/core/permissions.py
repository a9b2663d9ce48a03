"""Permission checks for views and downloads: one helper, used everywhere."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def check_perm(request, perm: str, obj=None) -> None:
    """Raise PermissionDenied unless the user has `perm` (on `obj`).

    The 403 handler writes the denial to the audit log.
    """
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(perm)


def permission_required(perm: str):
    """A view decorator: anonymous visitors are sent to sign in, signed-in
    users without the permission get a 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            check_perm(request, perm)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
