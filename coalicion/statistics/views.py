"""Pages of the regional statistics: thin, every figure from the selectors."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coalicion.audit.downloads import protected_download
from coalicion.core.actions import errors_onto_form
from coalicion.core.permissions import check_perm, permission_required
from coalicion.statistics import actions, charts, exports, selectors
from coalicion.statistics.codes import Measure
from coalicion.statistics.forms import ExploreForm, ImportForm
from coalicion.statistics.models import Batch, Upload

FORMATS = {"csv": exports.CSV_TYPE, "xlsx": exports.XLSX_TYPE}


@require_GET
def index(request):
    return render(request, "statistics/index.html", {"overview": selectors.overview()})


def _pivot(request, viewer=None):
    form = ExploreForm(request.GET)
    if not form.is_valid():
        return form, None
    viewer = viewer or selectors.viewer_for(request.user)
    return form, selectors.explore(viewer=viewer, query=form.query())


def _title(pivot) -> str:
    return str(Measure(pivot.query.measure).label)


@require_GET
def explore(request):
    form, pivot = _pivot(request)
    context = {"form": form, "pivot": pivot, "legend": exports.legend()}
    if pivot is not None:
        context["title"] = _title(pivot)
        context["query_string"] = request.GET.urlencode()
    return render(request, "statistics/explore.html", context)


@require_GET
def chart(request):
    _form, pivot = _pivot(request)
    if pivot is None:
        raise Http404
    return JsonResponse(charts.pivot_chart(pivot, title=_title(pivot)))


@require_GET
def export(request, file_format: str):
    if file_format not in FORMATS:
        raise Http404
    # Exports are always protected, whoever asks.
    _form, pivot = _pivot(request, viewer=selectors.PUBLIC)
    if pivot is None:
        raise Http404
    make = exports.pivot_csv if file_format == "csv" else exports.pivot_xlsx
    return protected_download(
        actor=request.user,
        content=_bytes(make(pivot, title=_title(pivot))),
        filename=f"estadisticas-{pivot.query.measure}.{file_format}",
        content_type=FORMATS[file_format],
        target=f"statistics:{pivot.query.measure}",
        detail={"what": "statistics export", "format": file_format, **_detail(pivot)},
    )


def _detail(pivot) -> dict:
    query = pivot.query
    return {
        "measure": query.measure,
        "rows": query.rows,
        "columns": query.columns,
        "filters": query.filters,
    }


def _bytes(content: bytes):
    return io.BytesIO(content)


@permission_required("statistics.import")
def imports(request):
    posted = request.method == "POST"
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        allowed=actions.countries_for(request.user) if posted else None,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            upload = actions.start_import(
                actor=request.user,
                measure=data["measure"],
                kind=data["kind"],
                source=data["source"],
                uploaded=data["file"],
            )
        except ValidationError as error:
            errors_onto_form(form, error)
        else:
            messages.info(request, _("The file was received; its rows are being checked."))
            return redirect("statistics:upload", upload.pk)
    context = {
        "form": form,
        "uploads": selectors.uploads_for(request.user),
        "measures": selectors.template_choices(),
    }
    return render(request, "statistics/imports.html", context)


@login_required
@require_GET
def upload(request, pk: int):
    upload = get_object_or_404(Upload.objects.select_related("uploaded_by"), pk=pk)
    check_perm(request, "statistics.follow_upload", upload)
    batches = Batch.objects.filter(upload=upload).select_related("country").order_by("year")
    context = {"upload": upload, "batches": batches}
    if request.headers.get("HX-Request"):
        return render(request, "statistics/_upload_status.html", context)
    return render(request, "statistics/upload.html", context)


@permission_required("statistics.import")
@require_GET
def template(request, measure: str, kind: str, file_format: str):
    if (
        measure not in Measure.values
        or kind not in Upload.Kind.values
        or file_format not in FORMATS
    ):
        raise Http404
    if not selectors.template_exists(measure, kind):
        raise Http404
    make = exports.template_csv if file_format == "csv" else exports.template_xlsx
    return protected_download(
        actor=request.user,
        content=_bytes(make(measure, kind)),
        filename=f"plantilla-{measure}-{kind}.{file_format}",
        content_type=FORMATS[file_format],
        target=f"statistics:template:{measure}",
        detail={"what": "statistics template", "measure": measure, "kind": kind},
    )


@permission_required("statistics.view_provenance")
@require_GET
def batches(request):
    return render(request, "statistics/batches.html", {"batches": selectors.provenance()})
