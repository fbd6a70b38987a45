"""Bounds on what people type (parplan.validators, parplan.forms): control characters, plan dates, no-op saves."""

from __future__ import annotations

import datetime
import importlib
import inspect
from typing import Any

import lxml.html  # type: ignore[import-untyped]  # python-docx brings lxml; no stubs are installed
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from parplan.forms import PortalForm, TextGuard, UnitContactForm
from parplan.models import Unit
from parplan.validators import ControlCharactersValidator, PlanDateValidator, plan_date_errors, plan_date_range

pytestmark = pytest.mark.django_db

CONTROL = "Nội dung chứa ký tự điều khiển không hợp lệ (ví dụ ký tự NUL); hãy xóa rồi nhập lại."
DJANGO_NUL = "Null characters are not allowed."
COMMUNE = "06184"  # Thị trấn Đồng Đăng: commune_head may edit its contact page
CONTACT = {"email": "dongdang@caoloc.langson.gov.vn", "phone": "0205 3851 234", "address": "Khối 1, Đồng Đăng"}
# Every app with forms a person fills in.
FORM_MODULES = ["parplan.forms", "tasks.forms", "tasks.admin", "parplan.admin", "targets.forms", "reports.forms"]


# --- Control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["Khối 1\x00", "chuông\x07", "\x1b[31mđỏ", "xóa\x7f", "C1\x85"])
def test_control_characters_are_refused_in_a_line_and_in_a_text_area(text: str) -> None:
    for multiline in (False, True):
        with pytest.raises(ValidationError) as raised:
            ControlCharactersValidator(multiline=multiline)(text)
        assert raised.value.messages == [CONTROL]


def test_a_text_area_keeps_its_tabs_and_line_breaks() -> None:
    ControlCharactersValidator(multiline=True)("Dòng 1\r\n\tDòng 2\nDòng 3")


@pytest.mark.parametrize("text", ["Tên\tcột", "Hai\ndòng"])
def test_a_one_line_field_refuses_tabs_and_line_breaks(text: str) -> None:
    with pytest.raises(ValidationError):
        ControlCharactersValidator(multiline=False)(text)


def test_vietnamese_text_and_typographic_marks_pass() -> None:
    ControlCharactersValidator()("Ủy ban nhân dân “Đồng Đăng” – 100% hồ sơ…")


def test_a_nul_in_a_portal_form_says_so_in_vietnamese_only() -> None:
    form = UnitContactForm({"address": "Khối 1\x00", "phone": "", "email": ""})
    assert not form.is_valid()
    assert form.errors["address"] == [CONTROL]


def test_a_field_added_after_the_form_was_built_is_guarded_too() -> None:
    class Late(PortalForm):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields["comment"] = forms.CharField(widget=forms.Textarea)

    form = Late({"comment": "Ý kiến\x07"})
    assert not form.is_valid()
    assert form.errors["comment"] == [CONTROL]
    # Validating twice adds the check once.
    assert sum(isinstance(v, ControlCharactersValidator) for v in form.fields["comment"].validators) == 1


def _portal_forms() -> list[type[forms.BaseForm]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == name:
                found.append(value)
    return found


def test_every_portal_form_guards_its_text_fields() -> None:
    found = _portal_forms()
    assert len(found) >= 15  # the walk finds the forms, not nothing
    assert [form.__qualname__ for form in found if not issubclass(form, TextGuard)] == []


def test_the_unit_page_refuses_a_nul_in_vietnamese_and_saves_nothing(client_for: Any, commune_head: Any) -> None:
    response = client_for(commune_head).post(reverse("unit-edit", args=[COMMUNE]), CONTACT | {"address": "Khối\x001"})
    assert response.status_code == 200
    page = response.content.decode()
    assert CONTROL in page and DJANGO_NUL not in page
    assert Unit.objects.get(code=COMMUNE).address != "Khối\x001"


def test_the_login_form_refuses_a_nul_in_vietnamese(db: Any) -> None:
    response = Client().post(reverse("login"), {"username": "noivu\x00", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert CONTROL in page and DJANGO_NUL not in page


# --- Dates within a plan's years ---------------------------------------------------------------


def test_a_plans_dates_run_from_the_year_before_to_the_year_after() -> None:
    assert plan_date_range(2024) == (datetime.date(2023, 1, 1), datetime.date(2025, 12, 31))


@pytest.mark.parametrize("day", [datetime.date(1900, 1, 1), datetime.date(9999, 12, 31), datetime.date(2022, 12, 31)])
def test_a_date_outside_the_plans_years_is_refused_naming_the_range(day: datetime.date) -> None:
    message = "Ngày phải trong khoảng 01/01/2023 – 31/12/2025 (năm kế hoạch 2024, thêm một năm trước và sau)."
    with pytest.raises(ValidationError) as raised:
        PlanDateValidator(2024)(day)
    assert raised.value.messages == [message]
    assert plan_date_errors(2024, due_date=day) == {"due_date": [message]}


@pytest.mark.parametrize("day", [datetime.date(2023, 1, 1), datetime.date(2025, 12, 31), None])
def test_the_first_and_last_day_of_the_range_and_no_date_pass(day: datetime.date | None) -> None:
    assert plan_date_errors(2024, due_date=day) == {}


# --- A save that changes nothing -----------------------------------------------------------------


def test_saving_the_unit_contact_unchanged_says_nothing_changed(client_for: Any, commune_head: Any) -> None:
    client = client_for(commune_head)
    client.post(reverse("unit-edit", args=[COMMUNE]), CONTACT, follow=True)
    history = Unit.history.filter(code=COMMUNE).count()
    response = client.post(reverse("unit-edit", args=[COMMUNE]), CONTACT, follow=True)
    page = response.content.decode()
    assert "Không có thay đổi nào để lưu." in page
    assert "Đã lưu thông tin đơn vị." not in page
    assert Unit.history.filter(code=COMMUNE).count() == history


# --- Usernames longer than a username can be ---------------------------------------------------

LONG_NAME = "n" * 10_000
MAX_LENGTH = "Giá trị này chỉ được có tối đa 150 ký tự (hiện có 10000)."


@pytest.mark.parametrize("login", ["login", "admin:login"])
def test_a_login_with_a_10000_character_username_is_refused_in_vietnamese(db: Any, login: str) -> None:
    # It reached authenticate(), and django-axes' record of the failure (varchar(255)) answered 500.
    from axes.models import AccessAttempt, AccessFailureLog

    response = Client(raise_request_exception=False).post(reverse(login), {"username": LONG_NAME, "password": "x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert MAX_LENGTH in page
    assert 'maxlength="150"' in page  # the limit is stated before anything is sent
    assert not AccessAttempt.objects.exists() and not AccessFailureLog.objects.exists()


def test_the_admin_login_refuses_a_nul_in_vietnamese(db: Any) -> None:
    response = Client().post(reverse("admin:login"), {"username": "admin\x00", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert CONTROL in page and DJANGO_NUL not in page


def test_a_refused_form_opens_on_a_summary_linking_each_mistake_to_its_field(
    client_for: Any, commune_head: Any
) -> None:
    """Every form drawn by templates/_form_fields.html: one summary first, focused, each error a link to the
    field it is about (WCAG 3.3.1); the fields keep their own message, not a second alert."""
    response = client_for(commune_head).post(
        reverse("unit-edit", args=[COMMUNE]), CONTACT | {"email": "không phải thư", "address": "Khối\x001"}
    )
    page = lxml.html.fromstring(response.content.decode())
    [summary] = page.xpath("//div[@class='error-summary']")
    assert summary.get("role") == "alert" and page.xpath("//*[@autofocus]") == [
        page.get_element_by_id(summary.xpath(".//a/@href")[0][1:])
    ]
    assert summary.xpath("h2")[0].text_content() == "Chưa lưu được: hãy sửa các mục sau."
    links = {link.get("href"): link.text_content() for link in summary.xpath(".//a")}
    assert links == {
        "#id_email": "Thư điện tử: Nhập một địa chỉ thư điện tử hợp lệ.",
        "#id_address": f"Địa chỉ: {CONTROL}",
    }
    for href in links:
        [field] = page.xpath(f"//input[@id='{href[1:]}']")
        assert field.get("aria-invalid") == "true" and field.get("aria-describedby") == f"{href[1:]}_error"
    assert page.xpath("//form//*[@role='alert']") == [summary]
    assert Unit.objects.get(code=COMMUNE).email != "không phải thư"
