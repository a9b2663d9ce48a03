from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coalicion.monitoring.models import Evidence, IndicatorValue, ProgressReport, ReportingPeriod


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


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["activity", "period", "percent", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "period__operating_plan"]
    search_fields = ["activity__code", "activity__statement", "narrative"]
    readonly_fields = ["version"]
    inlines = [EvidenceInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "country", "value", "stage", "status"]
    list_filter = ["status", "year", "country"]
    readonly_fields = ["version"]
