"""The charts: each point's title writes its value as the table below it does; coordinates are never localized."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from targets.charts import history_chart, nice_ticks, tick_decimals, trend_chart
from targets.models import IndicatorSnapshot, Period

D = datetime.date


def _history(*values: str | None) -> list[IndicatorSnapshot]:
    return [
        IndicatorSnapshot(day=D(2024, month, 20), value=None if value is None else Decimal(value), status="on_track")
        for month, value in enumerate(values, start=1)
    ]


def _months() -> list[Period]:
    return [Period(frequency="monthly", number=m, start=D(2024, m, 1), end=D(2024, m, 14), due_date=D(2024, m, 20))
            for m in range(1, 13)]  # fmt: skip


def test_a_points_value_has_a_decimal_comma_rounded_half_up_like_the_table():
    # The chart wrote "87.2" (a dot, rounded to even) under a table saying "87,3".
    chart = history_chart(_history("87.2500", "-0.0400", "100.0000"), Decimal("95"), _months())
    assert chart is not None
    assert [point.value for point in chart.points] == ["87,3", "0,0", "100,0"]


def test_points_without_a_value_are_left_out_and_svg_coordinates_keep_their_decimal_dots():
    chart = history_chart(_history("50.5", None, "60"), None, _months())
    assert chart is not None
    assert [(point.period, point.value) for point in chart.points] == [
        (str(_months()[0]), "50,5"), (str(_months()[2]), "60,0"),
    ]  # fmt: skip
    pairs = [pair.split(",") for pair in chart.polyline.split()]
    assert [len(pair) for pair in pairs] == [2, 2] and all(float(c) >= 0 for pair in pairs for c in pair)


def test_the_indicator_pages_chart_has_one_point_per_month_its_last_evaluation():
    # Each approval re-evaluates the day: three evaluations in January, one in February.
    history = [
        IndicatorSnapshot(day=D(2024, 1, 20), value=Decimal("90"), status="on_track"),
        IndicatorSnapshot(day=D(2024, 1, 25), value=Decimal("91"), status="on_track"),
        IndicatorSnapshot(day=D(2024, 2, 3), value=Decimal("92"), status="on_track"),
        IndicatorSnapshot(day=D(2024, 2, 20), value=Decimal("96"), status="on_track"),
    ]
    chart = history_chart(history, Decimal("95"), _months(), suffix="%")
    assert chart is not None
    assert [(p.period, p.value) for p in chart.points] == [(str(_months()[0]), "92,0%"), (str(_months()[1]), "96,0%")]
    assert chart.y_ticks and chart.x_ticks and chart.threshold_y is not None


def test_an_axis_runs_in_round_steps_around_the_values():
    for low, high in ((0.0, 100.0), (87.25, 99.1), (99.02, 99.18), (3.0, 3.0), (-5.0, 12.0)):
        ticks = nice_ticks(low, high)
        assert ticks[0] <= low and ticks[-1] >= high
        steps = {round(b - a, 9) for a, b in zip(ticks, ticks[1:], strict=False)}
        assert len(steps) == 1 and 2 <= len(ticks) <= 6, ticks


def test_tick_labels_have_the_decimals_that_tell_them_apart():
    # Steps of 0,05 written with one decimal said "99,1" twice.
    assert tick_decimals([99.0, 99.05, 99.1]) == 2
    assert tick_decimals([0, 20, 40]) == 0 and tick_decimals([2.5, 5.0]) == 1
    chart = trend_chart([("Tháng 01/2024", "01/24", 99.02), ("Tháng 02/2024", "02/24", 99.18)], None)
    assert chart is not None
    labels = [t.label for t in chart.y_ticks]
    assert len(set(labels)) == len(labels) and all("," in label for label in labels)


def test_a_trend_chart_names_its_periods_labels_its_points_and_places_its_threshold():
    months = [(f"Tháng {m:02d}/2024", f"{m:02d}/24", 80.0 + m) for m in range(1, 10)]
    chart = trend_chart(months, Decimal("95"), suffix="%")
    assert chart is not None
    assert [p.period for p in chart.points] == [name for name, _short, _value in months]
    # Nine points: every other period named on the axis, from the latest back.
    assert [t.label for t in chart.x_ticks] == ["01/24", "03/24", "05/24", "07/24", "09/24"]
    assert [p.labelled for p in chart.points] == [False] * 8 + [True]
    assert chart.points[-1].value == "89,0%"
    assert chart.description.startswith("Tháng 01/2024: 81,0%; Tháng 02/2024: 82,0%")
    # 95 is above every value: the threshold is drawn above the highest point, inside the plot.
    assert chart.threshold_y is not None
    assert chart.top <= chart.threshold_y < min(p.y for p in chart.points) <= chart.bottom
    assert chart.left < chart.points[0].x < chart.points[-1].x < chart.right
    few = trend_chart(months[:3], None)
    assert few is not None and all(p.labelled for p in few.points) and few.threshold_y is None
    assert trend_chart(months[:1], Decimal("95")) is None


# --- Every chart as rendered: coordinates a browser can read, in every language ---------------

# The attributes of SVG that hold numbers, and how many each holds.
_NUMERIC = {"x", "y", "x1", "y1", "x2", "y2", "width", "height", "cx", "cy", "r"}
_LISTS = {"points", "viewbox", "d"}  # the HTML parser writes names in lower case


class _Svg(HTMLParser):
    """Each element inside an <svg>, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.charts: list[list[tuple[str, dict[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "svg":
            self.depth += 1
            self.charts.append([])
        if self.depth:
            self.charts[-1].append((tag, {name: value or "" for name, value in attrs}))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.depth -= 1


def _charts(html: str) -> list[list[tuple[str, dict[str, str]]]]:
    parser = _Svg()
    parser.feed(html)
    return parser.charts


def _numbers(name: str, value: str) -> list[float]:
    """The attribute's numbers by SVG's own grammar; float() fails on "160,0" as a browser does."""
    if name in _NUMERIC:
        return [float(value)]
    if name == "points":
        pairs = [pair.split(",") for pair in value.split()]
        assert all(len(pair) == 2 for pair in pairs), value
        return [float(number) for pair in pairs for number in pair]
    # viewBox, or a path's "d": numbers separated by spaces or commas, commands between them.
    assert re.fullmatch(r"(?:[MLHVCSQTAZmlhvcsqtaz]|-?\d*\.?\d+|[\s,])*", value), value
    return [float(number) for number in re.findall(r"-?\d*\.?\d+", value)]


def _points(chart: list[tuple[str, dict[str, str]]]) -> list[tuple[float, float]]:
    """Every number parses; the points drawn, from <circle>s or the <polyline>."""
    for _tag, attrs in chart:
        for name, value in attrs.items():
            if name in _NUMERIC | _LISTS:
                _numbers(name, value)
    circles = [(float(a["cx"]), float(a["cy"])) for tag, a in chart if tag == "circle"]
    if circles:
        return circles
    (line,) = [a["points"] for tag, a in chart if tag == "polyline"]
    numbers = _numbers("points", line)
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _spread(chart: list[tuple[str, dict[str, str]]]) -> None:
    """Inside the viewBox and spread across it, not piled in one corner."""
    (view,) = [a["viewbox"] for tag, a in chart if tag == "svg"]
    _x0, _y0, width, height = _numbers("viewbox", view)
    points = _points(chart)
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    assert len(points) >= 2
    assert all(0 <= x <= width for x in xs) and all(0 <= y <= height for y in ys)
    assert len(set(xs)) == len(xs), "two points at one x"
    assert max(xs) - min(xs) >= width / 2


def _page(client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(url).content.decode()
    assert f'<html lang="{language}">' in html
    return html


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_indicator_pages_trend_chart_has_coordinates_a_browser_reads(client_for, steering, on_time, language):
    # The chart wrote y1="160,0" in Vietnamese: every point drawn in one corner.
    assert IndicatorSnapshot.objects.filter(indicator=on_time, unit=on_time.area.plan.issuing_unit).count() >= 5
    html = _page(client_for(steering), reverse("indicator-detail", args=[on_time.pk]), language)
    (chart,) = _charts(html)
    _spread(chart)
    circles, (line,) = _points(chart), [a["points"] for tag, a in chart if tag == "polyline"]
    assert _numbers("points", line) == [number for point in circles for number in point]
    (threshold,) = [a for tag, a in chart if tag == "line" and "chart-threshold" in a.get("class", "")]
    (view,) = [a["viewbox"] for tag, a in chart if tag == "svg"]
    assert 0 <= float(threshold["y1"]) == float(threshold["y2"]) <= _numbers("viewbox", view)[3]
    # Axes with their labels, not a bare line: the value axis and the months.
    assert len([a for tag, a in chart if tag == "text"]) >= 4


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_dashboards_trend_lines_have_coordinates_a_browser_reads(client_for, steering, seed_plan, language):
    html = _page(client_for(steering), reverse("dashboard") + f"?plan={seed_plan.pk}", language)
    # The trend charts; the bars beside them are rectangles on a 0–100 scale.
    charts = [chart for chart in _charts(html) if "trend" in chart[0][1].get("class", "").split()]
    assert len(charts) >= 5
    for chart in charts:
        _spread(chart)
