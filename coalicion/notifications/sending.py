"""Sending the outbox: each e-mail built in its recipient's language when it
goes, claimed by one sender at a time, retried by the next run when the mail
server fails, given up after MAX_ATTEMPTS (visible in the administration)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone, translation

from coalicion.notifications import kinds
from coalicion.notifications.models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
CLAIM_EXPIRES = datetime.timedelta(hours=1)


def message_for(notification: Notification) -> EmailMessage | None:
    """The e-mail of a queued notification, in its recipient's language;
    None when what it was about no longer exists."""
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    if notification.subject or notification.body:
        built = kinds.Message(subject=notification.subject, body=notification.body)
    else:
        kind = kinds.get(notification.kind)
        with translation.override(notification.language):
            built = kind.build(notification)
    if built is None:
        return None
    # A title with a line break would make the header invalid.
    subject = " ".join(str(built.subject).split())
    message = EmailMessage(
        subject=subject if subject.startswith(prefix) else prefix + subject,
        body=built.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.email],
    )
    for name, content, content_type in built.attachments:
        message.attach(name, content, content_type)
    return message


def _claim(notification: Notification, now) -> bool:
    """Take the row for this sender; False if another sender has it."""
    return bool(
        Notification.objects.filter(pk=notification.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_EXPIRES))
        .update(claimed_at=now)
    )


def send_pending(*, ids=None, limit: int = 500) -> tuple[int, int]:
    """Send unsent notifications (those of `ids`, or all); (sent, failed)."""
    pending = Notification.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    pending = pending.select_related("user", "person").order_by("pk")[:limit]
    sent = failed = 0
    for notification in pending:
        if not _claim(notification, timezone.now()):
            continue
        try:
            message = message_for(notification)
            if message is not None:
                message.send()
        except Exception as error:  # a mail failure must not stop the others
            failed += 1
            Notification.objects.filter(pk=notification.pk).update(
                attempts=F("attempts") + 1, last_error=str(error)[:300], claimed_at=None
            )
            logger.warning("E-mail %s (%s) not sent: %s", notification.pk, notification.kind, error)
        else:
            sent += message is not None
            # A one-time link is not kept once it is sent.
            Notification.objects.filter(pk=notification.pk).update(
                attempts=F("attempts") + 1,
                sent_at=timezone.now(),
                last_error="",
                subject="",
                body="",
            )
    return sent, failed


def run_daily(*, today: datetime.date | None = None) -> dict[str, int]:
    """Every app's daily producer (reminders), each queueing what is due."""
    today = today or timezone.localdate()
    return {name: producer(today) for name, producer in kinds.daily_producers().items()}
