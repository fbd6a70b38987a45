"""Numbers as ParPlan writes them, on every page, report, chart and message.

Vietnamese documents write a decimal comma (87,5 %), and no thousands
separator: the pages and reports never grouped digits, and a dot between
thousands would read as a decimal point to anyone used to the English form.
The same form in every language of the interface, as for dates, because the
figures are those of Vietnamese documents. Rounding is half up, as by hand and
as Excel rounds the reports' annexes (87,25 → 87,3); a value that rounds to
zero has no minus sign.

Only output: reading typed numbers is the forms' business.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

Number = Decimal | float | int


def format_number(value: Number, decimals: int | None = None) -> str:
    """`value` with `decimals` places (rounded half up), or as entered (trailing zeros dropped) when None."""
    number = _decimal(value)
    if decimals is None:
        text = f"{number.normalize():f}"
    else:
        text = f"{number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text.replace(".", ",")


def format_percent(value: Number, decimals: int = 1) -> str:
    return f"{format_number(value, decimals)}%"


def _decimal(value: Number) -> Decimal:
    # Through str(): Decimal(0.1) would carry the binary float's 55 digits.
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation(f"not a number to write: {value!r}")
    return number
