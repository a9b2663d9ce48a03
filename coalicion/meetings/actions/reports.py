"""The countries' updated situation reports (informes de país)."""

from django.utils.translation import gettext as _

from coalicion.core.actions import Problems, check_version
from coalicion.core.uploads import atomic_with_files
from coalicion.meetings.actions.common import (
    attach_files,
    check_meeting,
    check_not_cancelled,
    check_records_open,
)
from coalicion.meetings.models import (
    CountryReport,
    Event,
)
from coalicion.membership.models import Country


def check_country_report(event: Event, fields: dict) -> None:
    """Every reason `save_country_report` refuses a report on its data,
    raised together: not a meeting, cancelled, frozen records, no summary.
    The report form runs it beside its own rules; a missing `summary`
    failed there and is not checked again."""
    problems = Problems()
    problems.run(check_meeting, event)
    problems.run(check_not_cancelled, event)
    problems.run(check_records_open, event)
    if "summary" in fields and not fields["summary"].strip():
        problems.add("summary", _("Write the summary of the report."))
    problems.raise_all()


@atomic_with_files
def save_country_report(
    *,
    actor,
    event: Event,
    country: Country,
    summary: str,
    legal_changes: str = "",
    cases: str = "",
    actions: str = "",
    version: int | None = None,
    uploads=(),
) -> CountryReport:
    """A country's report for a meeting, with its files (`uploads`: (file,
    content type) pairs already checked), saved together. `version` is the
    report's version the form was opened on (0 for a new one)."""
    check_country_report(event, {"summary": summary})
    report = CountryReport.objects.select_for_update().filter(event=event, country=country).first()
    if report is None:
        report = CountryReport(event=event, country=country, submitted_by=actor)
    else:
        check_version(report, version)
        report.version += 1
        report.submitted_by = actor
    report.summary = summary
    report.legal_changes = legal_changes
    report.cases = cases
    report.actions = actions
    report.save()
    attach_files(actor=actor, uploads=uploads, country_report=report)
    return report
