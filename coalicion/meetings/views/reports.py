"""The countries' updated situation reports for a meeting (informe
actualizado de la realidad de su país): the list, and each country's report
with its files, written by its focal points or the Secretariat."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coalicion.core.permissions import check_perm
from coalicion.core.submit import submit
from coalicion.meetings import selectors
from coalicion.meetings.actions.reports import save_country_report
from coalicion.meetings.forms.registers import CountryReportForm, country_name
from coalicion.meetings.models import Event
from coalicion.meetings.views import RECORDS_FROZEN, event_for
from coalicion.membership.models import Country

SUBMIT_REPORT = "meetings.submit_country_report"
VIEW_REPORTS = "meetings.view_country_reports"


@login_required
def country_reports(request: HttpRequest, pk: int) -> HttpResponse:
    """The member countries and their updated situation reports for the meeting."""
    event = event_for(request, pk)
    check_perm(request, VIEW_REPORTS)
    may_submit = event.is_meeting and not selectors.records_frozen(event)
    rows = selectors.country_report_rows(event)
    for row in rows:
        row["may_submit"] = may_submit and request.user.has_perm(SUBMIT_REPORT, row["country"])
    submitted = sum(1 for row in rows if row["report"] is not None)
    context = {"event": event, "rows": rows, "submitted": submitted}
    return render(request, "meetings/country_reports.html", context)


def _member_country(event: Event, code: str) -> Country:
    country = get_object_or_404(Country, code=code.upper())
    if not selectors.members_on([country], event.local_date):
        raise Http404(
            _("%(country)s is not a member country on the date of the event.")
            % {"country": country_name(country)}
        )
    return country


def _report_form(request: HttpRequest, report, editing: bool) -> CountryReportForm | None:
    if editing:
        return CountryReportForm(initial=CountryReportForm.initial_for(report))
    return None


def _save(request: HttpRequest, event: Event, country: Country, form: CountryReportForm):
    return save_country_report(
        actor=request.user, event=event, country=country, **form.report_fields()
    )


def _report_page(request, event, country, form, *, stale=False) -> HttpResponse:
    frozen = selectors.records_frozen(event)
    report = selectors.country_report(event, country)
    if stale and report is not None:
        # What was typed stays; the next save is checked against what is saved now.
        form.data = form.data.copy()
        form.data["version"] = str(report.version)
    context = {
        "event": event,
        "country": country,
        "report": report,
        "form": form,
        "stale": stale,
        "may_submit": not frozen and request.user.has_perm(SUBMIT_REPORT, country),
        "files_lost": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "meetings/country_report_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def country_report(request: HttpRequest, pk: int, country: str) -> HttpResponse:
    """A country's report: members read it; its focal points and the
    Secretariat write it (`?edit=1`), with attachments."""
    event = event_for(request, pk)
    check_perm(request, VIEW_REPORTS)
    if not event.is_meeting:
        raise Http404(_("Only ordinary and extraordinary meetings receive country reports."))
    country = _member_country(event, country)
    if request.method == "POST" or request.GET.get("edit"):
        check_perm(request, SUBMIT_REPORT, country)
        if selectors.records_frozen(event):
            messages.error(request, RECORDS_FROZEN)
            return redirect("meetings:country_report", pk=event.pk, country=country.code)
    if request.method != "POST":
        editing = bool(request.GET.get("edit"))
        form = _report_form(request, selectors.country_report(event, country), editing)
        return _report_page(request, event, country, form)
    form = CountryReportForm(request.POST, request.FILES, event=event)
    done = _("The report of %(country)s was saved.") % {"country": country_name(country)}
    outcome = submit(request, lambda: _save(request, event, country, form), form=form, done=done)
    if outcome:
        return redirect("meetings:country_report", pk=event.pk, country=country.code)
    return _report_page(request, event, country, form, stale=outcome.stale)
