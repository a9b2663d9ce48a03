"""The Secretariat's administration of meetings. Approved minutes are frozen
here too: every field read-only, no deletion (and the model refuses a save
whatever the path). What approved minutes record (attendance, decisions,
tallies, agreements) is changed through the application's pages, which
refuse once the minutes are approved."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from coalicion.meetings.models import (
    AgendaItem,
    Agreement,
    Attendance,
    CountryReport,
    Decision,
    Event,
    FollowUp,
    Minutes,
    MinutesComment,
)


class FrozenWithMinutes:
    """Once a meeting's minutes are approved, what they record is shown
    read-only here (the models refuse the change anyway)."""

    def _frozen(self, obj) -> bool:
        return obj is not None and obj._is_frozen()

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "kind", "title", "presenter", "duration_minutes"]

    def has_change_permission(self, request, obj=None):
        # obj is the event: its agenda is fixed once approved.
        return obj is None or (not obj.agenda_approved and not obj._is_frozen())

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "number", "start", "country", "status"]
    list_filter = ["kind", "status", "open_to_observers"]
    search_fields = ["title", "title_en", "city"]
    date_hierarchy = "start"
    # The status moves through the application (convene, register, cancel).
    readonly_fields = [
        "status",
        "convened_at",
        "convened_by",
        "agenda_approved_at",
        "version",
        "created_by",
    ]
    filter_horizontal = ["activities"]
    exclude = ["carried_agreements"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        if obj._is_frozen():
            # Approved minutes: only what Event.MUTABLE_WHEN_FROZEN names.
            return [
                f.name
                for f in obj._meta.fields
                if f.name not in obj.MUTABLE_WHEN_FROZEN or f.name == "version"
            ] + ["activities"]
        if obj.agreements.exists() or obj.attendance.exists():
            # Agreements are numbered after kind, number and year; the
            # register was taken for the member countries of that date.
            fields += ["kind", "number", "start"]
        return fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj._is_frozen():
            return False
        return super().has_delete_permission(request, obj)

    inlines = [AgendaItemInline]


@admin.register(Attendance)
class AttendanceAdmin(FrozenWithMinutes, SimpleHistoryAdmin):
    list_display = ["event", "country", "status", "titular", "alternate"]
    list_filter = ["status", "country"]
    raw_id_fields = ["event", "titular", "alternate"]


@admin.register(CountryReport)
class CountryReportAdmin(FrozenWithMinutes, SimpleHistoryAdmin):
    list_display = ["event", "country", "updated_at"]
    list_filter = ["country"]
    readonly_fields = ["version"]


@admin.register(Decision)
class DecisionAdmin(FrozenWithMinutes, SimpleHistoryAdmin):
    list_display = ["event", "number", "method", "majority", "adopted"]
    list_filter = ["method", "adopted"]
    # The result follows from the objections and tallies (counting.py).
    readonly_fields = ["event", "number", "method", "majority", "adopted"]


class MinutesCommentInline(admin.TabularInline):
    model = MinutesComment
    extra = 0
    fields = ["author", "country", "text", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Minutes)
class MinutesAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "status", "circulated_at", "approved_at", "pdf_sha256"]
    list_filter = ["status"]
    inlines = [MinutesCommentInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return [field.name for field in obj._meta.fields]
        return [
            "status",
            "circulated_at",
            "approved_at",
            "approved_by",
            "approved_at_event",
            "pdf",
            "pdf_sha256",
            "version",
        ]

    def has_change_permission(self, request, obj=None):
        # Frozen minutes are shown, never saved: a POST to their page is refused.
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_frozen:
            return False
        return super().has_delete_permission(request, obj)


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0
    fields = ["date", "status", "text", "author"]
    readonly_fields = fields
    can_delete = False  # the entries are the agreement's status history

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agreement)
class AgreementAdmin(FrozenWithMinutes, SimpleHistoryAdmin):
    list_display = ["code", "event", "kind", "due", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["code", "text"]
    # The status changes only through follow-up entries (so it is known on any date).
    readonly_fields = ["code", "sequence", "status", "closed_on", "event", "created_by"]
    inlines = [FollowUpInline]
