"""Per-request rules of signing in: the session's lifetime, and a password that must be changed first."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from parplan.accounts.sessions import MUST_CHANGE_PASSWORD, SessionEnd, session_check

# What a person who must change their password may still open (static files are served before this).
PASSWORD_CHANGE_ALLOWED = {"password_change", "password_change_done", "logout", "admin:logout", "set_language"}


class SessionLifetimeMiddleware:
    """Ends a session idle for PARPLAN_SESSION_IDLE_MINUTES, or older than PARPLAN_SESSION_HOURS.

    The request then goes on as an anonymous one: LoginRequiredMiddleware sends
    it to the login page, which says why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            ended = session_check(request.session)
            if ended is not None:
                logout(request)
                messages.info(request, _session_end_message(ended))
        return self.get_response(request)


def _session_end_message(ended: SessionEnd) -> str:
    if ended is SessionEnd.IDLE:
        minutes = settings.PARPLAN_SESSION_IDLE_MINUTES
        return ngettext(
            "Phiên làm việc đã kết thúc vì không có thao tác nào trong %(minutes)d phút. Xin đăng nhập lại.",
            "Phiên làm việc đã kết thúc vì không có thao tác nào trong %(minutes)d phút. Xin đăng nhập lại.",
            minutes,
        ) % {"minutes": minutes}
    if ended is SessionEnd.UNSTAMPED:
        return _("Phiên đăng nhập đã hết hạn. Xin đăng nhập lại.")
    hours = settings.PARPLAN_SESSION_HOURS
    return ngettext(
        "Phiên đăng nhập đã quá %(hours)d giờ nên đã kết thúc. Xin đăng nhập lại.",
        "Phiên đăng nhập đã quá %(hours)d giờ nên đã kết thúc. Xin đăng nhập lại.",
        hours,
    ) % {"hours": hours}


class PasswordChangeRequiredMiddleware:
    """Sends a person whose password an administrator set to the password change page, from any page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(MUST_CHANGE_PASSWORD) and request.user.is_authenticated:
            try:
                view_name = resolve(request.path_info).view_name
            except Resolver404:
                view_name = ""  # the 404 page is no way around the rule
            if view_name not in PASSWORD_CHANGE_ALLOWED:
                return redirect("password_change")
        return self.get_response(request)
