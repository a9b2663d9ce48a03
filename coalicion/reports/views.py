"""The archive of issued reports and the page of each: thin views over
`selectors` and `actions`; generation runs as a job, the page polls it."""

import io

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from coalicion.audit.downloads import protected_download
from coalicion.core.actions import errors_onto_form
from coalicion.core.permissions import check_perm, permission_required
from coalicion.monitoring.dates import parse_as_of
from coalicion.plans.selectors import current_plan
from coalicion.reports import actions, plan_documents, selectors
from coalicion.reports.forms import AccountabilityForm, TermReportForm
from coalicion.reports.models import IssuedReport

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


FORMS = {
    IssuedReport.Kind.ACCOUNTABILITY: (AccountabilityForm, selectors.secretariat_terms),
    IssuedReport.Kind.TERM: (TermReportForm, selectors.organ_terms),
}


@permission_required("reports.view_archive")
def archive(request):
    forms = {}
    if request.user.has_perm("reports.issue"):
        posted = request.POST.get("kind", IssuedReport.Kind.ACCOUNTABILITY)
        for kind, (form_class, terms) in FORMS.items():
            data = request.POST if request.method == "POST" and posted == kind else None
            forms[kind] = form_class(data, terms=terms())
    if request.method == "POST":
        check_perm(request, "reports.issue")
        kind = request.POST.get("kind", IssuedReport.Kind.ACCOUNTABILITY)
        form = forms.get(kind)
        if form is None:
            raise Http404
        report = _issue(request, form, kind)
        if report is not None:
            return redirect(report)
    return render(
        request,
        "reports/archive.html",
        {
            "reports": selectors.archive(user=request.user),
            "form": forms.get(IssuedReport.Kind.ACCOUNTABILITY),
            "term_form": forms.get(IssuedReport.Kind.TERM),
            "poa_years": _poa_years(request),
        },
    )


def _poa_years(request) -> list[int]:
    plan = current_plan(request)
    if plan is None:
        return []
    return list(plan.operating_plans.order_by("year").values_list("year", flat=True))


def _issue(request, form, kind) -> IssuedReport | None:
    plan = current_plan(request)
    if plan is None:
        raise Http404("No plan is loaded.")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return actions.request_report(
            actor=request.user,
            plan=plan,
            period=data["period"],
            as_of=data["as_of"],
            language=data["language"],
            open_to_observers=data["open_to_observers"],
            kind=kind,
            parameters={
                "term": data["term"],
                "start": data.get("start") and data["start"].isoformat(),
                "end": data.get("end") and data["end"].isoformat(),
            },
        )
    except ValidationError as error:
        errors_onto_form(form, error)
        return None


@require_GET
@permission_required("reports.view_archive")
def report(request, pk: int):
    issued = get_object_or_404(
        IssuedReport.objects.defer("pdf", "xlsx").select_related("requested_by", "term__country"),
        pk=pk,
    )
    check_perm(request, "reports.view_report", issued)
    context = {"report": issued}
    if request.headers.get("HX-Request"):
        return render(request, "reports/_status.html", context)
    return render(request, "reports/report.html", context)


@require_GET
@permission_required("reports.view_archive")
def download(request, pk: int, file_format: str):
    if file_format not in CONTENT_TYPES:
        raise Http404
    issued = get_object_or_404(IssuedReport, pk=pk, status=IssuedReport.Status.DONE)
    check_perm(request, "reports.view_report", issued)
    content = getattr(issued, file_format)
    if not content:
        raise Http404
    return protected_download(
        actor=request.user,
        content=io.BytesIO(bytes(content)),
        filename=issued.filename(file_format),
        content_type=CONTENT_TYPES[file_format],
        target=str(issued),
        detail={"report": issued.pk, "format": file_format},
    )


def _plan_or_404(request):
    plan = current_plan(request)
    if plan is None:
        raise Http404("No plan is loaded.")
    return plan


@require_GET
def poa_document(request, year: int, file_format: str):
    """The POA of a year as PDF or XLSX in the plan's structure (public, as the POA page)."""
    if file_format not in CONTENT_TYPES:
        raise Http404
    plan = _plan_or_404(request)
    data = plan_documents.poa_data(plan=plan, year=year)
    make = plan_documents.poa_pdf if file_format == "pdf" else plan_documents.poa_xlsx
    response = HttpResponse(make(data), content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="poa-{year}.{file_format}"'
    return response


@require_GET
@permission_required("monitoring.view_monitoring")
def matrix_pdf(request, year: int):
    """The monitoring matrix of a POA as a landscape PDF, "as of" a date."""
    plan = _plan_or_404(request)
    if not plan.operating_plans.filter(year=year).exists():
        raise Http404
    as_of, _error = parse_as_of(request.GET.get("as_of"))
    content = plan_documents.matrix_pdf(
        plan=plan, year=year, as_of=as_of, lang=(get_language() or "es")[:2]
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES["pdf"])
    response["Content-Disposition"] = f'attachment; filename="matriz-{year}-{as_of}.pdf"'
    return response
