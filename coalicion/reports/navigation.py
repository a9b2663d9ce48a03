"""Reports' entry in the site's menu (`coalicion.core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_area, add_entry

add_entry(
    "main",
    key="reports",
    order=108,
    label=_("Reports"),
    url_name="reports:archive",
    shown_to="is_internal",
)
add_area("reports", stylesheets=["css/reports.css"])
