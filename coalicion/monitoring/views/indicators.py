"""An indicator: its values, achievement and pace; the records that make a
computed one; the entry and review of the values of a manual one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalicion.core.actions import StaleEdit, errors_onto_form
from coalicion.core.permissions import check_perm, permission_required
from coalicion.monitoring import actions, computations
from coalicion.monitoring.forms import IndicatorValueForm, ReviewForm
from coalicion.monitoring.indicators import (
    ValueEntry,
    indicator_series,
    indicator_status,
    indicators_as_of,
    own_country_ids,
    validated_values,
    value_entry,
    values_by_country,
)
from coalicion.monitoring.matrix import method_texts
from coalicion.monitoring.models import IndicatorValue, ReportStatus
from coalicion.monitoring.views.matrix import VIEW, filter_form
from coalicion.plans.models import Indicator

ENTER = "monitoring.enter_indicator_value"
REVIEW = "monitoring.review_indicator_value"
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _indicator(pk) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("result__objective__axis__plan"), pk=pk
    )


def _indicator_filters(request, indicator):
    plan = indicator.result.objective.axis.plan
    return filter_form(request, plan, [], fields=("as_of", "country"))


def _may_enter(user, indicator) -> bool:
    """Whether the user may enter some value of this manual indicator."""
    if indicator.source != Indicator.Source.MANUAL:
        return False
    own = own_country_ids(user)
    country_id = own[0] if own and indicator.disaggregated_by_country else None
    return user.has_perm(ENTER, IndicatorValue(indicator=indicator, country_id=country_id))


@permission_required(VIEW)
def indicator_detail(request, pk):
    indicator = _indicator(pk)
    form = _indicator_filters(request, indicator)
    as_of, country = form.as_of_date, form.chosen_country
    indicator = indicators_as_of(indicators=[indicator], as_of=as_of)[0]
    values = validated_values(indicator_ids=[indicator.pk], as_of=as_of)
    status = indicator_status(indicator=indicator, as_of=as_of, country=country, values=values)
    series = indicator_series(indicator=indicator, as_of=as_of, country=country)
    by_country = []
    if indicator.disaggregated_by_country and indicator.source == Indicator.Source.MANUAL:
        by_country = values_by_country(indicator=indicator, values=values.get(indicator.pk, []))
        years = [point["year"] for point in series]
        for row in by_country:
            row["readings"] = [row["years"].get(year) for year in years]
    return render(
        request,
        "monitoring/indicator.html",
        {
            "indicator": indicator,
            "status": status,
            "series": series,
            "by_country": by_country,
            "form": form,
            "as_of": as_of,
            "chart_name": f"indicator-{indicator.pk}",
            "may_enter": _may_enter(request.user, indicator),
            "method": method_texts(),
            "query": form.query(),
        },
    )


@permission_required(VIEW)
def drill_down(request, pk):
    indicator = _indicator(pk)
    form = _indicator_filters(request, indicator)
    as_of, country = form.as_of_date, form.chosen_country
    indicator = indicators_as_of(indicators=[indicator], as_of=as_of)[0]
    status = indicator_status(indicator=indicator, as_of=as_of, country=country)
    values = []
    if indicator.source == Indicator.Source.MANUAL:
        values = validated_values(indicator_ids=[indicator.pk], as_of=as_of).get(indicator.pk, [])
    # The number counts every record; the list names only those the user may
    # see (an observer sees the records of meetings open to observers).
    records = [
        record
        for record in status.records
        if not hasattr(record, "is_visible_to") or record.is_visible_to(request.user)
    ]
    return render(request, "monitoring/drill_down.html", {
        "indicator": indicator, "status": status, "records": records,
        "hidden_records": len(status.records) - len(records), "values": values, "form": form,
        "as_of": as_of, "query": form.query(),
        "computation_registered": computations.get(indicator.computation) is not None,
    })  # fmt: skip


def _save_value(request, form, entry: ValueEntry):
    """Save the posted value; a redirect when saved, None when refused."""
    data = form.cleaned_data
    country = entry.forced_country or data.get("country")
    check_perm(request, ENTER, IndicatorValue(indicator=entry.indicator, country=country))
    same = data["year"] == entry.year and country == entry.country
    try:
        saved = actions.save_indicator_value(
            actor=request.user,
            indicator=entry.indicator,
            year=data["year"],
            country=country,
            value=data.get("value"),
            stage=data.get("stage"),
            narrative=data.get("narrative", ""),
            version=(data.get("version") or 0) if same else 0,
            submit="submit" in request.POST,
            evidence=data.get("evidence") or [],
        )
    except StaleEdit as error:
        form.add_error(None, error.messages if same else entry.exists_message(data["year"]))
        return None
    except ValidationError as error:
        errors_onto_form(form, error)
        return None
    if saved.status == ReportStatus.SUBMITTED:
        messages.success(request, _("The value was submitted to the Technical Secretariat."))
    else:
        messages.success(request, _("The draft was saved."))
    return redirect(entry.url_of(saved))


@permission_required(VIEW)
def enter_value(request, pk):
    indicator = _indicator(pk)
    if indicator.source != Indicator.Source.MANUAL:
        messages.error(request, _("This indicator is computed from records; it takes no values."))
        return redirect("monitoring:indicator", indicator.pk)
    entry = value_entry(
        user=request.user,
        indicator=indicator,
        year=request.GET.get("year", ""),
        country_code=request.GET.get("country", ""),
    )
    check_perm(request, ENTER, entry.probe)
    form = IndicatorValueForm(request.POST or None, request.FILES or None, **entry.form_kwargs())
    if request.method == "POST" and form.is_valid():
        saved = _save_value(request, form, entry)
        if saved is not None:
            return saved
    return render(request, "monitoring/enter_value.html", {
        "indicator": indicator, "form": form, "item": entry.item, "editable": entry.editable,
        "existing": entry.existing, "forced_country": entry.forced_country,
    })  # fmt: skip


@permission_required(REVIEW)
def review_queue(request):
    items = (
        IndicatorValue.objects.filter(status=ReportStatus.SUBMITTED)
        .select_related("indicator__result", "country", "stage", "submitted_by")
        .prefetch_related("evidence")
        .order_by("submitted_at")
    )
    return render(
        request,
        "monitoring/value_review_queue.html",
        {"items": items},
    )


@require_POST
@permission_required(REVIEW)
def review_value(request, pk):
    item = get_object_or_404(IndicatorValue, pk=pk)
    form = ReviewForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        validate = form.cleaned_data["decision"] == ReviewForm.VALIDATE
        actions.review_indicator_value(
            actor=request.user,
            item=item,
            validate=validate,
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data.get("version"),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, f"{item}: {message}")
    else:
        if validate:
            messages.success(request, _("%(value)s was validated.") % {"value": item})
        else:
            messages.success(
                request, _("%(value)s was returned with your comment.") % {"value": item}
            )
    return redirect("monitoring:value_review_queue")
