"""Views of the meetings module (one module per area; see urls.py)."""

from django.utils.translation import gettext_lazy

# Shown where a form would change what approved minutes record (the actions refuse it).
RECORDS_FROZEN = gettext_lazy(
    "The minutes of this meeting are approved: what they record cannot change."
)
