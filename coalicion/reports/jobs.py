"""Background jobs of the reports app (django-tasks, as statistics)."""

from django_tasks import task

from coalicion.reports import actions


@task()
def generate_report(report_id: int) -> None:
    """Generate a queued report (a few seconds: charts, PDF and XLSX)."""
    actions.generate(report_id=report_id)
