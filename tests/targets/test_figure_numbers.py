"""Figures as people type them, and the numbers each indicator takes (issue 10).

A user found on main: "1,5" saved as 15; revenue of 138000 against a plan of
120000 refused as a numerator above its denominator; dossier counts taking
"48.00"; the PAR-index rank taking 0 and 2.5. Each is a test here, through the
entry page as a person sends it and through the service as an import would.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from parplan.models import Plan, Unit
from targets.evaluation import evaluate_plan
from targets.models import Frequency, Indicator, IndicatorKind, IndicatorSnapshot, Measure, Measurement, Period
from targets.services import FigureInput, indicator_define, measurement_save
from tests.targets.builders import approved, new_indicator, ratio, row_counts, submitted
from tests.targets.conftest import seed_indicator, seed_period, without_demo_figures

pytestmark = pytest.mark.django_db

NOT_WHOLE = "Chỉ nhận số nguyên, không có phần thập phân (đã nhập “%s”)."


@pytest.fixture
def spending(seed_plan: Plan, dong_dang: Unit) -> Indicator:
    """A made-up amount Đồng Đăng reports monthly: money spent on reform work (triệu đồng), with decimals."""
    indicator = new_indicator(
        seed_plan, name="Kinh phí CCHC đã chi (triệu đồng)", kind=IndicatorKind.AMOUNT, threshold=10,
        scope_units=[dong_dang],
    )  # fmt: skip
    return indicator_define(indicator=indicator, unit_of_measure="triệu đồng").record


@pytest.fixture
def revenue(seed_plan: Plan) -> Indicator:
    """6.3.1 "Thực hiện thu ngân sách … (hoàn thành hoặc vượt chỉ tiêu được giao)": an achievement, ≥ 100 %."""
    return seed_indicator(seed_plan, 6, 3)


@pytest.fixture
def par_index(seed_plan: Plan) -> Indicator:
    """1.1.1 the PAR index: a rank among the province's districts, ≤ 6, entered once a year by the secretariat."""
    return without_demo_figures(seed_indicator(seed_plan, 1, 1))


@pytest.fixture
def fourth_quarter(seed_plan: Plan) -> Period:
    return seed_period(seed_plan, Frequency.QUARTERLY, 4)


@pytest.fixture
def year(seed_plan: Plan) -> Period:
    return seed_period(seed_plan, Frequency.YEAR, 1)


def _post(client, plan: Plan, period: Period, code: str, indicator: Indicator, **fields: str):
    data = {"period": period.pk, "action": "draft"} | {f"{indicator.pk}-{name}": v for name, v in fields.items()}
    return client.post(reverse("figures-entry", args=[plan.pk, code]) + f"?period={period.pk}", data)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _field_errors(response, indicator: Indicator) -> dict[str, list[str]]:
    (form,) = [f for f in response.context["forms"] if f.indicator == indicator]
    return dict(form.errors)


def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _figure(indicator: Indicator, unit: Unit, period: Period) -> Measurement:
    return Measurement.objects.get(indicator=indicator, unit=unit, period=period)


# --- A decimal comma is read as one ---------------------------------------------------------------


def test_a_figure_typed_with_a_decimal_comma_is_saved_as_typed(
    client_for, commune_head, seed_plan, spending, dong_dang, november
):
    # Saved 15, with "Đã lưu nháp 1 số liệu.".
    response = _post(client_for(commune_head), seed_plan, november, "06184", spending, value="1,5")
    assert response.status_code == 302
    assert _messages(response) == ["Đã lưu nháp 1 số liệu."]
    assert _figure(spending, dong_dang, november).value == Decimal("1.5")


def test_thousands_dots_and_a_decimal_comma_are_read_together(
    client_for, commune_head, seed_plan, spending, dong_dang, november
):
    _post(client_for(commune_head), seed_plan, november, "06184", spending, value="1.234,5")
    assert _figure(spending, dong_dang, november).value == Decimal("1234.5")


def test_a_figure_that_reads_two_ways_is_refused_with_both_readings_and_nothing_is_saved(
    client_for, commune_head, seed_plan, spending, november
):
    before = row_counts()
    response = _post(client_for(commune_head), seed_plan, november, "06184", spending, value="1.500")
    assert response.status_code == 200
    assert _field_errors(response, spending) == {
        "value": [
            "“1.500” có thể hiểu hai cách: 1500 (dấu chấm tách hàng nghìn) hoặc 1,5 (dấu chấm là dấu thập phân). "
            "Hãy nhập 1500 hoặc 1,5."
        ]
    }
    assert f'name="{spending.pk}-value" value="1.500"' in response.content.decode().replace('type="text" ', "")
    assert row_counts() == before


def test_a_figure_with_a_decimal_point_is_refused_in_vietnamese_with_the_form_to_type(
    client_for, commune_head, seed_plan, spending, november
):
    response = _post(client_for(commune_head), seed_plan, november, "06184", spending, value="1.5")
    assert _field_errors(response, spending) == {
        "value": ["“1.5”: phần thập phân viết sau dấu phẩy, hàng nghìn tách bằng dấu chấm, như 1,5."]
    }


def test_in_english_a_decimal_point_is_read_and_a_decimal_comma_refused(
    client_for, commune_head, seed_plan, spending, dong_dang, november
):
    client = _english(client_for(commune_head))
    refused = _post(client, seed_plan, november, "06184", spending, value="1,5")
    assert refused.status_code == 200 and not Measurement.objects.filter(indicator=spending).exists()
    (message,) = _field_errors(refused, spending)["value"]
    assert "“1,5”" in message and "1.5" in message
    ambiguous = _post(client, seed_plan, november, "06184", spending, value="1,500")
    (message,) = _field_errors(ambiguous, spending)["value"]
    assert "1500" in message and "1.5" in message
    assert _post(client, seed_plan, november, "06184", spending, value="1,234.5").status_code == 302
    assert _figure(spending, dong_dang, november).value == Decimal("1234.5")


@pytest.mark.parametrize(("language", "shown"), [("vi", "1,5"), ("en", "1.5")])
def test_the_entry_page_shows_a_saved_figure_in_the_languages_marks_in_a_text_box(
    client_for, commune_head, seed_plan, spending, on_time, dong_dang, november, language, shown
):
    measurement_save(
        indicator=spending,
        unit=dong_dang,
        period=november,
        figure=FigureInput(value=Decimal("1.50")),
        user=commune_head,
    )
    client = client_for(commune_head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("figures-entry", args=[seed_plan.pk, "06184"]) + f"?period={november.pk}")
    page = html.content.decode()
    assert 'type="number"' not in page
    assert f'<input type="text" name="{spending.pk}-value" value="{shown}" inputmode="decimal"' in page
    # Counted dossiers: the keypad of digits.
    assert f'<input type="text" name="{on_time.pk}-numerator" inputmode="numeric"' in page


# --- Achievement against a plan may pass 100 %; a share may not -------------------------------------------


def test_revenue_above_its_plan_is_recorded_on_the_page(
    client_for, secretariat, seed_plan, revenue, district, fourth_quarter
):
    # "Hoàn thành hoặc vượt": refused as "Tử số (138000) không được lớn hơn mẫu số (120000).".
    response = _post(
        client_for(secretariat), seed_plan, fourth_quarter, "183", revenue, numerator="138000", denominator="120000"
    )
    assert response.status_code == 302
    figure = _figure(revenue, district, fourth_quarter)
    assert (figure.numerator, figure.denominator, figure.percent) == (138000, 120000, 115)


def test_revenue_above_its_plan_counts_as_achieved(seed_plan, revenue, district, fourth_quarter, secretariat):
    approved(revenue, district, fourth_quarter, ratio(138000, 120000), secretariat)
    day = datetime.date(2024, 12, 20)
    evaluate_plan(plan=seed_plan, day=day, indicator_ids=[revenue.pk])
    snapshot = IndicatorSnapshot.objects.get(indicator=revenue, unit=district, day=day)
    assert (snapshot.value, snapshot.status) == (Decimal("115.0000"), "achieved")


def test_the_seeds_achievements_are_revenue_disbursement_and_training(seed_plan):
    achievements = Indicator.objects.of_plan(seed_plan).filter(measure=Measure.ACHIEVEMENT)
    assert sorted((i.area.number, i.target.position) for i in achievements) == [(5, 3), (6, 1), (6, 3)]


def test_a_share_still_refuses_a_numerator_above_its_denominator(on_time, dong_dang, november, commune_head):
    with pytest.raises(ValidationError) as raised:
        submitted(on_time, dong_dang, november, ratio(120, 100), commune_head)
    assert raised.value.message_dict == {"numerator": ["Tử số (120) không được lớn hơn mẫu số (100)."]}


def test_a_share_typed_as_a_percentage_value_is_at_most_100(seed_plan, spending, dong_dang, november, commune_head):
    indicator_define(indicator=spending, unit_of_measure="%")
    with pytest.raises(ValidationError) as raised:
        submitted(spending, dong_dang, november, FigureInput(value=Decimal("100.5")), commune_head)
    assert raised.value.message_dict == {"value": ["Giá trị không được lớn hơn 100."]}
    indicator_define(indicator=spending, measure=Measure.ACHIEVEMENT)
    assert submitted(spending, dong_dang, november, FigureInput(value=Decimal("100.5")), commune_head).pk


# --- Counts are whole numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["48.00", "48,5", "48,00"])
def test_dossier_counts_take_whole_numbers_only_on_the_page(
    client_for, commune_head, seed_plan, on_time, november, typed
):
    # "48.00" was taken as a count of dossiers.
    before = row_counts()
    response = _post(client_for(commune_head), seed_plan, november, "06184", on_time, numerator=typed, denominator="50")
    assert _field_errors(response, on_time) == {"numerator": [NOT_WHOLE % typed]}
    assert row_counts() == before


def test_dossier_counts_read_thousands_dots(client_for, commune_head, seed_plan, on_time, dong_dang, november):
    response = _post(
        client_for(commune_head), seed_plan, november, "06184", on_time, numerator="1.498", denominator="1.500"
    )
    assert response.status_code == 302
    figure = _figure(on_time, dong_dang, november)
    assert (figure.numerator, figure.denominator) == (1498, 1500)


def test_the_service_refuses_a_fraction_of_a_dossier(on_time, dong_dang, november, commune_head):
    with pytest.raises(ValidationError) as raised:
        submitted(on_time, dong_dang, november, ratio("48.5", "50"), commune_head)
    assert raised.value.message_dict == {"numerator": [NOT_WHOLE % "48,5"]}


def test_a_count_indicator_takes_whole_numbers(seed_plan, dong_dang, november, commune_head):
    trainings = new_indicator(
        seed_plan, name="Số lớp bồi dưỡng đã mở", kind=IndicatorKind.COUNT, scope_units=[dong_dang]
    )
    with pytest.raises(ValidationError) as raised:
        submitted(trainings, dong_dang, november, FigureInput(value=Decimal("2.5")), commune_head)
    assert raised.value.message_dict == {"value": [NOT_WHOLE % "2,5"]}
    assert submitted(trainings, dong_dang, november, FigureInput(value=Decimal(3)), commune_head).value == 3


def test_an_amount_share_takes_decimals_when_its_parts_are_not_counted(seed_plan, district, secretariat):
    # 3.2.1: days of processing time cut, out of the days the rules allow; half days are real.
    days = without_demo_figures(seed_indicator(seed_plan, 3, 2))
    assert not days.parts_counted
    figure = approved(days, district, seed_period(seed_plan, Frequency.YEAR, 1), ratio("10.5", "31.5"), secretariat)
    assert (figure.numerator, figure.denominator) == (Decimal("10.5"), Decimal("31.5"))


# --- Ranks are whole numbers from 1 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "message"),
    [("0", "Giá trị không được nhỏ hơn 1."), ("2,5", NOT_WHOLE % "2,5"), ("2.5", NOT_WHOLE % "2.5")],
)
def test_the_par_index_rank_is_a_whole_number_from_one_on_the_page(
    client_for, secretariat, seed_plan, par_index, year, typed, message
):
    # The rank took 0 and 2.5.
    before = row_counts()
    response = _post(client_for(secretariat), seed_plan, year, "183", par_index, value=typed)
    assert _field_errors(response, par_index) == {"value": [message]}
    assert row_counts() == before


def test_the_par_index_rank_is_saved_as_a_whole_number(client_for, secretariat, seed_plan, par_index, district, year):
    assert _post(client_for(secretariat), seed_plan, year, "183", par_index, value="4").status_code == 302
    assert _figure(par_index, district, year).value == 4


@pytest.mark.parametrize(
    ("value", "message"), [(Decimal(0), "Giá trị không được nhỏ hơn 1."), (Decimal("2.5"), NOT_WHOLE % "2,5")]
)
def test_the_service_refuses_a_rank_of_zero_or_a_fraction(par_index, district, year, secretariat, value, message):
    before = row_counts()
    with pytest.raises(ValidationError) as raised:
        submitted(par_index, district, year, FigureInput(value=value), secretariat)
    assert raised.value.message_dict == {"value": [message]}
    assert row_counts() == before


# --- The definition: measure, counted parts, thresholds that fit the kind ---------------------------------------


def _definition(indicator: Indicator, **changes: Any) -> dict[str, Any]:
    names = (
        "name", "kind", "measure", "comparator", "unit_of_measure", "frequency", "scope", "aggregation", "source",
        "target_type", "numerator_label", "denominator_label",
    )  # fmt: skip
    data: dict[str, Any] = {name: getattr(indicator, name) for name in names}
    data |= {"threshold": "100", "baseline": "", "scope_units": [u.pk for u in indicator.scope_units.all()]}
    if indicator.parts_counted:
        data["parts_counted"] = "on"
    return data | changes


def _edit(client, indicator: Indicator, **changes: Any):
    return client.post(reverse("indicator-edit", args=[indicator.pk]), _definition(indicator, **changes))


def test_the_secretariat_makes_a_share_an_achievement_of_amounts(client_for, secretariat, on_time):
    data = _definition(on_time, measure=Measure.ACHIEVEMENT, threshold="110,5")
    del data["parts_counted"]
    response = client_for(secretariat).post(reverse("indicator-edit", args=[on_time.pk]), data)
    assert response.status_code == 302
    on_time.refresh_from_db()
    assert (on_time.measure, on_time.parts_counted, on_time.threshold) == (
        Measure.ACHIEVEMENT, False, Decimal("110.5"),
    )  # fmt: skip
    assert on_time.history.order_by("-history_id").first().measure == Measure.ACHIEVEMENT


@pytest.mark.parametrize(
    ("indicator", "changes", "errors"),
    [
        ("on_time", {"threshold": "101"}, {"threshold": ["Giá trị không được lớn hơn 100."]}),
        ("on_time", {"threshold": "99.5"}, {"threshold": [
            "“99.5”: phần thập phân viết sau dấu phẩy, hàng nghìn tách bằng dấu chấm, như 99,5."]}),
        ("par_index", {"threshold": "2,5"}, {"threshold": [NOT_WHOLE % "2,5"]}),
        ("par_index", {"threshold": "0"}, {"threshold": ["Giá trị không được nhỏ hơn 1."]}),
        ("par_index", {"threshold": "6", "baseline": "-1"}, {"baseline": ["Giá trị không được nhỏ hơn 1."]}),
    ],
)  # fmt: skip
def test_a_threshold_that_does_not_fit_the_kind_is_refused(
    request, client_for, secretariat, indicator, changes, errors
):
    indicator = request.getfixturevalue(indicator)
    history = indicator.history.count()
    response = _edit(client_for(secretariat), indicator, **changes)
    assert response.status_code == 200
    assert dict(response.context["form"].errors) == errors
    assert indicator.history.count() == history


def test_the_edit_page_shows_the_threshold_in_the_languages_marks(client_for, secretariat, on_time):
    indicator_define(indicator=on_time, threshold=Decimal("99.50"))
    client = client_for(secretariat)
    assert 'name="threshold" value="99,5"' in client.get(reverse("indicator-edit", args=[on_time.pk])).content.decode()
    english = _english(client).get(reverse("indicator-edit", args=[on_time.pk])).content.decode()
    assert 'name="threshold" value="99.5"' in english
