"""Monitoring's entry in the site's menu and the sub-navigation of its pages
(`coalicion.core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_area, add_entry, entry

add_entry(
    "main",
    key="monitoring",
    order=80,
    label=_("Monitoring"),
    url_name="monitoring:dashboard",
    shown_to="is_internal",
)
add_area(
    "monitoring",
    label=_("Monitoring"),
    shown_to="is_internal",
    entries=[
        entry("dashboard", order=10, label=_("Dashboard"), url_name="monitoring:dashboard"),
        entry("matrix", order=20, label=_("Monitoring matrix"), url_name="monitoring:matrix"),
        entry(
            "completeness", order=30, label=_("Completeness"), url_name="monitoring:completeness"
        ),
        entry(
            "my_reports",
            order=40,
            label=_("My reports"),
            url_name="monitoring:my_reports",
            shown_to="is_member",
        ),
        entry(
            "review_queue",
            order=50,
            label=_("Reports to review"),
            url_name="monitoring:review_queue",
            shown_to="is_secretariat",
        ),
        entry(
            "value_review_queue",
            order=60,
            label=_("Indicator values to review"),
            url_name="monitoring:value_review_queue",
            shown_to="is_secretariat",
        ),
        entry(
            "periods",
            order=70,
            label=_("Periods"),
            url_name="monitoring:periods",
            shown_to="is_secretariat",
        ),
    ],
)
