"""The Excel round-trip of a period's progress reports (see
`coalicion.monitoring.roundtrip`)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from coalicion.core.spreadsheets import SpreadsheetError
from coalicion.monitoring import roundtrip
from coalicion.monitoring.models import ReportingPeriod


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in template (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": roundtrip.XLSX_CONTENT_TYPE}),
    )
    submit = forms.BooleanField(
        label=gettext_lazy(
            "Submit the reports for validation (otherwise they are saved as drafts)"
        ),
        required=False,
    )


def _period_and_work(request, pk):
    """The period and the user's activities in it; 403 unless the user
    answers for at least one of them (the Secretariat answers for all)."""
    period = get_object_or_404(ReportingPeriod.objects.select_related("operating_plan"), pk=pk)
    work = roundtrip.work_of(user=request.user, period=period)
    if not work.responsible:
        raise PermissionDenied("monitoring.report_on_activity")
    return period, work


@login_required
def report_template(request, period):
    period, work = _period_and_work(request, period)
    content = roundtrip.build_template(period=period, pending=work.pending)
    response = HttpResponse(content, content_type=roundtrip.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{roundtrip.template_filename(period)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _saved_message(saved: int, submitted: bool) -> str:
    if submitted:
        text = ngettext(
            "%(count)s report saved and submitted for validation.",
            "%(count)s reports saved and submitted for validation.",
            saved,
        )
    else:
        text = ngettext(
            "%(count)s report saved as a draft.", "%(count)s reports saved as drafts.", saved
        )
    return text % {"count": saved}


def _check_and_save(request, form, period) -> tuple[int | None, list[str]]:
    """(reports saved or None, the messages of the rows refused); a refused
    file puts its reason on the form."""
    submit = form.cleaned_data["submit"]
    try:
        upload = roundtrip.parse_upload(
            uploaded=form.cleaned_data["file"], user=request.user, period=period
        )
    except SpreadsheetError as error:
        form.add_error("file", str(error))
        return None, []
    if upload.errors:
        return None, upload.errors
    if not upload.rows:
        form.add_error("file", _("Nothing to save: no row has a percent or a narrative filled in."))
        return None, []
    try:
        saved = roundtrip.save_upload(
            actor=request.user, period=period, rows=upload.rows, submit=submit
        )
    except ValidationError as error:
        return None, error.messages
    return saved, []


@login_required
def upload_reports(request, period):
    period, work = _period_and_work(request, period)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        saved, errors = _check_and_save(request, form, period)
        if saved is not None:
            messages.success(request, _saved_message(saved, form.cleaned_data["submit"]))
            return redirect("monitoring:upload_reports", period.pk)
    return render(
        request,
        "monitoring/upload.html",
        {"period": period, "form": form, "errors": errors, "pending": work.pending},
    )
