"""The portal's form bases and the core's own forms.

Every form of the portal derives from `PortalForm` or `PortalModelForm`: their text
fields refuse control characters with a Vietnamese message (Django's own check
for NUL says "Null characters are not allowed." in English, and lets the other
control characters through).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from parplan.models import Unit
from parplan.validators import ControlCharactersValidator, PlanDateValidator


def guard_text_fields(form: forms.BaseForm) -> None:
    """Give every text field of `form` the control-character check in place of Django's NUL check.

    Idempotent, and run before each validation, so fields a form adds in its
    `__init__` (a narrative's area comments) are guarded too.
    """
    for field in form.fields.values():
        if not isinstance(field, forms.CharField):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        replaced = (ProhibitNullCharactersValidator, ControlCharactersValidator)
        kept = [validator for validator in field.validators if not isinstance(validator, replaced)]
        field.validators = [*kept, ControlCharactersValidator(multiline=multiline)]


class TextGuard(forms.BaseForm):
    """The control-character check on every text field (see `guard_text_fields`)."""

    def full_clean(self) -> None:
        guard_text_fields(self)
        super().full_clean()


class PortalForm(TextGuard, forms.Form):
    pass


# ModelForm is generic only in django-stubs: subscripting it fails at run time.
class PortalModelForm(TextGuard, forms.ModelForm):  # type: ignore[type-arg]
    pass


class LoginForm(TextGuard, AuthenticationForm):
    pass


def bound_dates(form: forms.BaseForm, year: int, *names: str) -> None:
    """Keep the named date fields within the range of the plan of `year` (parplan.validators)."""
    for name in names:
        field = form.fields[name]
        field.validators = [*field.validators, PlanDateValidator(year)]


class UnitContactForm(PortalForm):
    """Plain form (not a ModelForm) so the service, not the form, writes the unit."""

    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=40, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)

    @classmethod
    def for_unit(cls, unit: Unit, data: Mapping[str, Any] | None = None) -> UnitContactForm:
        return cls(data, initial={"email": unit.email, "phone": unit.phone, "address": unit.address})


_FieldT = TypeVar("_FieldT", bound=forms.Field)


def form_field(form: forms.BaseForm, name: str, kind: type[_FieldT]) -> _FieldT:
    """`form.fields[name]` as the class it was declared with, to narrow its queryset or choices."""
    field = form.fields[name]
    if not isinstance(field, kind):
        raise TypeError(f"{type(form).__name__}.{name} is a {type(field).__name__}, not a {kind.__name__}")
    return field
