from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from coalicion.membership.models import (
    Country,
    NationalBody,
    ObserverMembership,
    ObserverOrganisation,
    Organ,
    OrganFunction,
    OrganTerm,
    Person,
    Representation,
)


class NationalBodyInline(admin.StackedInline):
    model = NationalBody
    extra = 0


@admin.register(Country)
class CountryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "name_en", "is_member", "member_since", "member_until"]
    list_filter = ["is_member"]
    search_fields = ["code", "name", "name_en"]
    inlines = [NationalBodyInline]


@admin.register(NationalBody)
class NationalBodyAdmin(SimpleHistoryAdmin):
    list_display = ["acronym", "name", "country", "kind", "member_institutions"]
    list_filter = ["kind", "country"]
    search_fields = ["acronym", "name", "name_en"]


class OrganFunctionInline(admin.TabularInline):
    model = OrganFunction
    extra = 0


class OrganTermInline(admin.TabularInline):
    model = OrganTerm
    extra = 0


@admin.register(Organ)
class OrganAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_en", "code"]
    inlines = [OrganFunctionInline, OrganTermInline]


@admin.register(OrganTerm)
class OrganTermAdmin(SimpleHistoryAdmin):
    list_display = ["organ", "country", "start", "end"]
    list_filter = ["organ", "country"]
    date_hierarchy = "start"


class RepresentationInline(admin.TabularInline):
    model = Representation
    extra = 0


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["family_name", "given_name", "country", "institution", "email"]
    list_filter = ["country"]
    search_fields = ["family_name", "given_name", "email", "institution"]
    inlines = [RepresentationInline]


@admin.register(Representation)
class RepresentationAdmin(SimpleHistoryAdmin):
    list_display = ["person", "country", "role", "start", "end"]
    list_filter = ["country", "role"]


class ObserverMembershipInline(admin.TabularInline):
    model = ObserverMembership
    extra = 0


@admin.register(ObserverOrganisation)
class ObserverOrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind"]
    list_filter = ["kind"]
    inlines = [ObserverMembershipInline]
