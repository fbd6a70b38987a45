"""The indicator chart (targets/charts.py): each point's title writes its value as the table below it does."""

from __future__ import annotations

import datetime
from decimal import Decimal

from targets.charts import line_chart
from targets.models import IndicatorSnapshot

D = datetime.date


def _history(*values: str | None) -> list[IndicatorSnapshot]:
    return [
        IndicatorSnapshot(day=D(2024, month, 20), value=None if value is None else Decimal(value), status="on_track")
        for month, value in enumerate(values, start=1)
    ]


def test_a_points_title_has_a_decimal_comma_rounded_half_up_like_the_table():
    # The chart wrote "87.2" (a dot, rounded to even) under a table saying "87,3".
    chart = line_chart(_history("87.2500", "-0.0400", "100.0000"), Decimal("95"))
    assert [point.label for point in chart.points] == ["20/01/2024: 87,3", "20/02/2024: 0,0", "20/03/2024: 100,0"]


def test_points_without_a_value_are_left_out_and_svg_coordinates_keep_their_decimal_dots():
    chart = line_chart(_history("50.5", None, "60"), None)
    assert [point.label for point in chart.points] == ["20/01/2024: 50,5", "20/03/2024: 60,0"]
    pairs = [pair.split(",") for pair in chart.polyline.split()]
    assert [len(pair) for pair in pairs] == [2, 2] and all(float(c) >= 0 for pair in pairs for c in pair)
