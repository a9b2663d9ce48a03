"""Every write of monitoring: atomic, audited by django-simple-history, with
optimistic locking on reports and indicator values (the second of two
concurrent saves is refused instead of silently overwriting the first)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coalicion.audit.actions import record_event
from coalicion.audit.models import AuditEvent
from coalicion.core.actions import StaleEdit, check_version
from coalicion.core.uploads import store_upload
from coalicion.monitoring.models import (
    Evidence,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    quarters_of,
)
from coalicion.plans.models import Activity, OperatingPlan

DUE_AFTER_PERIOD = datetime.timedelta(days=15)


def _check_period_open(period: ReportingPeriod) -> None:
    if period.is_closed:
        raise ValidationError(
            _("The period %(period)s is closed: its reports can no longer change.")
            % {"period": period}
        )


# --- Reporting periods -----------------------------------------------------


@transaction.atomic
def create_quarterly_periods(*, operating_plan: OperatingPlan) -> list[ReportingPeriod]:
    """The four quarters of the POA's year, with reports due 15 days after each."""
    periods = []
    for number, start, end in quarters_of(operating_plan.year):
        period, _created = ReportingPeriod.objects.get_or_create(
            operating_plan=operating_plan,
            number=number,
            defaults={"start": start, "end": end, "due": end + DUE_AFTER_PERIOD},
        )
        periods.append(period)
    return periods


@transaction.atomic
def close_period(*, actor, period: ReportingPeriod) -> None:
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        return
    period.closed_at = timezone.now()
    period.save(update_fields=["closed_at"])


@transaction.atomic
def reopen_period(*, actor, period: ReportingPeriod, reason: str) -> None:
    """Reopening is exceptional: it needs a reason, which the history keeps."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the period is reopened.")})
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    period.closed_at = None
    period._change_reason = reason.strip()[:100]
    period.save(update_fields=["closed_at"])
    record_event(
        action=AuditEvent.Action.PERIOD_REOPENED,
        actor=actor,
        target=str(period),
        detail={"reason": reason.strip()[:500]},
    )


# --- Progress reports --------------------------------------------------------


@transaction.atomic
def save_report(
    *,
    user,
    activity: Activity,
    period: ReportingPeriod,
    percent: Decimal,
    narrative: str,
    version: int | None = None,
    submit: bool = False,
) -> ProgressReport:
    """Save a draft (or submit it). A returned report can be corrected and
    submitted again; submitted and validated reports cannot change."""
    _check_period_open(period)
    if period.operating_plan_id != activity.objective.operating_plan_id:
        raise ValidationError(_("This period belongs to another POA."))
    if not Decimal(0) <= percent <= Decimal(100):
        raise ValidationError({"percent": _("The percentage must be between 0 and 100.")})
    report = (
        ProgressReport.objects.select_for_update(of=("self",))
        .filter(activity=activity, period=period)
        .order_by("pk")
        .first()
    )
    if report is None:
        if version not in (None, 0):
            raise StaleEdit(_("This report was deleted while you were editing it."))
        report = ProgressReport(activity=activity, period=period, version=0)
    _prepare_edit(report, user=user, version=version, submit=submit, what=_("report"))
    report.percent = percent
    report.narrative = narrative
    report.full_clean()
    report.save()
    return report


def _review(item, *, user, validate: bool, comment: str, version: int | None, what: str):
    """Validate a submitted item, or return it with a comment (required)."""
    check_version(item, version)
    if item.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("Only a submitted %(what)s can be validated or returned.") % {"what": what}
        )
    if not validate and not comment.strip():
        raise ValidationError({"comment": _("Say what must be corrected.")})
    item.status = ReportStatus.VALIDATED if validate else ReportStatus.RETURNED
    item.review_comment = comment.strip()
    item.reviewed_by = user
    item.reviewed_at = timezone.now()
    item.version += 1
    item.save()
    return item


def _prepare_edit(item, *, user, version: int | None, submit: bool, what: str) -> None:
    """Check that a draft or returned item may change, then count the edit."""
    if item.pk is not None:
        check_version(item, version)
        if item.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
            raise ValidationError(
                _("This %(what)s was already %(status)s and can no longer change.")
                % {"what": what, "status": item.get_status_display().lower()}
            )
    item.version += 1
    if submit:
        item.status = ReportStatus.SUBMITTED
        item.submitted_by = user
        item.submitted_at = timezone.now()


@transaction.atomic
def review_report(
    *, user, report: ProgressReport, validate: bool, comment: str = "", version: int | None = None
) -> ProgressReport:
    """The Secretariat validates a submitted report, or returns it with a comment."""
    report = ProgressReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    _check_period_open(report.period)
    return _review(
        report, user=user, validate=validate, comment=comment, version=version, what=_("report")
    )


# --- Indicator values ----------------------------------------------------------


@transaction.atomic
def save_indicator_value(
    *,
    user,
    indicator,
    year: int,
    country=None,
    value: Decimal | None = None,
    stage=None,
    narrative: str = "",
    version: int | None = None,
    submit: bool = False,
) -> IndicatorValue:
    if indicator.source != indicator.Source.MANUAL:
        raise ValidationError(_("This indicator is computed from records; it takes no values."))
    if country is not None and not indicator.disaggregated_by_country:
        raise ValidationError({"country": _("This indicator is not disaggregated by country.")})
    # No ordering: the default one joins the nullable country, which
    # PostgreSQL cannot lock.
    item = (
        IndicatorValue.objects.select_for_update(of=("self",))
        .filter(indicator=indicator, year=year, country=country)
        .order_by("pk")
        .first()
    )
    if item is None:
        item = IndicatorValue(indicator=indicator, year=year, country=country, version=0)
    _prepare_edit(item, user=user, version=version, submit=submit, what=_("value"))
    item.value = value
    item.stage = stage
    item.narrative = narrative
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def review_indicator_value(
    *, user, item: IndicatorValue, validate: bool, comment: str = "", version: int | None = None
) -> IndicatorValue:
    item = IndicatorValue.objects.select_for_update().get(pk=item.pk)
    return _review(
        item, user=user, validate=validate, comment=comment, version=version, what=_("value")
    )


# --- Evidence ------------------------------------------------------------------


@transaction.atomic
def attach_evidence(*, user, uploaded, content_type: str, report=None, indicator_value=None):
    """Store an already-checked upload (see `coalicion.core.uploads`)."""
    evidence = Evidence(report=report, indicator_value=indicator_value, content_type=content_type)
    store_upload(evidence, uploaded, user=user)
    evidence.save()
    return evidence
