"""Writes of the reports app: asking for a report and generating it.

The archive entry is itself the record of who asked for what and when
(`IssuedReport.requested_by`, `requested_at`, the parameters and the
SHA-256 of the files); each download is written to the audit log
(`audit.downloads.protected_download`)."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coalicion.core.actions import Problems
from coalicion.plans.models import Plan
from coalicion.reports import generation
from coalicion.reports.assembly import Period
from coalicion.reports.models import IssuedReport, sha256

logger = logging.getLogger(__name__)
LANGUAGES = ("es", "en")


def check_request(
    *,
    as_of: datetime.date | None,
    language: str | None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    needs_term: bool = False,
) -> None:
    """Every reason `request_report` refuses a request, raised together: a
    language other than Spanish or English, data as of a future date, a
    period that ends before it starts, a term report without its term. The
    request forms run it beside their own rules; None is a value that
    failed there, and the rule that needs it is skipped."""
    problems = Problems()
    if language is not None and language not in LANGUAGES:
        problems.add("language", _("Choose Spanish or English."))
    if as_of is not None and as_of > timezone.localdate():
        problems.add("as_of", _("The data cannot be of a date in the future."))
    if start is not None and end is not None and end < start:
        problems.add("end", _("The period ends before it starts."))
    if needs_term:
        problems.add("term", _("Choose the term of the Presidency or the Secretariat."))
    problems.raise_all()


def request_report(
    *,
    actor,
    plan: Plan,
    period: Period,
    as_of: datetime.date,
    language: str,
    open_to_observers: bool = False,
    parameters: dict | None = None,
    kind: str = IssuedReport.Kind.ACCOUNTABILITY,
) -> IssuedReport:
    """Queue the accountability report of `period` (or, with kind "term",
    the end-of-term report of `period.term`, a Presidency or Secretariat
    term) as known on `as_of`; the job `jobs.generate_report` makes it once
    the request is committed."""
    check_request(
        as_of=as_of,
        language=language,
        start=period.start,
        end=period.end,
        needs_term=kind == IssuedReport.Kind.TERM and period.term is None,
    )
    with transaction.atomic():
        report = IssuedReport.objects.create(
            kind=kind,
            plan=plan,
            term=period.term,
            start=period.start,
            end=period.end,
            as_of=as_of,
            language=language,
            open_to_observers=open_to_observers,
            parameters=parameters or {},
            requested_by=actor,
        )
        from coalicion.reports.jobs import generate_report

        transaction.on_commit(lambda: generate_report.enqueue(report.pk))
    return report


def _step(report: IssuedReport, text: str) -> None:
    IssuedReport.objects.filter(pk=report.pk).update(step=text[:200])


def generate(*, report_id: int) -> IssuedReport:
    """Make the files of a queued report and keep them with their SHA-256.
    A failure is raised: the job (`jobs.generate_report`) tries again, and
    after its last try :func:`record_failure` tells the report's page."""
    report = IssuedReport.objects.select_related("plan", "term").get(pk=report_id)
    if report.is_finished:
        return report
    IssuedReport.objects.filter(pk=report.pk).update(status=IssuedReport.Status.RUNNING)
    period = Period(start=report.start, end=report.end, term=report.term)
    if report.kind == IssuedReport.Kind.TERM:
        pdf, xlsx, _data = generation.build_term(
            plan=report.plan,
            term=report.term,
            as_of=report.as_of,
            lang=report.language,
            steps=lambda text: _step(report, text),
        )
    else:
        pdf, xlsx, _data = generation.build(
            plan=report.plan,
            period=period,
            as_of=report.as_of,
            lang=report.language,
            steps=lambda text: _step(report, text),
        )
    report.pdf, report.pdf_sha256 = pdf, sha256(pdf)
    report.xlsx, report.xlsx_sha256 = xlsx, sha256(xlsx)
    report.status = IssuedReport.Status.DONE
    report.step = ""
    report.finished_at = timezone.now()
    report.save()
    return report


def record_retry(*, report_id: int, attempt: int, attempts: int) -> None:
    """A try failed and the job will try again: the report's page says so."""
    report = IssuedReport.objects.only("language").get(pk=report_id)
    with translation.override(report.language):
        text = _("The last try did not work; trying again shortly (try %(next)d of %(all)d).") % {
            "next": attempt + 1,
            "all": attempts,
        }
    IssuedReport.objects.filter(pk=report_id).update(
        status=IssuedReport.Status.QUEUED, step=text[:200]
    )


def record_failure(*, report_id: int, error: Exception) -> IssuedReport:
    """After the job's last try: the report is failed. Its page gives a
    reason meant for the person who asked (a refusal's own message, or a
    general one); the internals stay in the log and the job queue."""
    report = IssuedReport.objects.get(pk=report_id)
    logger.error("Report %s could not be generated: %r", report.pk, error)
    if isinstance(error, ValidationError):
        with translation.override(report.language):
            report.error = " ".join(str(message) for message in error.messages)[:2000]
    else:
        report.error = ""  # the page shows a general reason in the reader's language
    report.status = IssuedReport.Status.FAILED
    report.step = ""
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "error", "step", "finished_at"])
    return report
