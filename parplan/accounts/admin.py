"""The admin's side of signing in (imported by parplan/admin.py).

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
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from parplan.accounts.services import account_password_set_by_administrator


class AccountUserAdmin(UserAdmin):
    list_filter = (*UserAdmin.list_filter, "account__must_change_password")

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


admin.site.unregister(User)
admin.site.register(User, AccountUserAdmin)


class AdministratorsOnly:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessAttempt)
class LockoutAttemptAdmin(AdministratorsOnly, AccessAttemptAdmin):
    """Failed attempts counting towards a lockout; deleting a username's row unlocks it at once."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


@admin.register(AccessLog)
class LoginRecordAdmin(AdministratorsOnly, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class FailedLoginRecordAdmin(AdministratorsOnly, AccessFailureLogAdmin):
    pass
