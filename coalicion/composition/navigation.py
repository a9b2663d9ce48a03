""" "My work" and the administration's entries in the signed-in person's menu
(`coalicion.core.navigation`): the admin site is the composition's."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_entry

add_entry(
    "account",
    key="administration",
    order=30,
    label=_("Administration"),
    url_name="admin:index",
    shown_to="is_secretariat",
)

add_entry(
    "account",
    key="my_work",
    order=5,
    label=_("My work"),
    url_name="my_work",
    shown_to="is_internal",
)
