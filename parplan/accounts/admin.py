"""The admin's side of signing in and of rights (imported by parplan/admin.py).

- People (users) and groups are changed by administrators only, whatever
  Django permissions a group holds: a person's flags, groups and rights, and
  any password, decide who changes everything else (docs/access.md). Each
  change is recorded with who made it and why (parplan.audit).

- A password an administrator sets for someone else, on a new user or with
  "change password", must be changed by its owner at the next login.
- django-axes' records, for administrators only: the attempts that lock a
  username out (delete one to unlock it), the logins and the failed logins
  (read-only: a record of what happened).
"""

from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group, User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy

from parplan.access import is_administrator
from parplan.accounts.services import account_password_set_by_administrator
from parplan.audit import rights_changed_by
from parplan.http import signed_in_user


class AdministratorsManage:
    """Only administrators (active superusers) see, add, change or delete here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)


def _reason_field() -> forms.CharField:
    return forms.CharField(
        label=gettext_lazy("Lý do thay đổi"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Vì sao thay đổi quyền, nhóm hoặc trạng thái; được ghi vào nhật ký thay đổi quyền."),
    )


class ReasonedUserChangeForm(UserChangeForm):
    reason = _reason_field()


class ReasonedGroupForm(forms.ModelForm):
    reason = _reason_field()

    class Meta:
        model = Group
        fields = ["name", "permissions"]


class RecordedRightsAdmin(AdministratorsManage):
    """The user's or group's rights (flags, groups, permissions) are saved as the person, for the reason typed."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with rights_changed_by(signed_in_user(request), form.cleaned_data.get("reason", "")):
            super().save_model(request, obj, form, change)  # type: ignore[misc]  # a mixin of ModelAdmin

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The groups and rights are saved here, after the account itself.
        with rights_changed_by(signed_in_user(request), form.cleaned_data.get("reason", "")):
            super().save_related(request, form, formsets, change)  # type: ignore[misc]  # a mixin of ModelAdmin


# Django's own sections (their titles in Django's catalogue); typed loosely by the stubs.
_DJANGO_FIELDSETS: Any = UserAdmin.fieldsets


class AccountUserAdmin(RecordedRightsAdmin, UserAdmin):
    form = ReasonedUserChangeForm
    list_filter = (*UserAdmin.list_filter, "account__must_change_password")
    # Stamped by Django at creation and at each login: records, which nobody types.
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        *_DJANGO_FIELDSETS[:2],
        (
            _DJANGO_FIELDSETS[2][0],
            {"fields": (*_DJANGO_FIELDSETS[2][1]["fields"], "reason")},
        ),  # the reason by the rights
        *_DJANGO_FIELDSETS[3:],
    )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            account_password_set_by_administrator(user=obj)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        # Django's view redirects once the new password is saved, and re-shows the form otherwise.
        if request.method == "POST" and isinstance(response, HttpResponseRedirect) and str(request.user.pk) != id:
            user = User.objects.get(pk=id)
            if user.has_usable_password():
                account_password_set_by_administrator(user=user)
        return response


class RecordedGroupAdmin(RecordedRightsAdmin, GroupAdmin):
    form = ReasonedGroupForm


admin.site.unregister(User)
admin.site.register(User, AccountUserAdmin)
admin.site.unregister(Group)
admin.site.register(Group, RecordedGroupAdmin)


class AdministratorsRead:
    """Only administrators (active superusers) see the records here; nobody adds, changes or deletes them.

    For trails written by the code (sign-ins, rights changes, evidence files), whose rows must stay as written.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_administrator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_administrator(request.user)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessAttempt)
class LockoutAttemptAdmin(AdministratorsRead, AccessAttemptAdmin):
    """Failed attempts counting towards a lockout; deleting a username's row unlocks it at once."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(AccessLog)
class LoginRecordAdmin(AdministratorsRead, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class FailedLoginRecordAdmin(AdministratorsRead, AccessFailureLogAdmin):
    pass
