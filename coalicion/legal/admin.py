from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coalicion.legal.models import GlossaryTerm, Instrument, Ratification


@admin.register(GlossaryTerm)
class GlossaryTermAdmin(SimpleHistoryAdmin):
    list_display = ["term", "term_en", "plan", "order"]
    search_fields = ["term", "term_en", "definition", "definition_en"]


class RatificationInline(admin.TabularInline):
    model = Ratification
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(SimpleHistoryAdmin):
    list_display = ["name", "scope", "year"]
    list_filter = ["scope"]
    search_fields = ["name", "name_en"]
    filter_horizontal = ["parties"]
    inlines = [RatificationInline]
