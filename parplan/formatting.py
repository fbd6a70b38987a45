"""Numbers as ParPlan writes them, on every page, report, chart and message.

People read the decimal mark of the interface's language: 87,5 in Vietnamese,
87.5 in English (the format modules' DECIMAL_SEPARATOR). Official documents are
Vietnamese whatever the reader's language: the reports gather their data under
`translation.override("vi")`. What people read is grouped by thousands, 1.234,5 in
Vietnamese and 1,234.5 in English (`grouped=True`: the templates' `number` filter, the
reports' annex cells, the charts' labels, the status reasons, the rules "≥ 250.000 triệu
đồng"); what goes back into a field is not, nor a message saying what to type (a limit, an
ambiguous entry's two readings), so that it can be typed again as it stands and cannot be
read two ways (parplan.numbers refuses "1.500" in a decimal field, with both readings,
rather than guess). Spreadsheets get the numbers themselves, never their text. Rounding is half up, as by
hand and as Excel rounds the reports' annexes (87,25 → 87,3); a value that
rounds to zero has no minus sign.

Machines (SVG coordinates, JSON, data attributes, CSV) get `machine_number`:
a point, in every language.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import get_format

Number = Decimal | float | int


def format_number(value: Number, decimals: int | None = None, *, grouped: bool = False) -> str:
    """`value` with `decimals` places (rounded half up), or as entered (trailing zeros dropped) when None.

    `grouped`: thousands separated by the language's THOUSAND_SEPARATOR, for reading (never in a field).
    """
    whole, _point, fraction = _plain(value, decimals).partition(".")
    if grouped:
        sign = "-" if whole.startswith("-") else ""  # "-0" never reaches here: _plain drops it
        whole = sign + f"{int(whole.lstrip('-')):,}".replace(",", str(get_format("THOUSAND_SEPARATOR")))
    return f"{whole}{get_format('DECIMAL_SEPARATOR')}{fraction}" if fraction else whole


def format_percent(value: Number, decimals: int = 1) -> str:
    return f"{format_number(value, decimals, grouped=True)}%"


def machine_number(value: Number, decimals: int = 1) -> str:
    """`value` for a machine: a decimal point, at most `decimals` places, never localized ("160" or "87.5")."""
    return f"{Decimal(_plain(value, decimals)).normalize():f}"


def _plain(value: Number, decimals: int | None) -> str:
    number = _decimal(value)
    if decimals is None:
        text = f"{number.normalize():f}"
    else:
        text = f"{number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text


def _decimal(value: Number) -> Decimal:
    # Through str(): Decimal(0.1) would carry the binary float's 55 digits.
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    if not number.is_finite():
        raise InvalidOperation(f"not a number to write: {value!r}")
    return number
