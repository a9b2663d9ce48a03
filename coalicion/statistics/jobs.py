"""Background jobs of the statistics module (django-tasks, ADR 0010)."""

from django_tasks import task

from coalicion.statistics import actions


@task()
def import_upload(upload_id: int) -> None:
    """Check and save an uploaded file (large files take minutes)."""
    actions.run_import(upload_id=upload_id)


@task()
def protect_measure_year(measure: str, year: int) -> None:
    """Make the protected release of a measure and year after its data changed."""
    actions.protect_statistics(measure=measure, year=year)
