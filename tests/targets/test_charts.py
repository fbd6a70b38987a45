"""The charts: each point's title writes its value as the table below it does; coordinates are never localized."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

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
    (threshold,) = [a for tag, a in chart if tag == "line"]
    assert 0 <= float(threshold["y1"]) == float(threshold["y2"]) <= 200


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_dashboards_trend_lines_have_coordinates_a_browser_reads(client_for, steering, seed_plan, language):
    html = _page(client_for(steering), reverse("dashboard") + f"?plan={seed_plan.pk}", language)
    charts = _charts(html)
    assert len(charts) >= 5
    for chart in charts:
        _spread(chart)
