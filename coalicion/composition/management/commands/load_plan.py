from django.core.management.base import BaseCommand, CommandError

from coalicion.composition.planfile import load_plan
from coalicion.core.planfile import PlanFileError


class Command(BaseCommand):
    help = (
        "Load a plan data file (docs/plan-format.md). "
        "Safe to run again: unchanged rows stay as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the plan file, e.g. data/coalicion-2018-2027.yaml")

    def handle(self, *args, path, **options):
        try:
            report = load_plan(path=path)
        except PlanFileError as exc:
            raise CommandError(f"The plan was not loaded; nothing was changed.\n{exc}") from None
        plan = report.plan
        self.stdout.write(f"{plan.code}: {plan.name}")
        for label, counter in (("created", report.created), ("updated", report.updated)):
            for what, n in sorted(counter.items()):
                self.stdout.write(f"  {label}: {n} {what}")
        if not report.changed:
            self.stdout.write("  nothing changed: the database already matches the file")
        for item in report.not_in_file:
            self.stdout.write(self.style.WARNING(f"  kept, but no longer in the file: {item}"))
        self.stdout.write(self.style.SUCCESS("Plan loaded."))
