from functools import update_wrapper

from django.contrib.admin import AdminSite
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse


class CoalicionAdminSite(AdminSite):
    """The administration belongs to the Technical Secretariat, derived from
    the terms of office (`is_staff` is not used). Sign-in goes through
    allauth, with its rate limits and MFA."""

    site_header = "Coalición"
    site_title = "Coalición"

    def has_permission(self, request):
        from coalicion.membership.roles import roles_of

        return request.user.is_active and roles_of(request.user).is_secretariat

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def gate(request, *args, **kwargs):
            if not self.has_permission(request):
                return self.login(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(gate, inner)

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            raise PermissionDenied("admin")
        return redirect_to_login(request.get_full_path(), reverse("account_login"))
