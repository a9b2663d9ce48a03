from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "coalicion.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from coalicion.notifications import kinds

        kinds.discover()
