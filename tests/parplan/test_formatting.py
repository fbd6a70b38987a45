"""Numbers as ParPlan writes them (parplan.formatting): one rule for pages, reports and messages, one for machines."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pytest
from django.template import Context, Template
from django.utils import translation

from parplan.formatting import format_number, format_percent, machine_number

# (value, decimals, written)
TABLE = [
    # zero, with and without places; a value rounding to zero has no minus sign
    (Decimal("0"), 1, "0,0"),
    (0, None, "0"),
    (Decimal("0.00"), None, "0"),
    (Decimal("-0.04"), 1, "0,0"),
    (Decimal("-0.00"), None, "0"),
    (Decimal("-0.004"), 2, "0,00"),
    # negatives keep their sign and round away from zero at the half
    (Decimal("-3.25"), 1, "-3,3"),
    (Decimal("-0.05"), 1, "-0,1"),
    (Decimal("-12.50"), None, "-12,5"),
    (-7, 0, "-7"),
    # decimals: a comma, rounded half up (not to even), to the places asked
    (Decimal("87.25"), 1, "87,3"),
    (Decimal("87.35"), 1, "87,4"),
    (Decimal("87.2499"), 1, "87,2"),
    (Decimal("0.05"), 1, "0,1"),
    (Decimal("99.5"), 0, "100"),
    (Decimal("12.5"), 0, "13"),
    (Decimal("2.675"), 2, "2,68"),
    (Decimal("7"), 2, "7,00"),
    (87.25, 1, "87,3"),  # a float: by its written digits, not its binary value
    (0.1 + 0.2, 2, "0,30"),
    # as entered: the figure's own places, trailing zeros dropped
    (Decimal("12.50"), None, "12,5"),
    (Decimal("12.00"), None, "12"),
    (Decimal("0.25"), None, "0,25"),
    (Decimal("99.5"), None, "99,5"),
    (Decimal("1E+2"), None, "100"),
    (Decimal("100.00"), None, "100"),
    # large: no thousands separator (unless `grouped`, below), no exponent
    (Decimal("1234567.55"), 1, "1234567,6"),
    (Decimal("250000.00"), None, "250000"),
    (Decimal("9999999999999999.99"), 2, "9999999999999999,99"),
    (Decimal("1E+15"), 0, "1000000000000000"),
    (10**12, None, "1000000000000"),
]


@pytest.mark.parametrize(("value", "decimals", "written"), TABLE, ids=[f"{v!r}-{d}" for v, d, _w in TABLE])
def test_a_number_is_written_with_a_decimal_comma_ungrouped_for_a_field_and_rounded_half_up(value, decimals, written):
    assert format_number(value, decimals) == written


def test_a_percent_has_one_place_and_no_space_before_the_sign():
    assert (format_percent(Decimal("87.25")), format_percent(100), format_percent(Decimal("3.14159"), 2)) == (
        "87,3%", "100,0%", "3,14%",
    )  # fmt: skip


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity"), float("inf"), "mười"])
def test_what_is_not_a_number_is_refused(value):
    with pytest.raises(InvalidOperation):
        format_number(value, 1)


def _render(source: str, **context) -> str:
    return Template("{% load formatting %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("source", "value", "written"),
    [
        ("{{ v|number:1 }}", Decimal("87.25"), "87,3"),
        ("{{ v|number:1 }}", Decimal("-0.04"), "0,0"),
        ("{{ v|number }}", Decimal("12.50"), "12,5"),
        ("{{ v|number }}", Decimal("12.00"), "12"),
        ("{{ v|number:0 }}", 1234567, "1.234.567"),  # for reading: grouped
        ('{{ v|number:1|default:"—" }}', None, "—"),
        ("{{ v|number }}", "", ""),
        ("{{ v|number:1 }}", "không rõ", ""),
    ],
)
def test_templates_write_numbers_through_the_same_rule(source, value, written):
    assert _render(source, v=value) == written


def test_numbers_take_the_decimal_mark_of_the_interfaces_language():
    # Django's format modules: a comma in Vietnamese, a point in English; thousands grouped only to be read.
    with translation.override("en"):
        english = (
            format_number(Decimal("87.25"), 1),
            format_percent(Decimal("1234567.55")),
            _render("{{ v|number }}", v=Decimal("12.50")),
        )
    with translation.override("vi"):
        vietnamese = (
            format_number(Decimal("87.25"), 1),
            format_percent(Decimal("1234567.55")),
            _render("{{ v|number }}", v=Decimal("12.50")),
        )
    assert english == ("87.3", "1,234,567.6%", "12.5")
    assert vietnamese == ("87,3", "1.234.567,6%", "12,5")


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    ("value", "written"),
    [
        (160.0, "160"),
        (Decimal("87.25"), "87.3"),
        (-0.04, "0"),
        (640, "640"),
        (Decimal("1E+3"), "1000"),
        (12.05, "12.1"),
    ],
)
def test_numbers_for_machines_have_a_point_in_every_language(language, value, written):
    with translation.override(language):
        assert machine_number(value) == written == _render("{{ v|machine }}", v=value)


GROUPED = [
    (Decimal("1234567.55"), 1, "1.234.567,6", "1,234,567.6"),
    (1281, 0, "1.281", "1,281"),
    (999, 0, "999", "999"),
    (Decimal("-1234.5"), None, "-1.234,5", "-1,234.5"),
    (Decimal("-0.004"), 2, "0,00", "0.00"),
    (10**12, None, "1.000.000.000.000", "1,000,000,000,000"),
    (Decimal("100000"), 0, "100.000", "100,000"),
]


@pytest.mark.parametrize(("value", "decimals", "vietnamese", "english"), GROUPED)
def test_a_number_to_read_is_grouped_by_thousands_in_each_language(value, decimals, vietnamese, english):
    """Found walking the portal: "Tổng 318 1281 846 26 2153", "60407 dòng số liệu"."""
    with translation.override("vi"):
        assert format_number(value, decimals, grouped=True) == vietnamese
        assert Template("{% load formatting %}{{ v|number:d }}").render(Context({"v": value, "d": decimals})) == (
            vietnamese
        )
    with translation.override("en"):
        assert format_number(value, decimals, grouped=True) == english
    assert format_number(value, decimals) == vietnamese.replace(".", "")  # a field's value: never grouped
