"""Reads of the plan, each with a fixed number of queries whatever its size."""

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from coalicion.plans.models import (
    Activity,
    Axis,
    Goal,
    Indicator,
    OperatingPlan,
    OperationalObjective,
    Plan,
    PlanStatement,
    Responsible,
    Result,
    StrategicObjective,
)


def current_plan(request=None) -> Plan | None:
    """The plan shown by default: the one whose period starts last. Read
    once per request when the request is given (the navigation and the page
    both ask for it)."""
    if request is not None and hasattr(request, "_coalicion_current_plan"):
        return request._coalicion_current_plan
    # The data notes (a large JSON document) are read only by the notes page.
    plan = Plan.objects.defer("data_notes").order_by("-period_start", "-id").first()
    if request is not None:
        request._coalicion_current_plan = plan
    return plan


def get_plan(*, code: str) -> Plan:
    return get_object_or_404(Plan, code=code)


def plan_statements(*, plan: Plan) -> dict[str, list[PlanStatement]]:
    grouped: dict[str, list[PlanStatement]] = {kind: [] for kind in PlanStatement.Kind.values}
    for statement in plan.statements.order_by("kind", "order"):
        grouped[statement.kind].append(statement)
    return grouped


def axes_with_counts(*, plan: Plan) -> QuerySet[Axis]:
    return (
        plan.axes.select_related("plan")
        .annotate(
            objective_count=Count("objectives", distinct=True),
            result_count=Count("objectives__results", distinct=True),
            indicator_count=Count("objectives__results__indicators", distinct=True),
        )
        .order_by("order")
    )


def _results_framework_prefetch() -> Prefetch:
    return Prefetch(
        "objectives",
        queryset=StrategicObjective.objects.order_by("order").prefetch_related(
            Prefetch(
                "results",
                queryset=Result.objects.order_by("order").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
                ),
            )
        ),
    )


def axis_detail(*, plan: Plan, code: str) -> Axis:
    axes = plan.axes.select_related("plan").prefetch_related(_results_framework_prefetch())
    return get_object_or_404(axes, code=code)


def results_framework(*, plan: Plan) -> QuerySet[Axis]:
    return (
        plan.axes.select_related("plan")
        .order_by("order")
        .prefetch_related(_results_framework_prefetch())
    )


def indicators(*, plan: Plan) -> QuerySet[Indicator]:
    return Indicator.objects.filter(result__objective__axis__plan=plan).select_related(
        "result__objective__axis"
    )


def operating_plans(*, plan: Plan) -> QuerySet[OperatingPlan]:
    return (
        plan.operating_plans.select_related("plan")
        .annotate(
            objective_count=Count("objectives", distinct=True),
            activity_count=Count("objectives__activities", distinct=True),
        )
        .order_by("year")
    )


def poa_tree(*, plan: Plan, year: int) -> OperatingPlan:
    """A POA with its objectives, activities, goals and responsible parties."""
    responsibles = Responsible.objects.select_related(
        "organ", "country", "committee"
    ).prefetch_related("country__national_bodies")
    activities = Activity.objects.order_by("order").prefetch_related(
        Prefetch("responsibles", queryset=responsibles),
        Prefetch("goals", queryset=Goal.objects.order_by("kind", "order")),
    )
    objectives = (
        OperationalObjective.objects.order_by("order")
        .select_related("strategic_objective__axis__plan")
        .prefetch_related(
            Prefetch("activities", queryset=activities),
            Prefetch("goals", queryset=Goal.objects.order_by("kind", "order")),
        )
    )
    poas = plan.operating_plans.select_related("plan").prefetch_related(
        Prefetch("objectives", queryset=objectives)
    )
    return get_object_or_404(poas, year=year)


def committees_with_activities(*, plan: Plan):
    return plan.committees.annotate(activity_count=Count("responsible_parties")).order_by("name")
