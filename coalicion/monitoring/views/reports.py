"""Progress reports: a person's reports for a period (their country's parts
of the shared activities and the activities they answer for), the report
form (draft / submit, evidence), an activity's reports side by side, the
Secretariat's review queue, and the permission-checked download of evidence."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalicion.audit.downloads import protected_download
from coalicion.core.actions import errors_onto_form
from coalicion.core.permissions import check_perm, permission_required
from coalicion.core.sections import sections
from coalicion.core.uploads import download_name
from coalicion.membership.models import Country
from coalicion.monitoring import actions, rollup, selectors
from coalicion.monitoring.forms import ReportForm, ReviewForm
from coalicion.monitoring.models import Evidence, ProgressReport, ReportingPeriod, ReportStatus
from coalicion.monitoring.rules import ReportTarget
from coalicion.plans.models import Activity

REPORT = "monitoring.report_on_activity"
SEE = "monitoring.view_progressreport"
REVIEW = "monitoring.review_report"
VIEW = "monitoring.view_monitoring"
VIEW_EVIDENCE = "monitoring.view_evidence"


def _chosen_period(request, periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    wanted = request.GET.get("period", "").strip()
    if not wanted:
        return selectors.current_period(periods)
    for period in periods:
        if str(period.pk) == wanted:
            return period
    raise Http404(_("There is no reporting period %(period)s.") % {"period": wanted[:20]})


@login_required
def my_reports(request):
    """The reports the person makes in a period, with each one's status."""
    periods = list(ReportingPeriod.objects.select_related("operating_plan"))
    period = _chosen_period(request, periods)
    rows = selectors.reports_of(user=request.user, period=period) if period else []
    return render(
        request, "monitoring/my_reports.html", {"periods": periods, "period": period, "rows": rows}
    )


def _report_page(period_pk: int, activity_pk: int, country_code: str | None):
    """The period, activity and part's country of a report page."""
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("operating_plan"), pk=period_pk
    )
    activity = get_object_or_404(
        Activity.objects.filter(objective__operating_plan_id=period.operating_plan_id)
        .select_related("objective")
        .prefetch_related(selectors.responsibles_prefetch()),
        pk=activity_pk,
    )
    country = get_object_or_404(Country, code=country_code.upper()) if country_code else None
    return period, activity, country


def _read_only_reason(period: ReportingPeriod, report, may_edit: bool) -> str:
    if period.is_closed:
        return "closed"
    if report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.VALIDATED):
        return report.status
    return "" if may_edit else "not_yours"


def _save(request, form, *, period, activity, country):
    """Save the posted report; a redirect when saved, None when refused
    (the reasons are on the form)."""
    submit = request.POST.get("action") == "submit"
    try:
        actions.save_report(
            actor=request.user,
            activity=activity,
            period=period,
            country=country,
            submit=submit,
            **form.action_fields(),
        )
    except ValidationError as error:
        errors_onto_form(form, error)
        return None
    messages.success(request, _report_saved_message(activity, country, submit))
    if submit:
        return redirect(reverse("monitoring:my_reports") + f"?period={period.pk}")
    return redirect(request.path)


@require_http_methods(["GET", "POST"])
@login_required
def report_form(request, period, activity, country=None):
    """Write, save as draft or submit the report on an activity (or one
    country's part of a shared activity) for a period; read it otherwise."""
    period, activity, country = _report_page(period, activity, country)
    report = selectors.report_of(activity=activity, period=period, country=country)
    may_edit = request.user.has_perm(REPORT, ReportTarget(activity, country))
    if not may_edit and not (report and request.user.has_perm(SEE, report)):
        raise PermissionDenied(REPORT)
    read_only = _read_only_reason(period, report, may_edit)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        report=report,
        target={"activity": activity, "period": period, "country": country},
    )
    if request.method == "POST" and read_only:
        messages.error(request, _("This report can no longer be changed; nothing was saved."))
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, period=period, activity=activity, country=country)
        if saved is not None:
            return saved
        report = selectors.report_of(activity=activity, period=period, country=country)
    return render(request, "monitoring/report_form.html", {
        "period": period, "activity": activity, "country": country, "report": report,
        "form": form, "read_only": read_only, "stale": form.has_error(NON_FIELD_ERRORS, "stale"),
        "shown_sections": sections("activity", user=request.user, activity=activity),
        "files_lost": request.method == "POST" and bool(request.FILES),
    })  # fmt: skip


def _report_saved_message(activity, country, submit: bool) -> str:
    if not submit:
        return _("Your draft was saved. Submit it when it is complete.")
    if country is not None:
        return _(
            "The report of %(country)s on activity %(code)s was submitted to the Secretariat."
        ) % {"country": country, "code": activity.code}
    return _("Your report on activity %(code)s was submitted to the Secretariat.") % {
        "code": activity.code
    }


@permission_required(VIEW)
def activity_reports(request, pk):
    """An activity's reports in a period side by side — for a shared
    activity, every member country's part (who reported, validated, late) —
    and its progress as the roll-up gives it."""
    activity = get_object_or_404(
        Activity.objects.select_related("objective__operating_plan").prefetch_related(
            selectors.responsibles_prefetch()
        ),
        pk=pk,
    )
    periods = list(activity.objective.operating_plan.periods.order_by("number"))
    period = _chosen_period(request, periods)
    rows = selectors.activity_rows(activity=activity, period=period) if period else []
    node = rollup.activity_node(activity=activity, as_of=timezone.localdate())
    return render(request, "monitoring/activity_reports.html", {
        "activity": activity, "periods": periods, "period": period, "rows": rows, "node": node,
    })  # fmt: skip


@permission_required(REVIEW)
def review_queue(request):
    """Submitted reports, oldest first, each with its validate / return form."""
    reports = list(selectors.reports_for_review())
    return render(request, "monitoring/review_queue.html", {"reports": reports})


@require_POST
@permission_required(REVIEW)
def review_report(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.select_related("activity", "period__operating_plan", "country"),
        pk=pk,
    )
    form = ReviewForm(request.POST)
    label = _("Report %(report)s") % {"report": report}
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        validate = form.cleaned_data["decision"] == ReviewForm.VALIDATE
        actions.review_report(actor=request.user, report=report, validate=validate,
                              comment=form.cleaned_data["comment"],
                              version=form.cleaned_data["version"])  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{label}: {message}")
    else:
        if validate:
            done = _("The report %(report)s was validated: it now counts in the progress figures.")
        else:
            done = _(
                "The report %(report)s was returned to its responsible party with your comment."
            )
        messages.success(request, done % {"report": report})
    return redirect("monitoring:review_queue")


@login_required
def download_evidence(request, pk):
    """An evidence file, as an attachment, never rendered by the browser."""
    evidence = get_object_or_404(
        Evidence.objects.select_related(
            "report__activity", "report__country", "indicator_value"
        ).prefetch_related("report__activity__responsibles"),
        pk=pk,
    )
    check_perm(request, VIEW_EVIDENCE, evidence)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file of this evidence is missing from the server.")) from None
    return protected_download(
        actor=request.user,
        content=handle,
        filename=download_name(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
        target=evidence.original_name,
        detail={"evidence": evidence.pk},
    )
