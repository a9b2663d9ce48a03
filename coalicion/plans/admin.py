from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coalicion.plans.models import (
    Activity,
    Axis,
    Goal,
    Indicator,
    MilestoneStage,
    OperatingPlan,
    OperationalObjective,
    Plan,
    PlanStatement,
    Responsible,
    Result,
    StrategicObjective,
    WorkingCommittee,
)


class PlanStatementInline(admin.StackedInline):
    model = PlanStatement
    extra = 0


class MilestoneStageInline(admin.TabularInline):
    model = MilestoneStage
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "period_start", "period_end"]
    inlines = [PlanStatementInline, MilestoneStageInline]


class StrategicObjectiveInline(admin.StackedInline):
    model = StrategicObjective
    extra = 0


@admin.register(Axis)
class AxisAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "plan"]
    list_filter = ["plan"]
    inlines = [StrategicObjectiveInline]


class ResultInline(admin.StackedInline):
    model = Result
    extra = 0


@admin.register(StrategicObjective)
class StrategicObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label", "axis"]
    list_filter = ["axis__plan", "axis"]
    inlines = [ResultInline]


class IndicatorInline(admin.StackedInline):
    model = Indicator
    extra = 0


@admin.register(Result)
class ResultAdmin(SimpleHistoryAdmin):
    list_display = ["code", "label", "objective", "target_year"]
    list_filter = ["objective__axis"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "statement", "kind", "source", "baseline_value", "target_value"]
    list_filter = ["kind", "source", "result__objective__axis"]
    search_fields = ["code", "statement", "statement_en"]


@admin.register(WorkingCommittee)
class WorkingCommitteeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "plan"]
    filter_horizontal = ["countries", "members"]


class OperationalObjectiveInline(admin.TabularInline):
    model = OperationalObjective
    extra = 0
    fields = ["code", "order", "strategic_objective", "statement", "weight", "cancelled"]


@admin.register(OperatingPlan)
class OperatingPlanAdmin(SimpleHistoryAdmin):
    list_display = ["name", "year", "plan", "weight"]
    inlines = [OperationalObjectiveInline]


class ActivityInline(admin.StackedInline):
    model = Activity
    extra = 0


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fk_name = "objective"


@admin.register(OperationalObjective)
class OperationalObjectiveAdmin(SimpleHistoryAdmin):
    list_display = ["code", "statement", "operating_plan", "weight", "cancelled"]
    list_filter = ["operating_plan"]
    inlines = [GoalInline, ActivityInline]


class ResponsibleInline(admin.TabularInline):
    model = Responsible
    extra = 0


class ActivityGoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fk_name = "activity"


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["code", "statement", "objective", "weight", "start", "end", "cancelled"]
    list_filter = ["objective__operating_plan", "cancelled"]
    search_fields = ["code", "statement", "statement_en"]
    inlines = [ResponsibleInline, ActivityGoalInline]
