"""Writes of the reports app: asking for a report and generating it.

The archive entry is itself the record of who asked for what and when
(`IssuedReport.requested_by`, `requested_at`, the parameters and the
SHA-256 of the files); each download is written to the audit log
(`audit.downloads.protected_download`)."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalicion.plans.models import Plan
from coalicion.reports import generation
from coalicion.reports.assembly import Period
from coalicion.reports.models import IssuedReport, sha256

logger = logging.getLogger(__name__)
LANGUAGES = ("es", "en")


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
    if language not in LANGUAGES:
        raise ValidationError({"language": _("Choose Spanish or English.")})
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The data cannot be of a date in the future.")})
    if period.end < period.start:
        raise ValidationError({"end": _("The period ends before it starts.")})
    if kind == IssuedReport.Kind.TERM and period.term is None:
        raise ValidationError({"term": _("Choose the term of the Presidency or the Secretariat.")})
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
    """Make the files of a queued report and keep them with their SHA-256;
    a failure is stored on the report (its page says so), never raised."""
    report = IssuedReport.objects.select_related("plan", "term").get(pk=report_id)
    if report.is_finished:
        return report
    IssuedReport.objects.filter(pk=report.pk).update(status=IssuedReport.Status.RUNNING)
    period = Period(start=report.start, end=report.end, term=report.term)
    try:
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
    except Exception as exc:  # the page shows the failure; the log has the details
        logger.exception("Report %s could not be generated", report.pk)
        report.status = IssuedReport.Status.FAILED
        report.error = str(exc)[:2000]
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
        return report
    report.pdf, report.pdf_sha256 = pdf, sha256(pdf)
    report.xlsx, report.xlsx_sha256 = xlsx, sha256(xlsx)
    report.status = IssuedReport.Status.DONE
    report.step = ""
    report.finished_at = timezone.now()
    report.save()
    return report
