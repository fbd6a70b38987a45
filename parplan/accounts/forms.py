"""The account forms. A password typed to confirm goes through `authenticate`, so django-axes counts a wrong one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _password_confirmed(request: HttpRequest, user: User, password: str) -> bool:
    # Not user.check_password(): guessing through these forms would escape the lockout.
    return authenticate(request, username=user.get_username(), password=password) is not None


class AccountPasswordChangeForm(PasswordChangeForm):
    def __init__(self, user: User, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password: str = self.cleaned_data["old_password"]
        if not _password_confirmed(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class LogOutEverywhereForm(forms.Form):
    password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Để xác nhận đúng là bạn."),
    )

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        user = self.request.user
        assert isinstance(user, User)
        if not _password_confirmed(self.request, user, password):
            raise forms.ValidationError(_("Mật khẩu không đúng."), code="password_incorrect")
        return password


class AccountPasswordResetForm(PasswordResetForm):
    # Django's label is "Email", untranslated in its Vietnamese catalogue.
    email = forms.EmailField(
        label=_("Địa chỉ e-mail"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
