"""Numbers as people type them (parplan.numbers, parplan.forms.NumberField): one reading or a refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from parplan.forms import NumberField, WholeNumberField
from parplan.numbers import NumberRule, number_problems, read_number

_NOT_WHOLE = "Chỉ nhận số nguyên, không có phần thập phân (đã nhập “%s”)."


def _refusal(text: str, *, whole: bool = False) -> ValidationError:
    with pytest.raises(ValidationError) as raised:
        read_number(text, whole=whole)
    return raised.value


def _message(error: ValidationError) -> str:
    (message,) = error.messages
    return message


# --- Vietnamese: a decimal comma, a dot between thousands ----------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1,5", Decimal("1.5")),  # was saved as 15
        ("50,5", Decimal("50.5")),
        ("1.234,5", Decimal("1234.5")),
        ("1.234.567", Decimal("1234567")),
        ("1.000.000,25", Decimal("1000000.25")),
        ("138000", Decimal("138000")),
        ("0,25", Decimal("0.25")),
        (" 12,5 ", Decimal("12.5")),
        ("-5", Decimal("-5")),
        ("007", Decimal("7")),
    ],
)
def test_vietnamese_reads_a_decimal_comma_and_thousands_dots(text, number):
    assert read_number(text) == number


def test_a_dot_and_three_digits_is_refused_with_both_readings_named():
    error = _refusal("1.500")
    assert error.code == "ambiguous"
    assert _message(error) == (
        "“1.500” có thể hiểu hai cách: 1500 (dấu chấm tách hàng nghìn) hoặc 1,5 (dấu chấm là dấu thập phân). "
        "Hãy nhập 1500 hoặc 1,5."
    )


def test_a_comma_and_three_digits_is_refused_too_as_english_writes_thousands_so():
    assert _message(_refusal("138,000")) == (
        "“138,000” có thể hiểu hai cách: 138000 (dấu phẩy tách hàng nghìn) hoặc 138 (dấu phẩy là dấu thập phân). "
        "Hãy nhập 138000 hoặc 138."
    )


@pytest.mark.parametrize("typed", ["1,234", "1.234"])
def test_the_decimal_reading_suggested_for_three_decimals_reads_one_way_only(typed):
    """Suggesting "1,234" back for "1,234" would loop: the fraction is spelled with a fourth decimal."""
    assert _message(_refusal(typed)).endswith("Hãy nhập 1234 hoặc 1,2340.")
    assert read_number("1,2340") == Decimal("1.234") and read_number("1234") == 1234


@pytest.mark.parametrize(
    ("text", "example"), [("1.5", "1,5"), ("48.00", "48,00"), ("1,234.5", "1.234,5"), ("1,234,567", "1.234.567")]
)
def test_the_english_marks_are_refused_with_the_vietnamese_form_to_type(text, example):
    error = _refusal(text)
    assert error.code == "wrong_marks"
    assert _message(error) == (
        f"“{text}”: phần thập phân viết sau dấu phẩy, hàng nghìn tách bằng dấu chấm, như {example}."
    )


@pytest.mark.parametrize("text", ["mười", "1,2,3", "12.34,5", "1e3", "1 50", "01 500", ",", "-", "1,", "+5", "NaN"])
def test_what_is_not_a_number_is_refused(text):
    assert _message(_refusal(text)) == "Cần nhập một số."


# --- Whole numbers: no decimal part, so a dot can only group thousands --------------------------------


@pytest.mark.parametrize(("text", "number"), [("48", 48), ("1.500", 1500), ("2.000", 2000), ("1.234.567", 1234567)])
def test_a_whole_number_reads_thousands_dots(text, number):
    assert read_number(text, whole=True) == number


@pytest.mark.parametrize("text", ["48,5", "2,5", "48,00", "48.00", "2.5", "1,234.5"])
def test_a_whole_number_refuses_a_decimal_part_written_either_way(text):
    error = _refusal(text, whole=True)
    assert (error.code, _message(error)) == (
        "whole",
        f"Chỉ nhận số nguyên, không có phần thập phân (đã nhập “{text}”).",
    )


def test_a_whole_number_with_english_thousands_is_refused_with_the_vietnamese_form():
    assert _message(_refusal("1,500", whole=True)) == (
        "“1,500”: phần thập phân viết sau dấu phẩy, hàng nghìn tách bằng dấu chấm, như 1.500."
    )


# --- English: a decimal point, commas between thousands, mirrored --------------------------------------


@pytest.mark.parametrize(
    ("text", "number"), [("1.5", Decimal("1.5")), ("1,234.5", Decimal("1234.5")), ("1,234,567", Decimal("1234567"))]
)
def test_english_reads_a_decimal_point_and_thousands_commas(text, number):
    with translation.override("en"):
        assert read_number(text) == number


def test_in_english_a_comma_and_three_digits_is_refused_with_both_readings():
    with translation.override("en"):
        error = _refusal("1,500")
    assert error.code == "ambiguous"
    assert (error.params["thousands"], error.params["fraction"]) == ("1500", "1.5")


def test_in_english_the_vietnamese_marks_are_refused_with_the_english_form():
    with translation.override("en"):
        error = _refusal("1,5")
        assert error.code == "wrong_marks" and error.params["example"] == "1.5"
        whole = _refusal("1.500", whole=True)
    assert (whole.code, whole.params["example"]) == ("wrong_marks", "1,500")


# --- The rules a number must meet ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rule", "problems"),
    [
        (Decimal(0), NumberRule(whole=True, minimum=Decimal(1)), ["Giá trị không được nhỏ hơn 1."]),
        (Decimal("2.5"), NumberRule(whole=True, minimum=Decimal(1)), [_NOT_WHOLE % "2,5"]),
        (Decimal("48.00"), NumberRule(whole=True), []),
        (Decimal(-1), NumberRule(), ["Giá trị không được âm."]),
        (Decimal("100.5"), NumberRule(maximum=Decimal(100)), ["Giá trị không được lớn hơn 100."]),
        (Decimal("1.234"), NumberRule(), ["Tối đa 2 chữ số thập phân."]),
        (Decimal("12.50"), NumberRule(places=1), []),
        (Decimal(10) ** 14, NumberRule(), ["Số quá lớn: phần nguyên tối đa 14 chữ số."]),
        (Decimal("138000"), NumberRule(), []),
    ],
)  # fmt: skip
def test_a_number_meets_its_rule_or_says_why_not(value, rule, problems):
    assert number_problems(value, rule) == problems


# --- The form field ------------------------------------------------------------------------------------


class _Form(forms.Form):
    amount = NumberField(label="Số tiền", min_value=0, required=False)
    dossiers = WholeNumberField(label="Số hồ sơ", min_value=0, required=False)


def test_the_field_is_a_text_box_with_a_numeric_keypad_not_a_browser_number_input():
    html = str(_Form())
    assert 'type="number"' not in html
    assert 'name="amount" inputmode="decimal"' in html.replace('type="text" ', "")
    assert 'name="dossiers" inputmode="numeric"' in html.replace('type="text" ', "")


@pytest.mark.parametrize(("language", "shown"), [("vi", "1,5"), ("en", "1.5")])
def test_the_field_shows_a_stored_value_in_the_languages_marks_without_trailing_zeros(language, shown):
    with translation.override(language):
        html = str(_Form(initial={"amount": Decimal("1.50"), "dossiers": 1500})["amount"])
    assert f'value="{shown}"' in html


def test_the_field_keeps_what_was_typed_when_it_refuses_it():
    form = _Form({"amount": "1.500", "dossiers": "48,5"})
    assert not form.is_valid()
    assert 'value="1.500"' in str(form["amount"]) and 'value="48,5"' in str(form["dossiers"])
    assert form.errors["dossiers"] == ["Chỉ nhận số nguyên, không có phần thập phân (đã nhập “48,5”)."]


def test_the_whole_number_field_gives_an_int_and_the_other_a_decimal():
    form = _Form({"amount": "1.234,5", "dossiers": "1.500"})
    assert form.is_valid()
    assert form.cleaned_data == {"amount": Decimal("1234.5"), "dossiers": 1500}
    assert type(form.cleaned_data["dossiers"]) is int


def test_the_field_checks_its_rule_after_reading():
    form = _Form({"amount": "-1,5", "dossiers": "-2"})
    assert not form.is_valid()
    assert form.errors == {"amount": ["Giá trị không được âm."], "dossiers": ["Giá trị không được âm."]}


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("2 000", 2000),
        ("1 234,5", Decimal("1234.5")),
        ("12 345 678", 12345678),
        ("2\u00a0000", 2000),
        ("-1 000", -1000),
    ],
)
def test_thousands_grouped_by_spaces_read_one_way_only(text, number):
    """Found walking the portal: "2 000" was refused on the figure form ("Cần nhập một số.") while the
    dossier import read "1 234"; a space is no decimal mark in any language, so it is read, not guessed."""
    with translation.override("vi"):
        assert read_number(text) == number
        assert read_number(text.replace(",5", ""), whole=True) == int(number)


@pytest.mark.parametrize(("text", "example"), [("12,5%", "12,5"), ("99 %", "99")])
def test_a_percent_sign_is_refused_with_the_number_to_type(text, example):
    """It was refused with the generic "Cần nhập một số.", which did not say the sign was the trouble."""
    with translation.override("vi"):
        assert _message(_refusal(text)) == f"“{text}”: bỏ dấu %, chỉ nhập con số, như {example}."
