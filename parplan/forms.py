from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from parplan.formatting import format_number
from parplan.models import Unit
from parplan.numbers import MESSAGES, NumberRule, number_problems, read_number


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


class NumberTextInput(forms.TextInput):
    """A text box, not `<input type=number>`: browsers localize that one each in their own way ("1,5" became 15).

    Shows a value as `format_number` writes it (1,5 in Vietnamese, no trailing zeros); what was typed, as typed.
    """

    def format_value(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if isinstance(value, Decimal | int | float):
            return format_number(value)
        return str(value)


class NumberField(forms.Field):
    """A number typed in the marks of the interface's language (parplan.numbers), checked against its rule.

    Takes the keyword arguments Django's model fields pass (`max_digits`, `decimal_places`, `min_value`,
    `max_value`), so a ModelForm or the admin can use it for a model's DecimalField.
    """

    widget = NumberTextInput
    default_error_messages = MESSAGES

    def __init__(
        self,
        *,
        rule: NumberRule | None = None,
        whole: bool = False,
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        max_digits: int = 16,
        decimal_places: int = 2,
        **kwargs: Any,
    ) -> None:
        self.rule = rule or NumberRule(
            whole=whole,
            minimum=None if min_value is None else Decimal(min_value),
            maximum=None if max_value is None else Decimal(max_value),
            places=0 if whole else decimal_places,
            digits=max_digits,
        )
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(str(value))
        return read_number(str(value), whole=self.rule.whole, messages=self.error_messages)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None:
            problems = number_problems(value, self.rule, self.error_messages)
            if problems:
                raise ValidationError(problems)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # The phone's keypad: digits only for whole numbers, digits and marks otherwise.
        return super().widget_attrs(widget) | {"inputmode": "numeric" if self.rule.whole else "decimal"}


class WholeNumberField(NumberField):
    """Counts, ranks, percent done, days: no decimal part; the value is an int."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("decimal_places", None)
        super().__init__(whole=True, **kwargs)

    def clean(self, value: Any) -> int | None:
        number = super().clean(value)
        return None if number is None else int(number)
