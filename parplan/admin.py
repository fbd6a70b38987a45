"""Django admin for the secretariat and administrators.

Writes that carry rights or derived data (memberships, unit codes and paths)
go through the services, so the admin cannot leave them out of step. Records
of the workflow (progress reports, figures, extension requests…) are shown
read-only with `ReadOnlyAdmin`: their own pages' services write them.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import reduce
from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import Field as FormField
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from parplan.access import (
    ADMIN_SITE_ROLES,
    can_manage_membership,
    has_perm_at,
    is_administrator,
    rights_scope,
    scope_filter,
)
from parplan.accounts import admin as accounts_admin  # also registers the users' and axes' pages
from parplan.forms import AdminLoginForm, NumberField, NumberTextInput, PortalModelForm, WholeNumberField
from parplan.http import signed_in_user
from parplan.models import Membership, Plan, ReformArea, Responsibility, RightsChange, Role, Unit, UnitKind
from parplan.services import membership_add, membership_remove, unit_update, unit_update_contact, unit_upsert

admin.site.site_header = gettext_lazy("ParPlan — Quản trị")
admin.site.site_title = "ParPlan"
admin.site.login_form = AdminLoginForm

# Where a model's rows lie in the unit tree: the lookup to their unit's path.
# The apps above the core add their own models (targets, tasks).
SCOPE_LOOKUPS: dict[type[models.Model], str] = {
    Unit: "path",
    Plan: "issuing_unit__path",
    ReformArea: "plan__issuing_unit__path",
    Responsibility: "plan__issuing_unit__path",
    Membership: "unit__path",
}


def _perm(model: type[models.Model], action: str) -> str:
    return f"{model._meta.app_label}.{get_permission_codename(action, model._meta)}"


def _path(obj: models.Model) -> str:
    path = reduce(getattr, SCOPE_LOOKUPS[type(obj)].split("__"), obj)
    assert isinstance(path, str)
    return path


# Numbers in the admin are read as on the portal's pages (parplan.numbers), in text boxes:
# the admin's `<input type=number>` is localized by each browser in its own way.
_WHOLE_NUMBER = {"form_class": WholeNumberField, "widget": NumberTextInput(attrs={"class": "vIntegerField"})}
NUMBER_OVERRIDES: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.DecimalField: {"form_class": NumberField},
    models.IntegerField: _WHOLE_NUMBER,
    models.BigIntegerField: _WHOLE_NUMBER,
}


class ScopedChoicesMixin:
    """Related objects offered in a form lie where the person may change this model's rows (docs/access.md)."""

    model: type[models.Model]
    formfield_overrides: ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]] = NUMBER_OVERRIDES

    def get_field_queryset(self, db: str | None, db_field: Any, request: HttpRequest) -> models.QuerySet | None:
        queryset = super().get_field_queryset(db, db_field, request)  # type: ignore[misc]  # a mixin of ModelAdmin
        related = db_field.remote_field.model
        if related not in SCOPE_LOOKUPS:
            return queryset
        scope = scope_filter(signed_in_user(request), _perm(self.model, "change"), SCOPE_LOOKUPS[related])
        if scope is None:
            return queryset
        return (related._default_manager.using(db) if queryset is None else queryset).filter(scope)


def _is_key_of(model: type[models.Model], value: str) -> bool:
    try:
        model._meta.pk.to_python(unquote(value))
    except ValidationError:
        return False
    return True


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's admin, with a 404 for an id in the URL that no row could have.

    Its history pages pass the URL's ids straight to a query, and `/admin/parplan/unit/abc/history/`
    answered 500 (ValueError); Django's own change page shows such an id as not found.
    """

    def history_view(self, request: HttpRequest, object_id: str, extra_context: Any = None) -> HttpResponse:
        if not _is_key_of(self.model, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        if not _is_key_of(self.model, object_id) or not _is_key_of(history.model, version_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedAdmin(ScopedChoicesMixin, HistoryAdmin):
    """A person who is not an administrator sees and changes here only the rows of their authorities.

    The admin is where the secretariat changes things, so the rows it lists are
    those where the person may change them; a row outside is "not found", and
    its history is refused.
    """

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        scope = scope_filter(signed_in_user(request), _perm(self.model, "change"), SCOPE_LOOKUPS[self.model])
        return queryset if scope is None else queryset.filter(scope)

    def _lies_within(self, request: HttpRequest, action: str, obj: models.Model | None) -> bool:
        return obj is None or has_perm_at(signed_in_user(request), _perm(self.model, action), _path(obj))

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_view_permission(request, obj) and self._lies_within(request, "change", obj)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._lies_within(request, "change", obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._lies_within(request, "delete", obj)


class ScopedInline(ScopedChoicesMixin, admin.TabularInline):
    """An inline of a scoped admin: its rows follow the parent's; its choices are scoped."""


class ReadOnlyAdmin(ScopedAdmin):
    """To look at a workflow record and its history (of the person's authorities); the workflow's services write it."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(UnitKind)
class UnitKindAdmin(admin.ModelAdmin):
    """Kinds are shared by every authority, and say what a membership speaks for: only administrators change them.

    A plain admin: kinds keep no history, and the history pages would fail on them.
    """

    list_display = ["code", "name", "administrative_level"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: UnitKind | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: UnitKind | None = None) -> bool:
        return request.user.is_superuser


class UnitAdminForm(PortalModelForm):
    def clean_parent(self) -> Unit | None:
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        if parent is not None and unit.pk is not None and Unit.objects.subtree_of(unit).filter(pk=parent.pk).exists():
            raise forms.ValidationError(
                _("Đơn vị cấp trên không được là chính đơn vị này hoặc một đơn vị trực thuộc nó.")
            )
        return parent


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    form = UnitAdminForm
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["kind", "parent"]
    readonly_fields = ["path"]

    def _is_own_authority(self, request: HttpRequest, obj: models.Model | None) -> bool:
        scope = rights_scope(signed_in_user(request), "parplan.change_unit")
        return isinstance(obj, Unit) and scope is not None and obj.path in scope

    # An authority's own unit (its kind, its parent) decides what its memberships speak
    # for: its secretariat changes the units below it, an administrator the unit itself.
    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and not self._is_own_authority(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._is_own_authority(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> FormField | None:
        if db_field.name == "parent" and not request.user.is_superuser:
            kwargs["required"] = True  # a unit without a parent would lie outside every authority
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

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


class ReformAreaInline(ScopedInline):
    model = ReformArea
    extra = 0
    # Deleting an area deletes its tasks with their progress, reports and files.
    can_delete = False


@admin.register(Plan)
class PlanAdmin(ScopedAdmin):
    list_display = ["title", "year", "issuing_unit", "status"]
    list_filter = ["status", "year"]
    inlines = [ReformAreaInline]

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        # Deleting a plan takes its tasks, progress, figures, files and reports with it: administrators only.
        return bool(request.user.is_superuser) and super().has_delete_permission(request, obj)


@admin.register(Responsibility)
class ResponsibilityAdmin(ScopedAdmin):
    list_display = ["number", "heading", "plan"]
    filter_horizontal = ["units"]


class MembershipAdminForm(PortalModelForm):
    reason = forms.CharField(
        label=gettext_lazy("Lý do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Vì sao giao hoặc thay đổi vai trò này; được ghi vào lịch sử."),
    )

    class Meta:
        model = Membership
        fields = ["user", "unit", "role"]


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """Memberships are rights: each is given and taken by `membership_add` and `membership_remove`, as the person.

    The roles that open the admin site (administrator, secretariat) are managed by
    administrators only (parplan.access.can_manage_membership): the secretariat
    neither sees, gives, changes nor takes them, its own included.
    """

    form = MembershipAdminForm
    list_display = ["user", "unit", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["unit"]

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        if is_administrator(request.user):
            return queryset
        return queryset.exclude(role__in=ADMIN_SITE_ROLES)

    def _lies_within(self, request: HttpRequest, action: str, obj: models.Model | None) -> bool:
        user = signed_in_user(request)
        if isinstance(obj, Membership) and not can_manage_membership(user, obj.role, obj.unit):
            return False
        return super()._lies_within(request, action, obj)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> FormField | None:
        if db_field.name == "role" and not is_administrator(request.user):
            kwargs["choices"] = [(value, label) for value, label in Role.choices if value not in ADMIN_SITE_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        actor, reason = signed_in_user(request), form.cleaned_data.get("reason", "")
        # A reverted history version may name a membership removed since: nothing to take then.
        current = Membership.objects.filter(pk=obj.pk).first() if change else None
        if current is not None:
            membership_remove(membership=current, actor=actor, reason=reason)
        saved = membership_add(user=obj.user, unit=obj.unit, role=obj.role, actor=actor, reason=reason)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_remove(membership=obj, actor=signed_in_user(request))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for membership in queryset:
            membership_remove(membership=membership, actor=signed_in_user(request))


@admin.register(RightsChange)
class RightsChangeAdmin(accounts_admin.AdministratorsRead, admin.ModelAdmin):
    """The trail of every change of rights (parplan.audit): administrators read it; nobody edits it."""

    list_display = ["at", "actor", "kind", "granted", "person", "group", "permission", "object_type", "object_pk",
                    "reason"]  # fmt: skip
    list_filter = ["kind", "granted"]
    search_fields = ["actor", "person", "group", "permission", "reason"]
    date_hierarchy = "at"
