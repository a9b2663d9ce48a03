from django.contrib import admin

from coalicion.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, to see what was sent and what failed; read-only."""

    list_display = ["created_at", "kind", "email", "language", "sent_at", "attempts", "last_error"]
    list_filter = ["kind", "language"]
    search_fields = ["email", "key"]
    exclude = ["subject", "body"]  # a one-time link is nobody's to read

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
