"""Reporting periods, copying a POA forward, completeness and reminders."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from coalicion.core.i18n import localized
from coalicion.core.permissions import check_perm, permission_required
from coalicion.monitoring import actions, notices, poas
from coalicion.monitoring import completeness as completeness_selectors
from coalicion.monitoring.models import ReportingPeriod, ReportStatus
from coalicion.plans.models import OperatingPlan
from coalicion.plans.selectors import current_plan

MANAGE_PERIODS = "monitoring.manage_periods"
MANAGE_POAS = "monitoring.manage_poas"
VIEW = "monitoring.view_monitoring"


def _operating_plans(request):
    plan = current_plan(request)
    if plan is None:
        return []
    return list(OperatingPlan.objects.filter(plan=plan).select_related("plan").order_by("year"))


def _operating_plan(request, year: int) -> OperatingPlan:
    plan = current_plan(request)
    if plan is None:
        raise Http404
    return get_object_or_404(OperatingPlan.objects.select_related("plan"), plan=plan, year=year)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@permission_required(MANAGE_PERIODS)
def period_list(request):
    poa_list = _operating_plans(request)
    counts = {
        status: Count("reports", filter=Q(reports__status=status)) for status in ReportStatus.values
    }
    periods = (
        ReportingPeriod.objects.filter(operating_plan__in=poa_list)
        .select_related("operating_plan")
        .annotate(**counts)
        .order_by("operating_plan__year", "number")
    )
    by_poa: dict[int, list[ReportingPeriod]] = {}
    for period in periods:
        period.counts = [(label, getattr(period, status)) for status, label in ReportStatus.choices]
        by_poa.setdefault(period.operating_plan_id, []).append(period)
    years = {poa.year for poa in poa_list}
    rows = [
        {"poa": poa, "periods": by_poa.get(poa.pk, []), "has_next": poa.year + 1 in years}
        for poa in reversed(poa_list)
    ]
    return render(
        request,
        "monitoring/periods.html",
        {"rows": rows, "statuses": ReportStatus.choices},
    )


@require_POST
@permission_required(MANAGE_PERIODS)
def create_periods(request, year):
    poa = _operating_plan(request, year)
    periods = actions.create_quarterly_periods(operating_plan=poa)
    messages.success(
        request,
        _("The POA %(year)s has its %(count)s quarterly periods.")
        % {"year": poa.year, "count": len(periods)},
    )
    return redirect("monitoring:periods")


@require_POST
@permission_required(MANAGE_PERIODS)
def close(request, pk):
    period = get_object_or_404(ReportingPeriod.objects.select_related("operating_plan"), pk=pk)
    actions.close_period(actor=request.user, period=period)
    messages.success(
        request,
        _("The period %(period)s is closed: its reports are read-only.") % {"period": period},
    )
    return redirect("monitoring:periods")


@require_POST
@permission_required(MANAGE_PERIODS)
def reopen(request, pk):
    period = get_object_or_404(ReportingPeriod.objects.select_related("operating_plan"), pk=pk)
    try:
        actions.reopen_period(
            actor=request.user, period=period, reason=request.POST.get("reason", "")[:500]
        )
    except ValidationError as error:
        messages.error(
            request,
            _("The period %(period)s was not reopened: %(problem)s")
            % {"period": period, "problem": _errors(error)},
        )
    else:
        messages.success(request, _("The period %(period)s is open again.") % {"period": period})
    return redirect("monitoring:periods")


@require_POST
@permission_required(MANAGE_POAS)
def copy_forward(request, year):
    poa = _operating_plan(request, year)
    try:
        new_poa = poas.copy_forward_operating_plan(actor=request.user, operating_plan=poa)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        activities = new_poa.objectives.aggregate(n=Count("activities"))["n"]
        messages.success(
            request,
            ngettext(
                "%(name)s was created with %(count)s unfinished activity of %(year)s. "
                "Edit its weights, responsible parties, goals and dates in the administration.",
                "%(name)s was created with %(count)s unfinished activities of %(year)s. "
                "Edit its weights, responsible parties, goals and dates in the administration.",
                activities,
            )
            % {"name": localized(new_poa, "name"), "count": activities, "year": poa.year},
        )
    return redirect("monitoring:periods")


def _chosen(request, poa_list):
    """The POA and period asked for in the query string; bad values get a
    message and the default (the latest POA with periods, else the latest)."""
    poa = None
    year = request.GET.get("year", "").strip()
    if year:
        poa = next((p for p in poa_list if str(p.year) == year), None)
        if poa is None:
            messages.warning(
                request, _("There is no POA for the year “%(year)s”.") % {"year": year[:10]}
            )
    if poa is None:
        with_periods = set(
            ReportingPeriod.objects.filter(operating_plan__in=poa_list)
            .values_list("operating_plan_id", flat=True)
            .distinct()
        )
        poa = next(
            (p for p in reversed(poa_list) if p.pk in with_periods),
            poa_list[-1] if poa_list else None,
        )
    periods = list(poa.periods.select_related("operating_plan").order_by("number")) if poa else []
    period = None
    chosen = request.GET.get("period", "").strip()
    if chosen:
        period = next((p for p in periods if str(p.pk) == chosen), None)
        if period is None:
            messages.warning(request, _("That period is not one of this POA; all are shown."))
    return poa, periods, period


@permission_required(VIEW)
def completeness(request):
    if request.method == "POST":
        return _send_reminders(request)
    poa_list = _operating_plans(request)
    poa, periods, period = _chosen(request, poa_list)
    result = completeness_selectors.completeness(operating_plan=poa, period=period) if poa else None
    return render(
        request,
        "monitoring/completeness.html",
        {
            "poas": poa_list,
            "poa": poa,
            "periods": periods,
            "period": period,
            "result": result,
            "may_remind": request.user.has_perm(MANAGE_PERIODS),
        },
    )


def _send_reminders(request):
    check_perm(request, MANAGE_PERIODS)
    period = None
    chosen = request.POST.get("period", "")
    if chosen.isdigit():
        period = get_object_or_404(ReportingPeriod, pk=int(chosen))
    # Links use settings.SITE_URL, never the request's Host header.
    run = notices.send_report_reminders(period=period)
    sent = len(run.sent)
    if not run.periods:
        messages.info(request, _("No open period has ended: there is nobody to remind."))
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s reminder is being sent.", "%(count)s reminders are being sent.", sent
            )
            % {"count": sent},
        )
    already = sum(r.already_sent for r in run.reminders)
    if already:
        messages.info(
            request,
            ngettext(
                "%(count)s person had already been reminded today.",
                "%(count)s people had already been reminded today.",
                already,
            )
            % {"count": already},
        )
    if run.without_address:
        messages.warning(
            request,
            _("Without an e-mail address, not reminded: %(people)s.")
            % {"people": ", ".join(sorted(set(run.without_address)))},
        )
    response = redirect("monitoring:completeness")
    year = request.POST.get("year", "")
    query = {"year": year} if year.isdigit() else {}
    if period is not None:
        query["period"] = period.pk
    if query:
        response["Location"] += "?" + urlencode(query)
    return response
