"""The countries' updated situation reports (informes de país)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from coalicion.core.actions import check_version
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
    check_meeting(event)
    check_not_cancelled(event)
    check_records_open(event)
    if not summary.strip():
        raise ValidationError({"summary": _("Write the summary of the report.")})
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
