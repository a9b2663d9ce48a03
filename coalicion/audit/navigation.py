"""The audit log's entry in the signed-in person's menu (`coalicion.core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_entry

add_entry(
    "account",
    key="audit_log",
    order=20,
    label=_("Audit log"),
    url_name="audit:log",
    shown_to="is_secretariat",
)
