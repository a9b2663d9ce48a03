"""Date boundaries in the site's time zone."""

import datetime

from django.utils import timezone


def end_of(day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the site's time zone: what happened
    on or before `day` happened before it (compare with `__lt`)."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
