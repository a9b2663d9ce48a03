import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from coalicion.notifications.sending import run_daily, send_pending


class Command(BaseCommand):
    help = (
        "Daily e-mail: queues what every app reminds of that day (agreements due and overdue, "
        "progress reports missing), each once, then sends every e-mail still unsent "
        "(including those a mail server refused before). Run it daily (cron, systemd timer); "
        "running it twice sends nothing twice."
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
            queued = run_daily(today=day)
        sent, failed = send_pending()
        detail = ", ".join(f"{name}: {count}" for name, count in sorted(queued.items()))
        self.stdout.write(f"Reminders queued: {sum(queued.values())} ({detail}). "
                          f"Sent: {sent}. Failed: {failed}.")  # fmt: skip
        if failed:
            self.stderr.write(
                "Some e-mails failed; they are retried on the next run (see the outbox in the "
                "administration for the error)."
            )
