from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django import forms
from django.utils.translation import gettext_lazy as _

from parplan.models import Unit


class UnitContactForm(forms.Form):
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
