"""Make the protected releases of every measure and year with data, e.g.
after STATISTICS_THRESHOLD or STATISTICS_PROTECTION_LEVEL changed.

    python manage.py protect_statistics [--force]
"""

from django.core.management.base import BaseCommand

from coalicion.statistics import actions


class Command(BaseCommand):
    help = "Recompute the protected statistics (only what changed, unless --force)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force=False, **options):
        for release in actions.protect_all(force=force):
            self.stdout.write(
                f"{release.measure} {release.year}: {release.cells.count()} cells, "
                f"{release.solves} linear programmes, {release.seconds:.1f} s"
            )
