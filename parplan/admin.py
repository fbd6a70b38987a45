"""Django admin for the secretariat and administrators.

Writes that carry rights or derived data (memberships, unit codes and paths)
go through the services, so the admin cannot leave them out of step. Records
of the workflow (progress reports, figures, extension requests…) are shown
read-only with `ReadOnlyAdmin`: their own pages' services write them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from parplan.http import signed_in_user
from parplan.models import Membership, Plan, ReformArea, Responsibility, Unit, UnitKind
from parplan.services import membership_add, membership_remove, unit_update, unit_update_contact, unit_upsert

admin.site.site_header = "ParPlan — Quản trị"
admin.site.site_title = "ParPlan"


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """To look at a workflow record and its history; the workflow's services write it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(UnitKind)
class UnitKindAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "administrative_level"]


class UnitAdminForm(forms.ModelForm):
    def clean_parent(self) -> Unit | None:
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        if parent is not None and unit.pk is not None and Unit.objects.subtree_of(unit).filter(pk=parent.pk).exists():
            raise forms.ValidationError(
                _("Đơn vị cấp trên không được là chính đơn vị này hoặc một đơn vị trực thuộc nó.")
            )
        return parent


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    form = UnitAdminForm
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["kind", "parent"]
    readonly_fields = ["path"]

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        # An edit finds the unit by id: a new code renames it (and its subtree's paths).
        user = signed_in_user(request)
        if change:
            saved = unit_update(unit=obj, code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent,
                                position=obj.position, user=user)  # fmt: skip
        else:
            saved = unit_upsert(code=obj.code, name=obj.name, kind=obj.kind, parent=obj.parent,
                                position=obj.position, user=user)  # fmt: skip
        unit_update_contact(unit=saved, email=obj.email, phone=obj.phone, address=obj.address)
        obj.pk, obj.path = saved.pk, saved.path


class ReformAreaInline(admin.TabularInline):
    model = ReformArea
    extra = 0
    # Deleting an area deletes its tasks with their progress, reports and files.
    can_delete = False


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
