"""Progress reports: a responsible party's reports for a period, the report
form (draft / submit, evidence), the Secretariat's review queue, and the
permission-checked download of evidence files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coalicion.audit.downloads import protected_download
from coalicion.core.actions import StaleEdit
from coalicion.core.permissions import check_perm, permission_required
from coalicion.core.uploads import download_name
from coalicion.monitoring import actions, selectors
from coalicion.monitoring.forms import ReportForm, ReviewForm
from coalicion.monitoring.models import Evidence, ProgressReport, ReportingPeriod, ReportStatus
from coalicion.plans.models import Activity, Responsible

REPORT = "monitoring.report_on_activity"
REVIEW = "monitoring.review_report"
VIEW_EVIDENCE = "monitoring.view_evidence"


def _responsibles() -> Prefetch:
    """What `rules.responsible_for` and the pages read, in a fixed number of queries."""
    return Prefetch(
        "responsibles",
        queryset=Responsible.objects.select_related("organ", "country", "committee")
        .prefetch_related("committee__members", "committee__countries", "country__national_bodies")
        .order_by("id"),
    )


def _activities(period: ReportingPeriod):
    return (
        Activity.objects.filter(objective__operating_plan_id=period.operating_plan_id)
        .select_related("objective")
        .prefetch_related(_responsibles())
    )


def _default_period(periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    """The latest open period that has started, else the last one."""
    today = timezone.localdate()
    started = [p for p in periods if not p.is_closed and p.start <= today]
    if started:
        return started[-1]
    return periods[-1] if periods else None


def _chosen_period(request, periods: list[ReportingPeriod]) -> ReportingPeriod | None:
    wanted = request.GET.get("period", "").strip()
    if not wanted:
        return _default_period(periods)
    for period in periods:
        if str(period.pk) == wanted:
            return period
    raise Http404(_("There is no reporting period %(period)s.") % {"period": wanted[:20]})


def my_reports(request):
    """The activities the user reports on in a period, with each report's status."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    periods = list(ReportingPeriod.objects.select_related("operating_plan"))
    period = _chosen_period(request, periods)
    rows = []
    if period is not None:
        reports = {r.activity_id: r for r in ProgressReport.objects.filter(period=period)}
        rows = [
            (activity, reports.get(activity.pk))
            for activity in _activities(period)
            if not activity.cancelled and request.user.has_perm(REPORT, activity)
        ]
    return render(
        request,
        "monitoring/my_reports.html",
        {
            "periods": periods,
            "period": period,
            "rows": rows,
        },
    )


def _read_only_reason(period: ReportingPeriod, report: ProgressReport | None) -> str:
    if period.is_closed:
        return "closed"
    if report is not None and report.status in (ReportStatus.SUBMITTED, ReportStatus.VALIDATED):
        return report.status
    return ""


def _current_report(activity: Activity, period: ReportingPeriod) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(activity=activity, period=period)
        .select_related("submitted_by", "reviewed_by")
        .prefetch_related("evidence")
        .first()
    )


@require_http_methods(["GET", "POST"])
def report_form(request, period, activity):
    """Write, save as draft or submit the report on an activity for a period."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    period = get_object_or_404(ReportingPeriod.objects.select_related("operating_plan"), pk=period)
    activity = get_object_or_404(_activities(period), pk=activity)
    check_perm(request, REPORT, activity)
    report = _current_report(activity, period)
    read_only = _read_only_reason(period, report)
    stale = False

    if request.method == "POST":
        if read_only:
            messages.error(request, _("This report can no longer be changed; nothing was saved."))
            return redirect("monitoring:report", period=period.pk, activity=activity.pk)
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            submit = request.POST.get("action") == "submit"
            try:
                # One transaction: the report and its new files are saved together or not at all.
                with transaction.atomic():
                    report = actions.save_report(
                        user=request.user,
                        activity=activity,
                        period=period,
                        percent=data["percent"],
                        narrative=data["narrative"],
                        version=data["version"],
                        submit=submit,
                    )
                    for uploaded, content_type in data["evidence"]:
                        actions.attach_evidence(
                            user=request.user,
                            uploaded=uploaded,
                            content_type=content_type,
                            report=report,
                        )
            except StaleEdit as error:
                stale = True
                for message in error.messages:
                    form.add_error(None, message)
                report = _current_report(activity, period)
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                if submit:
                    messages.success(
                        request,
                        _("Your report on activity %(code)s was submitted to the Secretariat.")
                        % {"code": activity.code},
                    )
                    return redirect(reverse("monitoring:my_reports") + f"?period={period.pk}")
                messages.success(request, _("Your draft was saved. Submit it when it is complete."))
                return redirect("monitoring:report", period=period.pk, activity=activity.pk)
    else:
        initial = {"version": report.version if report else 0}
        if report is not None:
            initial |= {"percent": report.percent, "narrative": report.narrative}
        form = ReportForm(initial=initial)

    return render(
        request,
        "monitoring/report_form.html",
        {
            "period": period,
            "activity": activity,
            "report": report,
            "form": form,
            "read_only": read_only,
            "stale": stale,
            # Events that carried the activity out (their record is evidence too).
            "events": [
                event
                for event in activity.events.order_by("start")
                if request.user.has_perm("meetings.view_event", event)
            ],
            # Shown again after a POST means nothing was saved, files included.
            "files_lost": request.method == "POST" and bool(request.FILES),
        },
    )


@permission_required(REVIEW)
def review_queue(request):
    """Submitted reports, oldest first, each with its validate / return form."""
    reports = list(
        selectors.reports_for_review().select_related(
            "period__operating_plan", "activity__objective"
        )
    )
    for report in reports:
        report.late = timezone.localdate(report.submitted_at) > report.period.due
    return render(request, "monitoring/review_queue.html", {"reports": reports})


@require_POST
@permission_required(REVIEW)
def review_report(request, pk):
    report = get_object_or_404(
        ProgressReport.objects.select_related("activity", "period__operating_plan"), pk=pk
    )
    form = ReviewForm(request.POST)
    label = _("Report %(report)s") % {"report": report}
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"{label}: {message}")
        return redirect("monitoring:review_queue")
    validate = form.cleaned_data["decision"] == ReviewForm.VALIDATE
    try:
        actions.review_report(
            user=request.user,
            report=report,
            validate=validate,
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        )
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
        Evidence.objects.select_related("report__activity", "indicator_value"), pk=pk
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
