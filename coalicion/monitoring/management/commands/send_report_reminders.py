from django.core.management.base import BaseCommand, CommandError

from coalicion.monitoring.models import ReportingPeriod
from coalicion.monitoring.notices import item_label, send_report_reminders
from coalicion.notifications.sending import send_pending


class Command(BaseCommand):
    help = (
        "E-mail reminders for every open reporting period whose end has passed: each "
        "responsible person gets the activities without a submitted report, the Secretariat "
        "a summary. Each e-mail goes at most once a day. The daily `send_notifications` runs "
        "them too; this command runs them alone, or for one period, or as a dry run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", type=int, help="only this reporting period (its id)")
        parser.add_argument(
            "--dry-run", action="store_true", help="show who would be reminded; send nothing"
        )

    def handle(self, *args, period=None, dry_run=False, **options):
        chosen = None
        if period is not None:
            chosen = (
                ReportingPeriod.objects.select_related("operating_plan").filter(pk=period).first()
            )
            if chosen is None:
                raise CommandError(f"There is no reporting period with id {period}.")
        run = send_report_reminders(period=chosen, dry_run=dry_run)
        if not dry_run:
            send_pending()  # now, rather than waiting for the job worker
        if not run.periods:
            if chosen is not None:
                state = "closed" if chosen.is_closed else "not ended yet"
                self.stdout.write(f"Period {chosen} is {state}: nobody to remind.")
            else:
                self.stdout.write("No open period has ended: nobody to remind.")
            return
        for reminder in run.reminders:
            what = "summary" if reminder.summary else "reminder"
            codes = ", ".join(item_label(item) for item in reminder.items)
            if reminder.already_sent:
                verb = "already sent today"
            elif dry_run:
                verb = "would send"
            else:
                verb = "sent"
            self.stdout.write(
                f"{reminder.period}: {verb} {what} ({reminder.language}) to "
                f"{reminder.name} <{reminder.email}>: {codes}"
            )
        for name in sorted(set(run.without_address)):
            self.stdout.write(self.style.WARNING(f"No e-mail address, not reminded: {name}"))
        if dry_run:
            self.stdout.write(f"Dry run: {len(run.reminders)} e-mails would be sent; none was.")
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(run.sent)} e-mails sent."))
