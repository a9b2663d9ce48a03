"""Background jobs of the reports app (django-tasks, as statistics)."""

from coalicion.core.jobs import retried_task
from coalicion.reports import actions

ATTEMPTS = 3


def _retrying(report_id: int, *, error: Exception, attempt: int, attempts: int) -> None:
    actions.record_retry(report_id=report_id, attempt=attempt, attempts=attempts)


def _gave_up(report_id: int, *, error: Exception) -> None:
    actions.record_failure(report_id=report_id, error=error)


@retried_task(attempts=ATTEMPTS, retrying=_retrying, gave_up=_gave_up)
def generate_report(report_id: int) -> None:
    """Generate a queued report (a few seconds: charts, PDF and XLSX); a
    failure is tried again (ADR 0066), then shown on the report's page."""
    actions.generate(report_id=report_id)
