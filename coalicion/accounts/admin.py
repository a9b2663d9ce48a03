from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from coalicion.accounts.models import User
from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()

    def get_fieldsets(self, request, obj=None):
        """A password is never set for somebody else below a technical
        superuser: the user chooses it through the e-mail flow."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    def has_change_permission(self, request, obj=None):
        """A superuser's account holds rights no other role holds: only a
        superuser changes it."""
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """Rights come from the governance records: only a technical
        superuser may make another one."""
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "is_staff", "last_login", "date_joined"]
        return readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        record_event(
            action=AuditEvent.Action.USER_CHANGED,
            actor=request.user,
            target=obj.email,
            detail={"fields": sorted(form.changed_data)},
        )

    def user_change_password(self, request, id, form_url=""):
        """Only a technical superuser sets a password in the administration;
        everybody else's goes through the e-mail flow (users page: "Send an
        e-mail to choose a new password")."""
        if not request.user.is_superuser:
            raise PermissionDenied("accounts.change_password")
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = self.get_object(request, id)
            record_event(
                action=AuditEvent.Action.PASSWORD_CHANGED,
                actor=request.user,
                target=user.email if user else id,
                detail={"by": "administration"},
            )
        return response


class AuthenticatorAdmin(admin.ModelAdmin):
    """Second factors, without their secrets: listed for the Secretariat;
    only a technical superuser may remove one (for a user who lost their
    device and their recovery codes), never read or change it."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type"]
    search_fields = ["user__email"]
    fields = ["user", "type", "created_at", "last_used_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


admin.site.unregister(Authenticator)
admin.site.register(Authenticator, AuthenticatorAdmin)


admin.site.unregister(Group)
