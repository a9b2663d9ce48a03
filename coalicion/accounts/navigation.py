"""Accounts' entry in the signed-in person's menu (`coalicion.core.navigation`)."""

from django.utils.translation import gettext_lazy as _

from coalicion.core.navigation import add_entry

add_entry(
    "account",
    key="users",
    order=10,
    label=_("Users"),
    url_name="accounts:users",
    shown_to="is_secretariat",
)
