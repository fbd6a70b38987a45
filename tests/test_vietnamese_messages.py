"""Django's and the third-party apps' messages that the portal shows are in Vietnamese.

Django's Vietnamese catalogue dates from 2020: some messages are missing
("Null characters are not allowed.") and some wrong ("Nhập một số tổng thể." for
"Enter a whole number."); django-simple-history has no Vietnamese at all.
locale/vi/LC_MESSAGES/django.po corrects them (docs/i18n.md). django-guardian's
messages are never shown: the portal uses its permission checks, not its admin
pages or its 403 view (GUARDIAN_RAISE_403 is off, parplan.errors renders 403s).
"""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.utils import translation

from parplan.models import Unit

# The form fields the portal's forms use (parplan, targets, tasks, reports).
FIELDS = [
    forms.CharField, forms.IntegerField, forms.DecimalField, forms.DateField, forms.ChoiceField,
    forms.TypedChoiceField, forms.ModelChoiceField, forms.ModelMultipleChoiceField, forms.FileField,
    forms.EmailField, forms.BooleanField,
]  # fmt: skip
# The validators behind those fields' limits (max_length, min_value…) and the e-mail address.
VALIDATORS: list[validators.BaseValidator | validators.ProhibitNullCharactersValidator | validators.EmailValidator] = [
    validators.ProhibitNullCharactersValidator(), validators.MinValueValidator(0), validators.MaxValueValidator(0),
    validators.MaxLengthValidator(1), validators.EmailValidator(),
]  # fmt: skip


def _errors(field: forms.Field, value: object) -> list[str]:
    with translation.override("vi"), pytest.raises(ValidationError) as raised:
        field.clean(value)
    return raised.value.messages


@pytest.mark.parametrize(
    "field, value, message",
    [
        (forms.IntegerField(), "x", "Nhập một số nguyên."),
        (forms.CharField(), "a\x00b", "Không được có ký tự rỗng (NUL) trong nội dung."),
        (forms.CharField(), "", "Trường này là bắt buộc."),
        (forms.CharField(max_length=3), "abcd", "Giá trị này chỉ được có tối đa 3 ký tự (hiện có 4)."),
        (forms.IntegerField(min_value=0), "-1", "Giá trị này phải lớn hơn hoặc bằng 0."),
        (forms.IntegerField(max_value=99), "100", "Giá trị này phải nhỏ hơn hoặc bằng 99."),
        (forms.DecimalField(), "x", "Nhập một số."),
        (forms.DecimalField(max_digits=4, decimal_places=1), "12.25", "Số này không được có quá 1 chữ số thập phân."),
        (forms.DecimalField(max_digits=3), "1234", "Số này không được có quá 3 chữ số."),
        (
            forms.DecimalField(max_digits=3, decimal_places=1),
            "123",
            "Phần nguyên của số này không được có quá 2 chữ số.",
        ),
        (forms.DateField(), "31/02/2024", "Nhập một ngày hợp lệ."),
        (forms.ChoiceField(choices=[("a", "A")]), "b", "Hãy chọn một giá trị hợp lệ. b không có trong các lựa chọn."),
        (forms.EmailField(), "noivu", "Nhập một địa chỉ thư điện tử hợp lệ."),
        (forms.BooleanField(), False, "Trường này là bắt buộc."),
        (forms.FileField(), SimpleUploadedFile("bao-cao.pdf", b""), "Tệp gửi lên không có nội dung."),
    ],
    ids=lambda value: repr(value)[:40] if not isinstance(value, forms.Field) else type(value).__name__,
)
def test_a_form_fields_message_is_in_vietnamese(field, value, message):
    assert _errors(field, value) == [message]


@pytest.mark.django_db
def test_a_model_choice_that_does_not_exist_is_refused_in_vietnamese():
    choice = forms.ModelChoiceField(Unit.objects.all())
    assert _errors(choice, "999999") == ["Hãy chọn một giá trị hợp lệ. Giá trị đã chọn không có trong các lựa chọn."]
    several = forms.ModelMultipleChoiceField(Unit.objects.all())
    assert _errors(several, ["x"]) == ["“x” không phải là một giá trị hợp lệ."]
    assert _errors(several, "06184") == ["Nhập một danh sách giá trị."]


def _catalogue_messages() -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for field in FIELDS:
        effective: dict[str, object] = {}  # as Field.__init__ merges them, the subclass's last
        for klass in reversed(field.__mro__):
            effective.update(getattr(klass, "default_error_messages", {}))
        found += [(f"{field.__name__}.{code}", text) for code, text in effective.items()]
    found += [(type(validator).__name__, validator.message) for validator in VALIDATORS]
    found += [(f"AuthenticationForm.{code}", text) for code, text in AuthenticationForm.error_messages.items()]
    return found


class _Twos(dict[str, int]):
    """Any placeholder is 2: a plural message is a text only once its number is given."""

    def __missing__(self, key: str) -> int:
        return 2


def _text(message: object) -> str:
    return str(message) or str(message % _Twos())  # type: ignore[operator]  # a lazy plural takes %


@pytest.mark.parametrize("name, text", _catalogue_messages(), ids=[name for name, _text in _catalogue_messages()])
def test_every_message_of_the_portals_fields_has_vietnamese(name, text):
    with translation.override("en"):
        english = _text(text)
    with translation.override("vi"):
        vietnamese = _text(text)
    assert english and vietnamese != english, f"{name}: {english!r} has no Vietnamese"


def test_the_login_form_refuses_a_wrong_password_in_vietnamese(db, commune_head):
    request = RequestFactory().post("/accounts/login/")
    with translation.override("vi"):
        form = AuthenticationForm(request, data={"username": commune_head.username, "password": "sai-mat-khau"})
        assert not form.is_valid()
        assert form.non_field_errors() == [
            "Sai tên đăng nhập hoặc mật khẩu. Lưu ý: cả hai đều phân biệt chữ hoa, chữ thường."
        ]


def test_the_login_page_says_it_in_vietnamese(client, commune_head):
    response = client.post("/accounts/login/", {"username": commune_head.username, "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Sai tên đăng nhập hoặc mật khẩu." in response.content.decode()


def test_the_admins_history_page_is_in_vietnamese(client_for, administrator, seed_plan):
    # django-simple-history's page: it ships no Vietnamese of its own.
    html = client_for(administrator).get(f"/admin/parplan/plan/{seed_plan.pk}/history/").content.decode()
    for vietnamese in ("Lịch sử", "Đối tượng", "Người thay đổi", "Lý do thay đổi", "Chọn một thời điểm"):
        assert vietnamese in html
    for english in ("Change reason", "Changed by", "Choose a date", "Bản ghi nhớ"):
        assert english not in html


def test_the_corrections_leave_the_portals_own_text_alone():
    with translation.override("vi"):
        assert str(forms.IntegerField().error_messages["invalid"]) == "Nhập một số nguyên."
        # A portal string is its own Vietnamese, whatever the corrections hold.
        assert translation.gettext("Lưu") == "Lưu"
        assert translation.gettext("Cần nhập một số.") == "Cần nhập một số."
    with translation.override("en"):
        assert str(forms.IntegerField().error_messages["invalid"]) == "Enter a whole number."
        assert translation.gettext("Cần nhập một số.") == "Enter a number."


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_date_is_typed_the_vietnamese_way_in_either_language(language):
    # The corrections change words, not how values are read: config/formats/en reuses vi's.
    with translation.override(language):
        assert forms.DateField().clean("20/01/2024") == datetime.date(2024, 1, 20)
