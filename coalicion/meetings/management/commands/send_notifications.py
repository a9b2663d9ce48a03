import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coalicion.meetings import notifications


class Command(BaseCommand):
    help = (
        "Meetings e-mail: adds the reminders of agreements due in 14 days and overdue (each "
        "once per agreement and due date), then sends every notification still unsent "
        "(convocations, agendas approved, minutes circulated, reminders). Run it daily "
        "(cron, systemd timer); running it twice sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="the day to compute reminders for, YYYY-MM-DD (default: today)"
        )

    def handle(self, *args, today=None, **options):
        day = None
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError:
                raise CommandError(
                    f"--today must be a date as YYYY-MM-DD, not {today!r}."
                ) from None
        with transaction.atomic():
            queued = notifications.queue_agreement_reminders(today=day)
        sent, failed = notifications.send_pending()
        self.stdout.write(f"Reminders queued: {queued}. Sent: {sent}. Failed: {failed}.")
        if failed:
            self.stderr.write(
                "Some e-mails failed; they are retried on the next run (see the outbox in the "
                "administration for the error)."
            )
