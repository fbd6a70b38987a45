from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from parplan.models import Unit


class UnitContactForm(forms.Form):
    """Plain form (not a ModelForm) so the service, not the form, writes the unit."""

    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=40, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)

    @classmethod
    def for_unit(cls, unit: Unit, data: dict | None = None) -> UnitContactForm:
        return cls(data, initial={"email": unit.email, "phone": unit.phone, "address": unit.address})
