"""An indicator: its values, achievement and pace; the records that make a
computed one; the entry and review of the values of a manual one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coalicion.core.actions import StaleEdit, errors_onto_form
from coalicion.core.permissions import check_perm, permission_required
from coalicion.membership.models import Country
from coalicion.membership.roles import roles_of
from coalicion.monitoring import actions, computations
from coalicion.monitoring.indicator_forms import IndicatorValueForm, ReviewForm
from coalicion.monitoring.indicators import (
    indicator_series,
    indicator_status,
    indicators_as_of,
    method_texts,
    validated_values,
    values_by_country,
)
from coalicion.monitoring.models import IndicatorValue, ReportStatus
from coalicion.monitoring.views.matrix import VIEW, filter_form
from coalicion.plans.models import Indicator, MilestoneStage

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


def _own_country_ids(user) -> list[int]:
    roles = roles_of(user)
    if roles.is_secretariat:
        return []
    return sorted(roles.focal_point_of)


def _may_enter(user, indicator) -> bool:
    """Whether the user may enter some value of this manual indicator."""
    if indicator.source != Indicator.Source.MANUAL:
        return False
    own = _own_country_ids(user)
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
    return render(
        request,
        "monitoring/drill_down.html",
        {
            "indicator": indicator,
            "status": status,
            "records": records,
            "hidden_records": len(status.records) - len(records),
            "values": values,
            "form": form,
            "as_of": as_of,
            "computation_registered": computations.get(indicator.computation) is not None,
            "query": form.query(),
        },
    )


def _entry_years(indicator) -> list[int]:
    plan = indicator.result.objective.axis.plan
    last = min(plan.period_end, timezone.localdate().year)
    return list(range(plan.period_start, max(last, plan.period_start) + 1))


def _loaded_key(request, countries_by_code):
    """The (year, country) whose value the form was opened on (query string)."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    country = countries_by_code.get(request.GET.get("country", "").upper())
    return year, country


@permission_required(VIEW)
def enter_value(request, pk):
    indicator = _indicator(pk)
    if indicator.source != Indicator.Source.MANUAL:
        messages.error(request, _("This indicator is computed from records; it takes no values."))
        return redirect("monitoring:indicator", indicator.pk)
    plan = indicator.result.objective.axis.plan
    roles = roles_of(request.user)
    members = Country.objects.members(on=timezone.localdate()).order_by("name")
    own = _own_country_ids(request.user)
    forced = None  # a focal point's country: never taken from the form
    choices = None
    if indicator.disaggregated_by_country:
        if roles.is_secretariat:
            choices = members
        elif len(own) == 1:
            forced = members.filter(pk=own[0]).first()
        else:
            choices = members.filter(pk__in=own)
    countries_by_code = {c.code: c for c in members}
    year, loaded_country = _loaded_key(request, countries_by_code)
    if forced is not None:
        loaded_country = forced
    elif choices is None or (
        loaded_country is not None and not roles.is_secretariat and loaded_country.pk not in own
    ):
        loaded_country = None
    probe = loaded_country.pk if loaded_country else None
    if probe is None and own and indicator.disaggregated_by_country:
        probe = own[0]
    check_perm(request, ENTER, IndicatorValue(indicator=indicator, country_id=probe))

    existing = (
        IndicatorValue.objects.filter(indicator=indicator)
        .select_related("country", "stage", "reviewed_by")
        .prefetch_related("evidence")
    )
    if not roles.is_secretariat:
        existing = existing.filter(country_id__in=own)
    existing = list(existing.order_by("-year", "country__name"))
    item = next(
        (
            v
            for v in existing
            if v.year == year and v.country_id == getattr(loaded_country, "pk", None)
        ),
        None,
    )
    form_kwargs = {
        "indicator": indicator,
        "years": _entry_years(indicator),
        "countries": choices,
        "stages": MilestoneStage.objects.filter(plan=plan).order_by("order"),
    }
    if request.method == "POST":
        form = IndicatorValueForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            country = forced if forced is not None else data.get("country")
            check_perm(request, ENTER, IndicatorValue(indicator=indicator, country=country))
            same = data["year"] == year and country == loaded_country
            version = (data.get("version") or 0) if same else 0
            try:
                with transaction.atomic():
                    saved = actions.save_indicator_value(
                        user=request.user,
                        indicator=indicator,
                        year=data["year"],
                        country=country,
                        value=data.get("value"),
                        stage=data.get("stage"),
                        narrative=data.get("narrative", ""),
                        version=version,
                        submit="submit" in request.POST,
                    )
                    for uploaded, content_type in data.get("evidence") or []:
                        actions.attach_evidence(
                            user=request.user,
                            uploaded=uploaded,
                            content_type=content_type,
                            indicator_value=saved,
                        )
            except StaleEdit as error:
                if same:
                    form.add_error(None, error.messages)
                else:
                    form.add_error(
                        None,
                        _(
                            "A value for %(year)s already exists: open it from the list "
                            "below to change it."
                        )
                        % {"year": data["year"]},
                    )
            except ValidationError as error:
                errors_onto_form(form, error)
            else:
                if saved.status == ReportStatus.SUBMITTED:
                    messages.success(
                        request, _("The value was submitted to the Technical Secretariat.")
                    )
                else:
                    messages.success(request, _("The draft was saved."))
                query = {"year": saved.year}
                if saved.country_id:
                    query["country"] = saved.country.code
                url = reverse("monitoring:enter_value", args=[indicator.pk])
                return redirect(f"{url}?{urlencode(query)}")
    else:
        initial = {"year": year or _entry_years(indicator)[-1], "version": 0}
        if loaded_country is not None and choices is not None:
            initial["country"] = loaded_country.pk
        if item is not None:
            initial.update(
                value=item.value,
                stage=item.stage_id,
                narrative=item.narrative,
                version=item.version,
            )
        form = IndicatorValueForm(initial=initial, **form_kwargs)
    return render(
        request,
        "monitoring/enter_value.html",
        {
            "indicator": indicator,
            "form": form,
            "item": item,
            "editable": item is None or item.status in EDITABLE,
            "existing": existing,
            "forced_country": forced,
        },
    )


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
    if not form.is_valid():
        messages.error(request, _("Choose whether to validate or return the value."))
        return redirect("monitoring:value_review_queue")
    data = form.cleaned_data
    validate = data["decision"] == "validate"
    try:
        actions.review_indicator_value(
            user=request.user,
            item=item,
            validate=validate,
            comment=data["comment"],
            version=data.get("version"),
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
