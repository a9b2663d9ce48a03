"""Background jobs of notifications (django-tasks, ADR 0010)."""

from django_tasks import task

from coalicion.notifications.sending import send_pending


@task()
def send_notifications(*, ids: list[int]) -> dict:
    """Send the e-mails an action queued, once it committed."""
    sent, failed = send_pending(ids=ids)
    return {"sent": sent, "failed": failed}
