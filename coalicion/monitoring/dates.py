"""The "as of" date of every monitoring page: what was known on that day."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext


def parse_as_of(raw: str | None) -> tuple[datetime.date, str | None]:
    """The date asked about (default and upper bound: today), and the message
    explaining why a bad value was replaced."""
    today = timezone.localdate()
    raw = (raw or "").strip()
    if not raw:
        return today, None
    try:
        as_of = datetime.date.fromisoformat(raw)
    except ValueError:
        return today, gettext(
            "“%(value)s” is not a date: write it as YYYY-MM-DD, e.g. 2019-12-31. "
            "Showing what is known today."
        ) % {"value": raw}
    if as_of > today:
        return today, gettext("%(value)s is in the future: showing what is known today.") % {
            "value": raw
        }
    return as_of, None
