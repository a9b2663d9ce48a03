"""The Secretariat's administration of the cooperation records. Instrument
types are kept here; instruments are not: they change stage only through
their page, where every change is added to their history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coalicion.cooperation.models import (
    Actor,
    Alliance,
    GoodPractice,
    InstrumentType,
    JointAction,
    Replication,
    ResourceRequest,
)


@admin.register(InstrumentType)
class InstrumentTypeAdmin(SimpleHistoryAdmin):
    list_display = ["name", "scope", "indicator_code", "order"]


@admin.register(GoodPractice)
class GoodPracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "country", "area", "registered_on"]
    list_filter = ["country", "area"]


admin.site.register(Replication, SimpleHistoryAdmin)
admin.site.register(Actor, SimpleHistoryAdmin)
admin.site.register(Alliance, SimpleHistoryAdmin)
admin.site.register(JointAction, SimpleHistoryAdmin)
admin.site.register(ResourceRequest, SimpleHistoryAdmin)
