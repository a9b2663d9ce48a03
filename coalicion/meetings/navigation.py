"""Meetings' entries in the site's menu and the stylesheet of its pages
(`coalicion.core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_area, add_entry

add_entry(
    "main",
    key="meetings",
    order=90,
    label=_("Meetings"),
    url_name="meetings:calendar",
    shown_to="is_internal",
)
add_entry(
    "main",
    key="agreements",
    order=100,
    label=_("Agreements"),
    url_name="meetings:agreements",
    shown_to="is_internal",
)
add_area("meetings", stylesheets=["css/meetings.css"])
