"""Private calendar feeds and the choice of optional e-mails."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from coalicion.meetings.models import CalendarFeed
from coalicion.meetings.selectors import feed_token_hash
from coalicion.notifications.actions import set_preferences


@transaction.atomic
def create_calendar_feed(*, actor) -> str:
    """A new private feed address for `actor`; earlier ones are revoked. The
    token is returned once (to show the address) and only its hash is kept."""
    CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=actor, token_hash=feed_token_hash(token))
    return token


@transaction.atomic
def revoke_calendar_feeds(*, actor) -> int:
    return CalendarFeed.objects.filter(user=actor, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


FEED_USE_RECORDED_EVERY = datetime.timedelta(hours=1)


def record_calendar_feed_use(*, feed: CalendarFeed, now) -> None:
    """When a feed was last read, for its owner's page: at most one write an
    hour, whatever the calendar application's polling."""
    if feed.last_used_at is None or now - feed.last_used_at >= FEED_USE_RECORDED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)


# The optional e-mails of meetings, as the "My calendar" page names them.
OPTIONAL_NOTICES = ("agenda_approved", "minutes_circulated", "agreement_due", "agreement_overdue")


def save_notification_settings(*, actor, **choices: bool) -> None:
    """The person's choice of the optional e-mails of meetings (the
    preferences live in `coalicion.notifications`)."""
    set_preferences(
        actor=actor,
        choices={f"meetings.{name}": choices[name] for name in OPTIONAL_NOTICES if name in choices},
    )
