"""The portal's form bases and the core's own forms.

Every form of the portal derives from `PortalForm` or `PortalModelForm`: their text
fields refuse control characters with a Vietnamese message (Django's own check
for NUL says "Null characters are not allowed." in English, and lets the other
control characters through).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db.models import Q
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from parplan.formatting import format_number
from parplan.models import PLAN_DETAILS, Unit, UnitKind
from parplan.numbers import MESSAGES, NumberRule, number_problems, read_number
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


DATE_INVALID = _("Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy, ví dụ 31/01/2027.")


class FocusingBoundField(BoundField):
    """A field that takes the focus when the page opens, if it is its form's first field with an error.

    A form sent back with errors is often far down a long page (a scorecard, a plan's
    tree): the browser then scrolls to the field to correct, and a screen reader starts
    there, instead of the page opening at its top with nothing wrong in sight.
    """

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        attrs = super().build_widget_attrs(attrs, widget)
        focus = getattr(self.form, "focus_errors", True)
        if focus and self.errors and self.name == next((n for n in self.form.errors if n in self.form.fields), None):
            attrs["autofocus"] = True
        return attrs


class TextGuard(forms.BaseForm):
    """The control-character check on every text field (see `guard_text_fields`), and the focus on an error."""

    bound_field_class = FocusingBoundField
    # The first field with an error takes the focus; a page of several forms turns it off on all but one.
    focus_errors = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                # Django's "Nhập một ngày hợp lệ." does not say how: the portal's dates are dd/mm/yyyy.
                field.error_messages["invalid"] = DATE_INVALID

    def full_clean(self) -> None:
        guard_text_fields(self)
        super().full_clean()


class PortalForm(TextGuard, forms.Form):
    pass


# ModelForm is generic only in django-stubs: subscripting it fails at run time.
class PortalModelForm(TextGuard, forms.ModelForm):  # type: ignore[type-arg]
    pass


class LoginGuard(TextGuard):
    """A login form's checks on the username: no control character, and no longer than a username can be.

    AuthenticationForm sets the username field's `max_length` after building it, so no
    validator checks it: a 10,000-character name reached `authenticate()`, and django-axes'
    record of the failure (username varchar(255)) answered 500.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        if isinstance(username, forms.CharField) and username.max_length is not None:
            username.validators.append(MaxLengthValidator(username.max_length))


class LoginForm(LoginGuard, AuthenticationForm):
    pass


class AdminLoginForm(LoginGuard, AdminAuthenticationForm):
    """The admin's login page, with the portal's checks (`admin.site.login_form`)."""


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


# --- Editing a plan ------------------------------------------------------------------------

# The portal's dates as people type them (Django copies a field's widget, so one instance serves every form).
DATE_INPUT = forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}, format="%d/%m/%Y")
REASON_HELP = _("Bắt buộc khi kế hoạch đang thực hiện; được lưu vào lịch sử thay đổi.")


class ReasonForm(PortalForm):
    """A change to a plan, with why: required once the plan is active (parplan.services.plan_change_reason_check)."""

    reason = forms.CharField(label=_("Lý do thay đổi"), max_length=100, required=False, help_text=REASON_HELP)

    def __init__(self, *args: Any, plan_status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan_status = plan_status

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data.get("reason", "")
        if self.plan_status == "active" and not reason.strip():
            raise ValidationError(_("Kế hoạch đang thực hiện: hãy ghi lý do thay đổi."))
        return reason


class PlanEditForm(ReasonForm):
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    number = forms.CharField(label=_("Số"), max_length=20, required=False)
    symbol = forms.CharField(label=_("Ký hiệu"), max_length=40)
    place = forms.CharField(label=_("Địa danh"), max_length=120, required=False)
    issue_date = forms.DateField(label=_("Ngày ban hành"), required=False, widget=DATE_INPUT)
    legal_bases = forms.CharField(label=_("Căn cứ ban hành"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    purpose = forms.CharField(label=_("Mục đích"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    requirements = forms.CharField(label=_("Yêu cầu"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    closing = forms.CharField(label=_("Đoạn kết"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    recipients = forms.CharField(
        label=_("Nơi nhận"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Mỗi dòng một nơi nhận."),
    )  # fmt: skip
    signing_authority = forms.CharField(label=_("Thẩm quyền ký"), max_length=120, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer_name = forms.CharField(label=_("Người ký"), max_length=120, required=False)
    FIELDS = PLAN_DETAILS
    field_order = [*FIELDS, "reason"]


class AreaEditForm(ReasonForm):
    name = forms.CharField(label=_("Tên lĩnh vực"), max_length=255)
    targets_heading = forms.ChoiceField(
        label=_("Tiêu đề phần chỉ tiêu"), choices=[("Chỉ tiêu", _("Chỉ tiêu")), ("Mục tiêu", _("Mục tiêu"))]
    )
    field_order = ["name", "targets_heading", "reason"]


class ResponsibilityEditForm(ReasonForm):
    heading = forms.CharField(label=_("Cơ quan, đơn vị"), max_length=500)
    text = forms.CharField(label=_("Nhiệm vụ"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị trong cây đơn vị"), queryset=Unit.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    field_order = ["heading", "text", "units", "reason"]

    def __init__(self, *args: Any, issuer: Unit, named: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Units in operation, and those the item already names (a merged commune stays on record).
        below = Unit.objects.below(issuer).filter(Q(active=True) | Q(pk__in=[unit.pk for unit in named]))
        form_field(self, "units", forms.ModelMultipleChoiceField).queryset = below.select_related("kind").order_by(
            "path", "position"
        )


# --- Keeping units current -----------------------------------------------------------------


class UnitStructureForm(PortalForm):
    """A unit's place in the tree: code, name, kind, parent (a new unit, or one renamed or moved)."""

    code = forms.CharField(label=_("Mã đơn vị"), max_length=40, help_text=_("Mã theo danh mục (mã xã của GSO, …)."))
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    kind = forms.ModelChoiceField(label=_("Loại"), queryset=UnitKind.objects.order_by("name"))
    parent = forms.ModelChoiceField(label=_("Trực thuộc"), queryset=Unit.objects.none())
    reason = forms.CharField(label=_("Lý do, văn bản"), max_length=100, help_text=REASON_HELP)

    def __init__(self, *args: Any, parents: Any, parent_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent = form_field(self, "parent", forms.ModelChoiceField)
        parent.queryset = parents
        parent.required = parent_required  # a unit moved keeps its parent when none of the offered is chosen


class UnitsMergeForm(PortalForm):
    units = forms.ModelMultipleChoiceField(
        label=_("Các đơn vị hợp nhất vào đơn vị này"), queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )  # fmt: skip
    on = forms.DateField(label=_("Từ ngày"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Lý do, văn bản"), max_length=100, help_text=_("Ví dụ: Nghị quyết số 1672/NQ-UBTVQH15 ngày 16/6/2025.")
    )

    def __init__(self, *args: Any, candidates: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "units", forms.ModelMultipleChoiceField).queryset = candidates


class UnitEndForm(PortalForm):
    on = forms.DateField(label=_("Ngừng hoạt động từ ngày"), widget=DATE_INPUT)
    reason = forms.CharField(label=_("Lý do, văn bản"), max_length=100)
