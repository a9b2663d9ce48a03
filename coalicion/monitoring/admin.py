from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coalicion.monitoring.models import (
    Evidence,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportStatus,
)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "operating_plan", "start", "end", "due", "closed_at"]
    list_filter = ["operating_plan"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ValidatedIsFinal:
    """A validated item is what the figures were made of: it cannot be edited
    or deleted here (the "as of" views would silently change)."""

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status == ReportStatus.VALIDATED:
            return [field.name for field in obj._meta.fields]
        return ["version"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status == ReportStatus.VALIDATED:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(ProgressReport)
class ProgressReportAdmin(ValidatedIsFinal, SimpleHistoryAdmin):
    list_display = ["activity", "period", "percent", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "period__operating_plan"]
    search_fields = ["activity__code", "activity__statement", "narrative"]
    inlines = [EvidenceInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ValidatedIsFinal, SimpleHistoryAdmin):
    list_display = ["indicator", "year", "country", "value", "stage", "status"]
    list_filter = ["status", "year", "country"]
