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
from coalicion.core.actions import Problems, StaleEdit, check_version
from coalicion.core.uploads import atomic_with_files, store_upload
from coalicion.membership.models import Country
from coalicion.monitoring.models import (
    Evidence,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
    quarters_of,
)
from coalicion.plans.models import Activity, OperatingPlan
from coalicion.plans.parties import is_shared, part_country_ids

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


def _check_reportable(activity: Activity, period: ReportingPeriod, country) -> None:
    """A report belongs to an activity of the period's POA that is not
    cancelled; a shared activity is reported by countries' parts, anything
    else as a whole."""
    if period.operating_plan_id != activity.objective.operating_plan_id:
        raise ValidationError(_("This period belongs to another POA."))
    if activity.cancelled or activity.objective.cancelled:
        raise ValidationError(
            _("Activity %(code)s is cancelled: it takes no more reports.") % {"code": activity.code}
        )
    responsibles = list(activity.responsibles.all())
    if is_shared(responsibles):
        if country is None:
            raise ValidationError(
                _(
                    "Activity %(code)s is shared by the member countries: each country "
                    "reports its own part. Choose the country."
                )
                % {"code": activity.code}
            )
        members = Country.objects.members(on=period.end).values_list("pk", flat=True)
        if country.pk not in part_country_ids(responsibles, members=members):
            raise ValidationError(
                _("%(country)s has no part in activity %(code)s in %(period)s.")
                % {"country": country, "code": activity.code, "period": period}
            )
    elif country is not None:
        raise ValidationError(
            _("Activity %(code)s is not shared by countries: it is reported as a whole.")
            % {"code": activity.code}
        )


def check_report(
    *, activity: Activity, period: ReportingPeriod, country, percent: Decimal | None
) -> None:
    """Every reason `save_report` refuses a report on its data, raised
    together: a closed period, an activity that takes no report (another
    POA, cancelled, a shared one without its country's part…), a percent
    outside 0–100. The report form runs it beside its own rules; a
    `percent` of None failed there and is not checked again."""
    problems = Problems()
    problems.run(_check_period_open, period)
    problems.run(_check_reportable, activity, period, country)
    if percent is not None and not Decimal(0) <= percent <= Decimal(100):
        problems.add("percent", _("The percentage must be between 0 and 100."))
    problems.raise_all()


@atomic_with_files
def save_report(
    *,
    actor,
    activity: Activity,
    period: ReportingPeriod,
    percent: Decimal,
    narrative: str,
    country=None,
    version: int | None = None,
    submit: bool = False,
    evidence: list | None = None,
) -> ProgressReport:
    """Save a draft (or submit it) of the report on an activity for a period
    — for a shared activity, of `country`'s part — with its new evidence
    files (already checked by `core.uploads`), all or nothing. A returned
    report can be corrected and submitted again; submitted and validated
    reports cannot change."""
    check_report(activity=activity, period=period, country=country, percent=percent)
    report = (
        ProgressReport.objects.select_for_update(of=("self",))
        .filter(activity=activity, period=period, country=country)
        .order_by("pk")
        .first()
    )
    if report is None:
        if version not in (None, 0):
            raise StaleEdit(_("This report was deleted while you were editing it."))
        report = ProgressReport(activity=activity, period=period, country=country, version=0)
    _prepare_edit(report, user=actor, version=version, submit=submit, what=_("report"))
    report.percent = percent
    report.narrative = narrative
    report.full_clean()
    report.save()
    for uploaded, content_type in evidence or []:
        attach_evidence(actor=actor, uploaded=uploaded, content_type=content_type, report=report)
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


def _check_editable(item, what: str) -> None:
    """A saved draft or returned item may change; a submitted or validated one not."""
    if item.pk is not None and item.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError(
            _("This %(what)s was already %(status)s and can no longer change.")
            % {"what": what, "status": item.get_status_display().lower()}
        )


def _prepare_edit(item, *, user, version: int | None, submit: bool, what: str) -> None:
    """Check that a draft or returned item may change, then count the edit."""
    if item.pk is not None:
        check_version(item, version)
        _check_editable(item, what)
    item.version += 1
    if submit:
        item.status = ReportStatus.SUBMITTED
        item.submitted_by = user
        item.submitted_at = timezone.now()


@transaction.atomic
def review_report(
    *, actor, report: ProgressReport, validate: bool, comment: str = "", version: int | None = None
) -> ProgressReport:
    """The Secretariat validates a submitted report, or returns it with a comment."""
    report = ProgressReport.objects.select_for_update().select_related("period").get(pk=report.pk)
    _check_period_open(report.period)
    return _review(
        report, user=actor, validate=validate, comment=comment, version=version, what=_("report")
    )


# --- Indicator values ----------------------------------------------------------


def _saved_value(indicator, year: int, country) -> IndicatorValue | None:
    # No ordering: the default one joins the nullable country, which
    # PostgreSQL cannot lock.
    return (
        IndicatorValue.objects.filter(indicator=indicator, year=year, country=country)
        .order_by("pk")
        .first()
    )


def check_indicator_value(*, indicator, fields: dict) -> None:
    """Every reason `save_indicator_value` refuses a value on its data,
    raised together: an indicator computed from records, a country for an
    indicator not disaggregated by country, a value of that year (and
    country) already submitted or validated. The value form runs it with
    the values that passed its own rules; a rule whose value is missing
    from `fields` is skipped."""
    problems = Problems()
    if indicator.source != indicator.Source.MANUAL:
        problems.add(None, _("This indicator is computed from records; it takes no values."))
    country = fields.get("country")
    if country is not None and not indicator.disaggregated_by_country:
        problems.add("country", _("This indicator is not disaggregated by country."))
    if "year" in fields and "country" in fields and not problems.found:
        saved = _saved_value(indicator, fields["year"], country)
        if saved is not None:
            problems.run(_check_editable, saved, _("value"))
    problems.raise_all()


@atomic_with_files
def save_indicator_value(
    *,
    actor,
    indicator,
    year: int,
    country=None,
    value: Decimal | None = None,
    stage=None,
    narrative: str = "",
    version: int | None = None,
    submit: bool = False,
    evidence: list | None = None,
) -> IndicatorValue:
    """Save a draft (or submit) a value of a manual indicator with its new
    evidence files, all or nothing."""
    check_indicator_value(indicator=indicator, fields={"country": country})
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
    _prepare_edit(item, user=actor, version=version, submit=submit, what=_("value"))
    item.value = value
    item.stage = stage
    item.narrative = narrative
    item.full_clean()
    item.save()
    for uploaded, content_type in evidence or []:
        attach_evidence(
            actor=actor, uploaded=uploaded, content_type=content_type, indicator_value=item
        )
    return item


@transaction.atomic
def review_indicator_value(
    *, actor, item: IndicatorValue, validate: bool, comment: str = "", version: int | None = None
) -> IndicatorValue:
    item = IndicatorValue.objects.select_for_update().get(pk=item.pk)
    return _review(
        item, user=actor, validate=validate, comment=comment, version=version, what=_("value")
    )


# --- Evidence ------------------------------------------------------------------


@atomic_with_files
def attach_evidence(*, actor, uploaded, content_type: str, report=None, indicator_value=None):
    """Store an already-checked upload (`coalicion.core.uploads.check_upload`)."""
    evidence = Evidence(report=report, indicator_value=indicator_value, content_type=content_type)
    store_upload(evidence, uploaded, user=actor)
    evidence.save()
    return evidence
