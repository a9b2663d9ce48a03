"""The independent attacker audit of the published statistics, on the live data.

    python manage.py audit_statistics [--measure M] [--year Y]

For every current release: reads what is published (its cells, hidden ones
without their value) and the true counts, and for every hidden cell solves the
attacker's linear programmes (see `coalicion.statistics.disclosure.audit`).
Prints one line per release and every failure; exits with an error if any
hidden small count can be narrowed down.
"""

from django.core.management.base import BaseCommand, CommandError

from coalicion.statistics import actions, disclosure
from coalicion.statistics.codes import CHARACTERISTICS, characteristics_of
from coalicion.statistics.models import Release


class Command(BaseCommand):
    help = "Audit the published statistics: no hidden small count can be worked out."

    def add_arguments(self, parser):
        parser.add_argument("--measure")
        parser.add_argument("--year", type=int)

    def handle(self, *args, measure=None, year=None, **options):
        releases = Release.objects.filter(is_current=True).order_by("measure", "year")
        if measure:
            releases = releases.filter(measure=measure)
        if year:
            releases = releases.filter(year=year)
        failures = 0
        for release in releases:
            report = audit_release(release)
            hidden = len({finding.key for finding in report.findings})
            self.stdout.write(
                f"{release.measure} {release.year}: {hidden} hidden cells, "
                f"{report.solves} linear programmes, {len(report.failures)} failures"
            )
            for finding in report.failures:
                failures += 1
                self.stdout.write(
                    f"  FAIL {finding.key} attacker={finding.attacker or 'outsider'} "
                    f"value={finding.value} interval=[{finding.low:g}, {finding.high:g}]"
                )
        if failures:
            raise CommandError(f"{failures} hidden cells can be narrowed down.")
        self.stdout.write(self.style.SUCCESS("Every hidden cell is protected."))


def audit_release(release: Release) -> disclosure.AuditReport:
    characteristics = characteristics_of(release.measure)
    dimensions = ("country", *characteristics)
    published = {}
    for row in release.cells.values("country", *CHARACTERISTICS, "value"):
        key = (row["country"], *(row[name] for name in characteristics))
        published[key] = row["value"]
    counts = actions.inner_counts(
        measure=release.measure, year=release.year, batches=release.batches.all()
    )
    return disclosure.audit(
        dimensions=dimensions,
        counts=counts,
        published=published,
        rules=disclosure.Rules(release.threshold, release.protection_level),
    )
