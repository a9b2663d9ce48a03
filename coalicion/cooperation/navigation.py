"""Cooperation's entry in the site's menu, its sub-navigation and its
stylesheet (`coalicion.core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_area, add_entry, entry

add_entry(
    "main",
    key="cooperation",
    order=105,
    label=_("Cooperation"),
    url_name="cooperation:instruments",
    shown_to="is_internal",
)
add_area(
    "cooperation",
    label=_("Cooperation"),
    shown_to="is_internal",
    entries=[
        entry("instruments", order=10, label=_("Instruments"), url_name="cooperation:instruments"),
        entry("practices", order=20, label=_("Good practices"), url_name="cooperation:practices"),
        entry("actors", order=30, label=_("Actors and alliances"), url_name="cooperation:actors"),
        entry(
            "resources",
            order=40,
            label=_("Resource mobilisation"),
            url_name="cooperation:resources",
            shown_to="is_member",
        ),
    ],
    stylesheets=["css/cooperation.css"],
)
