"""Django admin for the secretariat and administrators.

Writes that carry rights (memberships, unit paths) go through the services,
so the admin cannot leave rights out of step with the data.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from parplan.models import Membership, Plan, ReformArea, Responsibility, Unit, UnitKind
from parplan.services import membership_add, membership_remove, unit_update_contact, unit_upsert

admin.site.site_header = "ParPlan — Quản trị"
admin.site.site_title = "ParPlan"


@admin.register(UnitKind)
class UnitKindAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "administrative_level"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["kind", "parent"]
    readonly_fields = ["path"]

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        saved = unit_upsert(code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent, position=obj.position)
        unit_update_contact(unit=saved, email=obj.email, phone=obj.phone, address=obj.address)
        obj.pk, obj.path = saved.pk, saved.path


class ReformAreaInline(admin.TabularInline):
    model = ReformArea
    extra = 0


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "year", "issuing_unit", "status"]
    list_filter = ["status", "year"]
    inlines = [ReformAreaInline]


@admin.register(Responsibility)
class ResponsibilityAdmin(SimpleHistoryAdmin):
    list_display = ["number", "heading", "plan"]
    filter_horizontal = ["units"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["unit"]

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change:
            membership_remove(membership=Membership.objects.get(pk=obj.pk))
        saved = membership_add(user=obj.user, unit=obj.unit, role=obj.role)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_remove(membership=obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for membership in queryset:
            membership_remove(membership=membership)
