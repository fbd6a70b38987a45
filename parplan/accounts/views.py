"""The account page, the password pages (Django's views with the portal's rules), and the lockout page."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessLog
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parplan.accounts.forms import AccountPasswordChangeForm, AccountPasswordResetForm, LogOutEverywhereForm
from parplan.accounts.services import (
    account_password_changed,
    account_password_reset_by_email,
    account_sessions_end_elsewhere,
)
from parplan.accounts.sessions import MUST_CHANGE_PASSWORD
from parplan.http import AuthenticatedHttpRequest
from parplan.models import Membership

RECENT_LOGINS = 5


def account(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _account_page(request, LogOutEverywhereForm(request=request))


def _account_page(request: AuthenticatedHttpRequest, form: LogOutEverywhereForm, status: int = 200) -> HttpResponse:
    user = request.user
    context = {
        "memberships": Membership.objects.for_user(user).order_by("unit__path", "role"),
        # The person can spot a login that was not theirs.
        "recent_logins": AccessLog.objects.filter(username=user.get_username()).order_by("-attempt_time")[
            :RECENT_LOGINS
        ],
        "form": form,
    }
    return render(request, "registration/account.html", context, status=status)


@require_POST
def log_out_everywhere(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ends the person's sessions on every other browser and device; this one stays signed in."""
    form = LogOutEverywhereForm(request.POST, request=request)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    account_sessions_end_elsewhere(user=request.user, password=form.cleaned_data["password"])
    update_session_auth_hash(request, request.user)
    messages.success(request, _("Đã đăng xuất tài khoản khỏi mọi trình duyệt và thiết bị khác."))
    return redirect("account")


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class: type[PasswordChangeForm] = AccountPasswordChangeForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        must_change = bool(self.request.session.get(MUST_CHANGE_PASSWORD))
        return {**super().get_context_data(**kwargs), "must_change_password": must_change}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        account_password_changed(user=form.user)
        self.request.session.pop(MUST_CHANGE_PASSWORD, None)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """The same page and the same e-mail-sent page whether or not an account has that address."""

    form_class = AccountPasswordResetForm
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}

    @property
    def extra_email_context(self) -> dict[str, Any]:
        # The link's address is the portal's own, not the Host the request claimed.
        return {"base_url": settings.PARPLAN_BASE_URL, "timeout_minutes": settings.PASSWORD_RESET_TIMEOUT // 60}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        account_password_reset_by_email(user=form.user)
        return response


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: Any = None) -> HttpResponse:
    """django-axes' AXES_LOCKOUT_CALLABLE: the portal's page instead of a bare text, on both login pages."""
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cool_off_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
