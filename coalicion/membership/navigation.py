"""Membership's entries in the site's menu (`coalicion.core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_entry

add_entry(
    "main", key="countries", order=40, label=_("Member countries"), url_name="membership:countries"
)
add_entry("main", key="organs", order=50, label=_("Organs"), url_name="membership:organs")
add_entry(
    "main",
    key="directory",
    order=110,
    label=_("Directory"),
    url_name="membership:directory",
    shown_to="is_member",
)
