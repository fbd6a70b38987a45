"""Indicator screens: who may do what, the review workflow through the pages, bad input, query budgets."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import lxml.html  # type: ignore[import-untyped]  # python-docx brings lxml; no stubs are installed
import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from parplan.formatting import format_number
from parplan.models import Plan, Unit
from targets.evaluation import evaluate_plan
from targets.models import (
    Frequency,
    Indicator,
    IndicatorKind,
    IndicatorSnapshot,
    Measurement,
    MeasurementStatus,
    Period,
    Scope,
)
from targets.services import FigureInput, evaluations_run_marked, indicator_define, measurement_approve, period_lock
from tests.targets.builders import (
    add_submitted_figures,
    add_unit_indicators,
    approved,
    pdf,
    ratio,
    row_counts,
    second_plan,
    submitted,
)
from tests.targets.conftest import seed_period

pytestmark = pytest.mark.django_db

CAST = [
    "secretariat",
    "steering",
    "administrator",
    "commune_head",
    "commune_staff",
    "other_commune_head",
    "office_head",
    "outsider",
]
# Reading follows the plan: everyone with a membership in the district's tree.
READ = dict.fromkeys(CAST, 200) | {"outsider": 404}
# Đồng Đăng's figures: its head and staff, and the secretariat (and administrators) everywhere.
ENTER_DONG_DANG = dict.fromkeys(CAST, 403) | {
    "secretariat": 200,
    "administrator": 200,
    "commune_head": 200,
    "commune_staff": 200,
    "outsider": 404,
}
# Reviewing and editing definitions: the secretariat (and administrators) only.
SECRETARIAT_ONLY = dict.fromkeys(CAST, 403) | {"secretariat": 200, "administrator": 200, "outsider": 404}


def _matrix(page: str, expected: dict[str, int]) -> list[Any]:
    return [pytest.param(page, who, status, id=f"{page}-{who}-{status}") for who, status in expected.items()]


def _url(page: str, plan: Plan) -> str:
    on_time = Indicator.objects.get(area__plan=plan, area__number=3, target__position=3)
    return {
        "indicator-list": reverse("indicator-list", args=[plan.pk]),
        "indicator-detail": reverse("indicator-detail", args=[on_time.pk]),
        "figures-entry": reverse("figures-entry", args=[plan.pk, "06184"]),
        "figures-review": reverse("figures-review", args=[plan.pk]),
        "indicator-edit": reverse("indicator-edit", args=[on_time.pk]),
    }[page]


def _entry_url(plan: Plan, period: Period, code: str = "06184") -> str:
    return reverse("figures-entry", args=[plan.pk, code]) + f"?period={period.pk}"


def _figure(indicator: Indicator, numerator: Any, denominator: Any, note: str = "") -> dict[str, Any]:
    return {
        f"{indicator.pk}-numerator": str(numerator),
        f"{indicator.pk}-denominator": str(denominator),
        f"{indicator.pk}-note": note,
    }


def _post_figures(client, plan: Plan, period: Period, action: str, *figures: dict[str, Any], code: str = "06184"):
    data: dict[str, Any] = {"period": period.pk, "action": action}
    for figure in figures:
        data |= figure
    return client.post(_entry_url(plan, period, code), data)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


# --- Access matrix ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "who", "status"),
    _matrix("indicator-list", READ)
    + _matrix("indicator-detail", READ)
    + _matrix("figures-entry", ENTER_DONG_DANG)
    + _matrix("figures-review", SECRETARIAT_ONLY)
    + _matrix("indicator-edit", SECRETARIAT_ONLY),
)
def test_who_may_open_each_indicator_page(request, client_for, seed_plan, page, who, status):
    response = client_for(request.getfixturevalue(who)).get(_url(page, seed_plan))
    assert response.status_code == status


def test_commune_staff_cannot_open_another_communes_figures(client_for, commune_staff, seed_plan, november):
    assert client_for(commune_staff).get(_entry_url(seed_plan, november, "06190")).status_code == 403


def test_commune_staff_cannot_post_another_communes_figures(
    client_for, commune_staff, seed_plan, on_time, november, bao_lam
):
    before = row_counts()
    response = _post_figures(
        client_for(commune_staff), seed_plan, november, "draft", _figure(on_time, 98, 100), code="06190"
    )
    assert response.status_code == 403
    assert row_counts() == before
    assert not Measurement.objects.filter(indicator=on_time, unit=bao_lam, period=november).exists()


@pytest.mark.parametrize("who", ["steering", "other_commune_head", "office_head"])
def test_others_cannot_post_a_communes_figures(request, client_for, seed_plan, on_time, november, who):
    before = row_counts()
    response = _post_figures(
        client_for(request.getfixturevalue(who)), seed_plan, november, "submit", _figure(on_time, 1, 2)
    )
    assert response.status_code == 403
    assert row_counts() == before


def test_an_unknown_unit_is_404(client_for, secretariat, seed_plan, november):
    assert client_for(secretariat).get(_entry_url(seed_plan, november, "99999")).status_code == 404


def test_a_commune_head_picking_figures_goes_straight_to_the_commune(client_for, commune_head, seed_plan):
    response = client_for(commune_head).get(reverse("figures-home", args=[seed_plan.pk]))
    assert response.status_code == 302
    assert response.url == reverse("figures-entry", args=[seed_plan.pk, "06184"])


def test_the_period_asked_for_goes_along_to_the_commune_s_page(client_for, commune_head, seed_plan, november):
    """Found walking the portal: /figures/?period=31 led to the commune's page of another month."""
    client = client_for(commune_head)
    response = client.get(reverse("figures-home", args=[seed_plan.pk]), {"period": november.pk})
    assert response.url == _entry_url(seed_plan, november)
    assert client.get(response.url).context["period"] == november
    odd = client.get(reverse("figures-home", args=[seed_plan.pk]), {"period": "x<script>"})
    assert odd.url == reverse("figures-entry", args=[seed_plan.pk, "06184"])


def test_the_secretariat_picks_among_all_units(client_for, secretariat, seed_plan):
    response = client_for(secretariat).get(reverse("figures-home", args=[seed_plan.pk]))
    assert response.status_code == 200
    assert len(response.context["units"]) == Unit.objects.subtree_of(seed_plan.issuing_unit).count()


# --- Entry page ---------------------------------------------------------------------------


def test_a_plan_without_periods_has_no_entry_page(client_for, secretariat, seed_plan):
    # A plan typed into the admin has no calendar until one is generated: 404, not a crash.
    bare = Plan.objects.create(issuing_unit=seed_plan.issuing_unit, year=2030, title="Kế hoạch CCHC năm 2030")
    response = client_for(secretariat).get(reverse("figures-entry", args=[bare.pk, "06184"]))
    assert response.status_code == 404


def test_the_entry_page_lists_only_the_indicators_the_unit_reports_for_the_period(
    client_for, commune_head, seed_plan, november
):
    response = client_for(commune_head).get(_entry_url(seed_plan, november))
    shown = {
        (f.indicator.area.number, f.indicator.target.position, f.indicator.position) for f in response.context["forms"]
    }
    # Towns report on-time dossiers, apologies, online handling and digitisation at commune level, monthly.
    assert shown == {(3, 3, 1), (3, 4, 1), (7, 3, 2), (7, 4, 2)}


def test_the_district_enters_its_authority_wide_quarterly_figures(client_for, secretariat, seed_plan):
    quarter = seed_period(seed_plan, Frequency.QUARTERLY, 4)
    response = client_for(secretariat).get(_entry_url(seed_plan, quarter, "183"))
    names = {f.indicator.pk for f in response.context["forms"]}
    disbursement = Indicator.objects.get(area__plan=seed_plan, area__number=6, target__position=1)
    assert disbursement.pk in names
    assert all(f.indicator.frequency == Frequency.QUARTERLY for f in response.context["forms"])


def test_staff_save_a_draft(client_for, commune_staff, seed_plan, on_time, dong_dang, november):
    response = _post_figures(client_for(commune_staff), seed_plan, november, "draft", _figure(on_time, 98, 100))
    assert response.status_code == 302
    figure = Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november)
    assert (figure.status, figure.numerator, figure.denominator) == (MeasurementStatus.DRAFT, 98, 100)
    assert _messages(response) == ["Đã lưu nháp 1 số liệu."]


def test_staff_cannot_submit_figures(client_for, commune_staff, seed_plan, on_time, november):
    before = row_counts()
    response = _post_figures(client_for(commune_staff), seed_plan, november, "submit", _figure(on_time, 98, 100))
    assert response.status_code == 403
    assert row_counts() == before


def test_staff_see_no_submit_button(client_for, commune_staff, seed_plan, november):
    page = client_for(commune_staff).get(_entry_url(seed_plan, november)).content.decode()
    assert "Gửi duyệt" not in page
    assert "Lãnh đạo đơn vị gửi số liệu để duyệt." in page


def test_the_head_submits_figures(client_for, commune_head, seed_plan, on_time, dong_dang, november):
    response = _post_figures(client_for(commune_head), seed_plan, november, "submit", _figure(on_time, 98, 100))
    assert response.status_code == 302
    assert response.url == _entry_url(seed_plan, november)
    figure = Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november)
    assert (figure.status, figure.submitted_by) == (MeasurementStatus.SUBMITTED, commune_head)
    assert _messages(response) == ["Đã gửi 1 số liệu để duyệt."]


def test_the_head_submits_a_draft_the_staff_prepared(
    client_for, commune_staff, commune_head, seed_plan, on_time, dong_dang, november
):
    _post_figures(client_for(commune_staff), seed_plan, november, "draft", _figure(on_time, 98, 100))
    _post_figures(client_for(commune_head), seed_plan, november, "submit", _figure(on_time, 98, 100))
    figure = Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november)
    assert figure.status == MeasurementStatus.SUBMITTED
    assert figure.history.count() == 2


def test_blank_indicators_are_skipped(client_for, commune_head, seed_plan, on_time, november):
    # The demo's figures of Đồng Đăng's other indicators for November are there already.
    figures = Measurement.objects.filter(period=november, unit__code="06184")
    before = set(figures.values_list("pk", flat=True))
    response = _post_figures(client_for(commune_head), seed_plan, november, "draft", _figure(on_time, 98, 100))
    assert response.status_code == 302
    assert list(figures.exclude(pk__in=before).values_list("indicator", flat=True)) == [on_time.pk]
    assert figures.count() == len(before) + 1


def test_a_note_typed_without_its_figure_is_refused_not_dropped(client_for, commune_head, seed_plan, on_time, november):
    """Found walking the portal: the note of an indicator left without numbers vanished while the page said
    "Đã gửi 1 số liệu"; now the page is refused, says why at the note, and keeps what was typed."""
    before = row_counts()
    response = _post_figures(client_for(commune_head), seed_plan, november, "submit", _figure(on_time, "", "", "trống"))
    assert response.status_code == 200
    form = next(f for f in response.context["forms"] if f.indicator == on_time)
    assert form.errors["note"] == [
        "Ghi chú chỉ được lưu cùng số liệu: hãy nhập số liệu của chỉ số này, hoặc xóa ghi chú."
    ]
    page = lxml.html.fromstring(response.content.decode())
    assert page.xpath(f"//textarea[@name='{on_time.pk}-note']")[0].text_content().strip() == "trống"
    assert row_counts() == before


def test_a_bad_figure_with_a_note_is_refused_for_the_figure_only(
    client_for, commune_head, seed_plan, on_time, november
):
    """The note is not blamed as typed without a figure when the figure was typed, wrongly."""
    response = _post_figures(client_for(commune_head), seed_plan, november, "submit", _figure(on_time, "mười", 60, "x"))
    form = next(f for f in response.context["forms"] if f.indicator == on_time)
    assert "note" not in form.errors and form.errors["numerator"] == ["Cần nhập một số."]


def test_a_page_with_nothing_typed_says_nothing_was_saved(client_for, commune_head, seed_plan, on_time, november):
    """It said "Đã gửi 0 số liệu để duyệt.", as if something had gone."""
    response = _post_figures(client_for(commune_head), seed_plan, november, "submit", _figure(on_time, "", ""))
    assert response.status_code == 302
    assert _messages(response) == ["Chưa lưu gì: chưa nhập số liệu nào cho kỳ này."]


def _any_figure(indicator: Indicator) -> FigureInput:
    """A figure every indicator of the seed takes: its kind's fields, small whole numbers."""
    if indicator.kind == IndicatorKind.RATIO:
        return ratio(1, 2)
    if indicator.kind == IndicatorKind.MILESTONE:
        return FigureInput(met=True)
    return FigureInput(value=Decimal(1))


def test_a_period_whose_figures_are_all_sent_or_approved_offers_no_save_button(
    client_for, commune_head, secretariat, seed_plan, dong_dang, november
):
    """Every box disabled, and yet "Lưu nháp" and "Gửi duyệt" were there to press."""
    client = client_for(commune_head)
    forms = client.get(_entry_url(seed_plan, november)).context["forms"]
    assert not all(form.locked for form in forms)
    assert 'value="submit"' in client.get(_entry_url(seed_plan, november)).content.decode()
    for form in forms:
        if not form.locked:
            approved(form.indicator, dong_dang, november, _any_figure(form.indicator), secretariat)
    page = client.get(_entry_url(seed_plan, november)).content.decode()
    assert 'value="submit"' not in page and 'value="draft"' not in page
    assert "Mọi số liệu của kỳ này đã gửi hoặc đã được duyệt: không còn gì để lưu." in page


def test_an_approved_figure_is_shown_locked_and_is_not_changed_by_a_post(
    client_for, commune_head, secretariat, seed_plan, on_time, dong_dang, november
):
    figure = approved(on_time, dong_dang, november, ratio(98, 100), secretariat)
    client = client_for(commune_head)
    form = next(f for f in client.get(_entry_url(seed_plan, november)).context["forms"] if f.indicator == on_time)
    assert form.locked and all(field.disabled for field in form.fields.values())
    _post_figures(client, seed_plan, november, "submit", _figure(on_time, 1, 100))
    figure.refresh_from_db()
    assert (figure.status, figure.numerator) == (MeasurementStatus.APPROVED, 98)


def test_the_return_comment_is_shown_to_the_unit(
    client_for, commune_head, secretariat, seed_plan, on_time, dong_dang, november
):
    figure = submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)
    client_for(secretariat).post(
        reverse("figures-review", args=[seed_plan.pk]),
        {"action": "return", "measurement": [figure.pk], "comment": "Mẫu số lệch sổ theo dõi."},
    )
    page = client_for(commune_head).get(_entry_url(seed_plan, november)).content.decode()
    assert "Mẫu số lệch sổ theo dõi." in page


# --- Bad input through the entry page ------------------------------------------------------


def test_numerator_above_denominator_is_refused_on_the_page(client_for, commune_head, seed_plan, on_time, november):
    before = row_counts()
    response = _post_figures(client_for(commune_head), seed_plan, november, "submit", _figure(on_time, 120, 100))
    assert response.status_code == 200
    assert "Tử số (120) không được lớn hơn mẫu số (100)." in response.content.decode()
    assert _messages(response) == ["Chưa lưu: vui lòng sửa các lỗi được đánh dấu bên dưới."]
    assert row_counts() == before


def test_a_negative_figure_is_refused_on_the_page(client_for, commune_head, seed_plan, on_time, november):
    before = row_counts()
    response = _post_figures(client_for(commune_head), seed_plan, november, "submit", _figure(on_time, -5, 100))
    assert response.status_code == 200
    assert "Giá trị không được âm." in response.content.decode()
    assert row_counts() == before


def test_text_instead_of_a_number_is_refused_on_the_page(client_for, commune_head, seed_plan, on_time, november):
    before = row_counts()
    response = _post_figures(client_for(commune_head), seed_plan, november, "submit", _figure(on_time, "mười", 100))
    assert "Cần nhập một số." in response.content.decode()
    assert row_counts() == before


def test_one_bad_indicator_keeps_the_whole_page_unsaved_and_shows_what_was_typed(
    client_for, commune_head, seed_plan, on_time, apologised, november
):
    before = row_counts()
    response = _post_figures(
        client_for(commune_head),
        seed_plan,
        november,
        "submit",
        _figure(on_time, 57, 60, "Tháng ít hồ sơ."),
        _figure(apologised, 3, 2),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tử số (3) không được lớn hơn mẫu số (2)." in page
    assert f'name="{on_time.pk}-numerator" value="57"' in page
    assert f'name="{on_time.pk}-denominator" value="60"' in page
    assert "Tháng ít hồ sơ." in page
    assert row_counts() == before


def test_a_typo_in_one_figure_and_a_wrong_total_in_another_are_both_said_at_once(
    client_for, commune_head, seed_plan, on_time, apologised, november
):
    """Found walking the portal: "abc" in one figure and 2500/2000 in another showed only "Cần nhập một số.";
    the second error came a round later, once the first was mended."""
    before = row_counts()
    response = _post_figures(
        client_for(commune_head),
        seed_plan,
        november,
        "submit",
        _figure(on_time, 2500, 2000),
        _figure(apologised, "abc", 2),
    )
    page = response.content.decode()
    assert "Cần nhập một số." in page
    assert "Tử số (2500) không được lớn hơn mẫu số (2000)." in page
    assert row_counts() == before


def test_one_bad_indicator_leaves_no_evidence_file_of_the_good_one(
    client_for, commune_head, seed_plan, on_time, apologised, november, media_root
):
    before = row_counts()
    data = {"period": november.pk, "action": "submit", f"{on_time.pk}-files": [pdf("Sổ theo dõi.pdf")]}
    data |= _figure(on_time, 57, 60) | _figure(apologised, 3, 2)
    response = client_for(commune_head).post(_entry_url(seed_plan, november), data)
    assert response.status_code == 200
    assert row_counts() == before
    assert not Measurement.objects.filter(period=november, unit__code="06184", indicator=on_time).exists()
    assert _stored_files(media_root) == []


def test_a_locked_period_refuses_figures_on_the_page(client_for, commune_head, seed_plan, on_time, november):
    period_lock(period=november)
    before = row_counts()
    response = _post_figures(client_for(commune_head), seed_plan, november, "submit", _figure(on_time, 98, 100))
    assert response.status_code == 200
    assert "Kỳ “Tháng 11/2024” đã khóa; cần Phòng Nội vụ mở lại." in response.content.decode()
    assert row_counts() == before


def test_a_period_of_another_plan_is_not_found_and_nothing_is_saved(
    client_for, commune_head, seed_plan, on_time, november
):
    other_november = seed_period(second_plan(seed_plan), Frequency.MONTHLY, 11)
    before = row_counts()
    data = {"period": other_november.pk, "action": "submit"} | _figure(on_time, 98, 100)
    url = reverse("figures-entry", args=[seed_plan.pk, "06184"]) + f"?period={other_november.pk}"
    response = client_for(commune_head).post(url, data)
    assert response.status_code == 404
    assert row_counts() == before


def test_a_period_of_another_plan_in_the_address_falls_back_to_a_period_of_this_plan(
    client_for, commune_head, seed_plan
):
    other_november = seed_period(second_plan(seed_plan), Frequency.MONTHLY, 11)
    url = reverse("figures-entry", args=[seed_plan.pk, "06184"]) + f"?period={other_november.pk}"
    response = client_for(commune_head).get(url)
    assert response.status_code == 200
    assert response.context["period"].plan_id == seed_plan.pk


def test_an_executable_is_refused_as_evidence(client_for, commune_head, seed_plan, on_time, november, media_root):
    before = row_counts()
    data = {"period": november.pk, "action": "submit", f"{on_time.pk}-files": [pdf("setup.exe", b"MZ\x90\x00")]}
    response = client_for(commune_head).post(_entry_url(seed_plan, november), data | _figure(on_time, 98, 100))
    assert response.status_code == 200
    assert "không đúng định dạng cho phép" in response.content.decode()
    assert row_counts() == before
    assert _stored_files(media_root) == []


def test_a_pdf_that_is_not_a_pdf_is_refused_as_evidence(
    client_for, commune_head, seed_plan, on_time, november, media_root
):
    before = row_counts()
    data = {"period": november.pk, "action": "submit", f"{on_time.pk}-files": [pdf("bao-cao.pdf", b"<html>")]}
    response = client_for(commune_head).post(_entry_url(seed_plan, november), data | _figure(on_time, 98, 100))
    assert "Nội dung tệp “bao-cao.pdf” không phải là tệp PDF hợp lệ." in response.content.decode()
    assert row_counts() == before
    assert _stored_files(media_root) == []


def test_an_oversized_file_is_refused_as_evidence(
    client_for, commune_head, seed_plan, on_time, november, media_root, settings
):
    settings.PARPLAN_MAX_UPLOAD_MB = 1
    big = pdf("lon.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    before = row_counts()
    data = {"period": november.pk, "action": "submit", f"{on_time.pk}-files": [big]}
    response = client_for(commune_head).post(_entry_url(seed_plan, november), data | _figure(on_time, 98, 100))
    assert "quá lớn" in response.content.decode()
    assert row_counts() == before
    assert _stored_files(media_root) == []


def test_a_valid_pdf_is_stored_with_a_sanitised_name_and_listed_on_the_page(
    client_for, commune_head, seed_plan, on_time, dong_dang, november, media_root
):
    client = client_for(commune_head)
    data = {"period": november.pk, "action": "submit", f"{on_time.pk}-files": [pdf("Báo cáo Quý I.pdf")]}
    response = client.post(_entry_url(seed_plan, november), data | _figure(on_time, 98, 100))
    assert response.status_code == 302
    evidence = Measurement.objects.get(indicator=on_time, unit=dong_dang, period=november).evidence.get()
    assert evidence.original_name == "Báo cáo Quý I.pdf"
    folder = media_root / "evidence" / "targets.measurement" / str(evidence.owner_id)
    assert Path(evidence.file.path) == folder / "bao-cao-quy-i.pdf"
    assert Path(evidence.file.path).is_file()
    assert "Báo cáo Quý I.pdf" in client.get(_entry_url(seed_plan, november)).content.decode()


# --- Review queue -----------------------------------------------------------------------------


@pytest.fixture
def two_submitted(on_time, dong_dang, bao_lam, november, commune_head, other_commune_head) -> list[Measurement]:
    return [
        submitted(on_time, dong_dang, november, ratio(98, 100), commune_head),
        submitted(on_time, bao_lam, november, ratio(40, 40), other_commune_head),
    ]


def _review(client, plan: Plan, action: str, figures: list[Measurement], **extra: str):
    return client.post(
        reverse("figures-review", args=[plan.pk]), {"action": action, "measurement": [f.pk for f in figures], **extra}
    )


def _statuses(figures: list[Measurement]) -> list[str]:
    return [Measurement.objects.get(pk=f.pk).status for f in figures]


def test_the_queue_lists_submitted_figures_only(client_for, secretariat, seed_plan, two_submitted):
    page = client_for(secretariat).get(reverse("figures-review", args=[seed_plan.pk])).context["page"]
    queued = set(page.paginator.object_list.values_list("pk", flat=True))
    assert {f.pk for f in two_submitted} <= queued
    assert set(Measurement.objects.filter(pk__in=queued).values_list("status", flat=True)) == {"submitted"}


def test_the_queue_writes_a_figure_as_entered_and_its_share_with_one_place(
    client_for, secretariat, seed_plan, on_time, dong_dang, november, commune_head
):
    # Entered as 12,5: the queue wrote "12,50" where the error messages and the rule write "12,5".
    # (A share of an amount: counted dossiers would take whole numbers only.)
    indicator_define(indicator=on_time, parts_counted=False)
    submitted(on_time, dong_dang, november, ratio("12.5", "16"), commune_head)
    html = client_for(secretariat).get(reverse("figures-review", args=[seed_plan.pk])).content.decode()
    assert "12,5 / 16 (78,1%)" in html
    assert "12,50" not in html


def test_the_secretariat_approves_several_figures_at_once(client_for, secretariat, seed_plan, two_submitted):
    response = _review(client_for(secretariat), seed_plan, "approve", two_submitted)
    assert response.status_code == 302
    assert _statuses(two_submitted) == [MeasurementStatus.APPROVED] * 2
    assert _messages(response) == ["Đã duyệt 2 số liệu."]


@pytest.mark.parametrize("who", ["commune_head", "steering", "office_head"])
def test_only_the_secretariat_approves(request, client_for, seed_plan, two_submitted, who):
    response = _review(client_for(request.getfixturevalue(who)), seed_plan, "approve", two_submitted)
    assert response.status_code == 403
    assert _statuses(two_submitted) == [MeasurementStatus.SUBMITTED] * 2


def test_approving_on_the_page_re_evaluates_the_indicator_today(
    client_for, secretariat, seed_plan, on_time, two_submitted, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    IndicatorSnapshot.objects.filter(indicator=on_time, day=today).delete()
    with django_capture_on_commit_callbacks(execute=True):
        _review(client_for(secretariat), seed_plan, "approve", two_submitted)
    # Beat's sweep, a debounce window later (targets.services.evaluations_run_marked).
    evaluations_run_marked(now=timezone.now() + datetime.timedelta(hours=1))
    own = IndicatorSnapshot.objects.get(indicator=on_time, day=today, unit__code="06190")
    assert own.numerator == sum(m.numerator for m in on_time.measurements.filter(unit__code="06190", status="approved"))
    assert IndicatorSnapshot.objects.filter(indicator=on_time, day=today, unit=seed_plan.issuing_unit).exists()


def test_returning_without_a_comment_changes_nothing_and_keeps_the_figures_ticked(
    client_for, secretariat, seed_plan, two_submitted
):
    """Found walking the queue: the refusal came back with every box unticked, 68 figures over two pages to
    tick again. The page is shown again as sent: the figures ticked, the return form open, the other unticked."""
    client = client_for(secretariat)
    [kept, _other] = two_submitted
    response = _review(client, seed_plan, "return", [kept], comment="  ")
    assert response.status_code == 200
    assert _messages(response) == ["Cần ghi rõ lý do trả lại để đơn vị sửa."]
    assert _statuses(two_submitted) == [MeasurementStatus.SUBMITTED] * 2
    page = lxml.html.fromstring(response.content.decode())
    assert page.xpath("//input[@name='measurement'][@checked]/@value") == [str(kept.pk)]
    assert page.xpath(f"//input[@name='measurement'][@value='{_other.pk}']")  # listed, not ticked
    [details] = page.xpath("//details[.//textarea[@name='comment']]")
    assert details.get("open") is not None
    # Each box is named by its row (it was "Chọn", the same for every one): what it chooses, read aloud.
    [box] = page.xpath(f"//input[@name='measurement'][@value='{kept.pk}']")
    name = " ".join(page.get_element_by_id(part).text_content().strip() for part in box.get("aria-labelledby").split())
    assert name.startswith(f"Chọn {kept.period} {kept.unit.name} ")
    assert kept.indicator.name[:40] in name


def test_returning_with_a_comment_sends_the_figures_back(client_for, secretariat, seed_plan, two_submitted):
    _review(client_for(secretariat), seed_plan, "return", two_submitted, comment="Thiếu biên bản.")
    figures = [Measurement.objects.get(pk=f.pk) for f in two_submitted]
    assert [(f.status, f.review_comment) for f in figures] == [(MeasurementStatus.RETURNED, "Thiếu biên bản.")] * 2


def test_a_returned_figure_tells_its_unit_why_with_a_link_to_mend_it(
    client_for, secretariat, seed_plan, november, two_submitted, commune_head, other_commune_head
):
    """Found walking the review: the reason waited unseen on the entry page; no notice reached the unit."""
    from notifications.models import Notification

    _review(client_for(secretariat), seed_plan, "return", two_submitted, comment="Thiếu biên bản.")
    [notice] = Notification.objects.filter(recipient=commune_head, kind="figure_returned")
    assert notice.message.endswith(f"kỳ {november} bị trả lại: Thiếu biên bản.")
    assert notice.url == _entry_url(seed_plan, november)
    assert client_for(commune_head).get(notice.url).status_code == 200
    assert "Số liệu bị trả lại" in client_for(commune_head).get(reverse("notifications")).content.decode()
    # Each unit hears of its own figure only.
    [other] = Notification.objects.filter(recipient=other_commune_head, kind="figure_returned")
    assert other.url == _entry_url(seed_plan, november, two_submitted[1].unit.code)


def test_a_unit_s_figures_returned_together_make_one_notice_for_each_of_its_people(
    client_for, secretariat, seed_plan, november, on_time, dong_dang, bao_lam, commune_head, commune_staff,
    other_commune_head,
):  # fmt: skip
    """Found walking the review: returning a commune's month (three figures) sent each of its people three
    notices, and thirty figures thirty, where one says what to mend and where."""
    from notifications.models import Notification

    extra = add_unit_indicators(seed_plan, count=2, units=[dong_dang])
    figures = [submitted(on_time, dong_dang, november, ratio(98, 100), commune_head)]
    figures += [submitted(indicator, dong_dang, november, ratio(1, 2), commune_head) for indicator in extra]
    figures.append(submitted(on_time, bao_lam, november, ratio(40, 40), other_commune_head))
    _review(client_for(secretariat), seed_plan, "return", figures, comment="Thiếu biên bản.")
    assert _statuses(figures) == [MeasurementStatus.RETURNED] * 4
    for person in (commune_head, commune_staff):
        [notice] = Notification.objects.filter(recipient=person, kind="figure_returned")
        assert notice.message.startswith(f"3 số liệu kỳ {november} bị trả lại (“{Truncator(on_time.name).words(12)}”")
        assert "” và 2 số liệu khác): " in notice.message
        assert notice.message.endswith(": Thiếu biên bản.")
        assert notice.url == _entry_url(seed_plan, november)
    [other] = Notification.objects.filter(recipient=other_commune_head, kind="figure_returned")
    assert other.message.startswith(f"Số liệu “{Truncator(on_time.name).words(12)}” kỳ {november} bị trả lại")
    # Sent again and returned again: a new notice, not one swallowed as a repeat of the first.
    for figure in figures[:3]:
        submitted(figure.indicator, dong_dang, november, ratio(1, 2), commune_head)
    _review(client_for(secretariat), seed_plan, "return", figures[:3], comment="Vẫn thiếu.")
    assert Notification.objects.filter(recipient=commune_head, kind="figure_returned").count() == 2


def test_the_queue_is_filtered_by_unit_and_period_and_keeps_the_filter_after_an_action(
    client_for, secretariat, seed_plan, november, on_time, dong_dang, bao_lam, commune_head, other_commune_head
):
    """Found walking the review: 68 figures, 50 a page, no filter: Đồng Đăng's month lay on two pages and could
    not be returned in one batch."""
    extra = add_unit_indicators(seed_plan, count=2, units=[dong_dang, bao_lam])
    mine = [submitted(i, dong_dang, november, ratio(1, 2), commune_head) for i in [on_time, *extra]]
    theirs = [submitted(i, bao_lam, november, ratio(1, 2), other_commune_head) for i in extra]
    client = client_for(secretariat)
    url = reverse("figures-review", args=[seed_plan.pk])
    listed = client.get(url, {"unit": "06184", "period": november.pk}).context["page"]
    assert {m.pk for m in listed} == {m.pk for m in mine}
    assert not {m.pk for m in theirs} & {m.pk for m in listed}
    # Nonsense in the query string shows every unit, as without a filter.
    assert client.get(url, {"unit": "x'--", "period": "abc"}).context["page"].paginator.count >= len(mine + theirs)
    response = client.post(
        f"{url}?unit=06184&period={november.pk}",
        {"action": "return", "measurement": [m.pk for m in mine], "comment": "Thiếu biên bản."},
    )
    assert response.status_code == 302
    assert response.url == f"{url}?unit=06184&period={november.pk}"
    assert _statuses(mine) == [MeasurementStatus.RETURNED] * 3
    assert _statuses(theirs) == [MeasurementStatus.SUBMITTED] * 2


def test_a_batch_with_one_figure_not_waiting_is_approved_not_at_all(
    client_for, secretariat, seed_plan, on_time, two_submitted
):
    measurement_approve(measurement=two_submitted[0], user=secretariat)
    response = _review(client_for(secretariat), seed_plan, "approve", two_submitted)
    [message] = _messages(response)
    # Who approved it meanwhile, and when: not just "only waiting figures".
    assert message.startswith("Chỉ duyệt được số liệu đang chờ duyệt. Số liệu này đã được Hoàng Thị Lan")
    assert " duyệt lúc " in message
    assert _statuses(two_submitted) == [MeasurementStatus.APPROVED, MeasurementStatus.SUBMITTED]


def test_reopening_on_the_indicator_page_needs_a_reason(client_for, secretariat, on_time, dong_dang, november):
    figure = approved(on_time, dong_dang, november, ratio(98, 100), secretariat)
    response = client_for(secretariat).post(reverse("measurement-reopen", args=[figure.pk]), {"reason": ""})
    assert response.status_code == 302
    assert _messages(response) == ["Cần ghi lý do mở lại số liệu đã duyệt."]
    assert Measurement.objects.get(pk=figure.pk).status == MeasurementStatus.APPROVED


def test_reopening_on_the_indicator_page_keeps_the_reason(client_for, secretariat, on_time, dong_dang, november):
    figure = approved(on_time, dong_dang, november, ratio(98, 100), secretariat)
    client_for(secretariat).post(reverse("measurement-reopen", args=[figure.pk]), {"reason": "Sai mẫu số."})
    latest = figure.history.order_by("-history_id").first()
    assert (latest.status, latest.history_change_reason, latest.history_user) == (
        "returned",
        "Sai mẫu số.",
        secretariat,
    )


@pytest.mark.parametrize("who", ["commune_head", "steering"])
def test_only_the_secretariat_reopens_a_figure(request, client_for, secretariat, on_time, dong_dang, november, who):
    figure = approved(on_time, dong_dang, november, ratio(98, 100), secretariat)
    client = client_for(request.getfixturevalue(who))
    assert client.post(reverse("measurement-reopen", args=[figure.pk]), {"reason": "Sửa."}).status_code == 403
    assert Measurement.objects.get(pk=figure.pk).status == MeasurementStatus.APPROVED


def test_the_secretariat_locks_a_period(client_for, secretariat, november):
    response = client_for(secretariat).post(reverse("period-lock", args=[november.pk]))
    assert response.status_code == 302
    november.refresh_from_db()
    assert november.is_locked


def test_reopening_a_period_on_the_page_needs_a_reason(client_for, secretariat, november):
    period_lock(period=november)
    response = client_for(secretariat).post(reverse("period-lock", args=[november.pk]), {"action": "reopen"})
    assert _messages(response) == ["Cần ghi lý do mở lại kỳ báo cáo."]
    november.refresh_from_db()
    assert november.is_locked


def test_reopening_a_period_on_the_page_keeps_the_reason(client_for, secretariat, november):
    period_lock(period=november)
    client_for(secretariat).post(
        reverse("period-lock", args=[november.pk]), {"action": "reopen", "reason": "Bổ sung số liệu."}
    )
    november.refresh_from_db()
    assert not november.is_locked
    assert november.history.order_by("-history_id").first().history_change_reason == "Bổ sung số liệu."


@pytest.mark.parametrize("who", ["commune_head", "steering"])
def test_only_the_secretariat_locks_periods(request, client_for, november, who):
    response = client_for(request.getfixturevalue(who)).post(reverse("period-lock", args=[november.pk]))
    assert response.status_code == 403
    november.refresh_from_db()
    assert not november.is_locked


# --- Plan indicators list -----------------------------------------------------------------


def test_every_evaluated_indicator_shows_a_status_on_the_list(client_for, commune_head, seed_plan):
    rows = client_for(commune_head).get(reverse("indicator-list", args=[seed_plan.pk])).context["rows"]
    assert len(rows) == Indicator.objects.of_plan(seed_plan).count()
    assert [indicator.name for indicator, snapshot in rows if snapshot is None] == []


def test_one_indicator_re_evaluated_later_does_not_hide_the_others_last_evaluation(
    client_for, commune_head, seed_plan, on_time
):
    evening, next_day = datetime.date(2024, 10, 20), datetime.date(2024, 10, 21)
    IndicatorSnapshot.objects.filter(day__gt=evening).delete()
    # What an approval does: only its own indicator is re-evaluated.
    evaluate_plan(plan=seed_plan, day=next_day, indicator_ids=[on_time.pk])
    rows = client_for(commune_head).get(reverse("indicator-list", args=[seed_plan.pk])).context["rows"]
    days = {indicator.pk: snapshot.day for indicator, snapshot in rows}
    assert days.pop(on_time.pk) == next_day
    assert set(days.values()) == {evening}


def test_the_list_shows_each_indicators_value_and_status(client_for, commune_head, seed_plan, on_time):
    evaluate_plan(plan=seed_plan, day=timezone.localdate(), indicator_ids=[on_time.pk])
    snapshot = IndicatorSnapshot.objects.get(indicator=on_time, day=timezone.localdate(), unit=seed_plan.issuing_unit)
    html = client_for(commune_head).get(reverse("indicator-list", args=[seed_plan.pk])).content.decode()
    assert f"{snapshot.value:.1f}".replace(".", ",") + "%" in html
    assert f'status-{snapshot.status}">{snapshot.get_status_display()}' in html


def test_the_list_writes_values_with_the_english_decimal_point_in_english(client_for, commune_head, seed_plan, on_time):
    # People read their own language's marks; the reports stay Vietnamese (tests/reports).
    evaluate_plan(plan=seed_plan, day=timezone.localdate(), indicator_ids=[on_time.pk])
    snapshot = IndicatorSnapshot.objects.get(indicator=on_time, day=timezone.localdate(), unit=seed_plan.issuing_unit)
    client = client_for(commune_head)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("indicator-list", args=[seed_plan.pk])).content.decode()
    assert '<html lang="en">' in html
    written = f"{snapshot.value:.1f}"
    assert "." in written and written + "%" in html
    assert written.replace(".", ",") + "%" not in html
    assert "&gt; 99 %" in html


# --- Indicator page and definition ---------------------------------------------------------


def test_the_indicator_page_shows_value_status_units_and_chart(client_for, steering, seed_plan, on_time):
    response = client_for(steering).get(reverse("indicator-detail", args=[on_time.pk]))
    page = response.context["page"]
    assert page.authority.unit_id == seed_plan.issuing_unit_id
    assert page.authority.day == IndicatorSnapshot.objects.filter(indicator=on_time).latest("day").day
    assert {s.unit_id for s in page.units} == set(on_time.scope_units.values_list("pk", flat=True))
    assert response.context["chart"] is not None
    html = response.content.decode()
    assert "<svg" in html and "Theo đơn vị" in html and "&gt; 99 %" in html
    assert page.authority.get_status_display() in html


def test_the_indicator_page_shows_a_year_to_date_ratio_beside_its_own_figures(client_for, steering, seed_plan):
    disbursement = Indicator.objects.get(area__plan=seed_plan, area__number=6, target__position=1)
    IndicatorSnapshot.objects.filter(indicator=disbursement, day__gt=datetime.date(2024, 10, 20)).delete()
    evaluate_plan(plan=seed_plan, day=datetime.date(2024, 10, 20), indicator_ids=[disbursement.pk])
    html = client_for(steering).get(reverse("indicator-detail", args=[disbursement.pk])).content.decode()
    assert "145000 vốn đã giải ngân lũy kế (triệu đồng) / 250000" in html.replace(".", "").replace(",", "")


def test_a_commune_head_reads_only_the_commune_s_own_results_and_figures(
    client_for, commune_head, steering, seed_plan, on_time, bao_lam
):
    """Found walking the portal: a commune head's indicator page listed every unit's results and figures,
    drafts included, where the dossier rows behind them are the commune's own only (dossiers.access)."""
    dong_dang = Unit.objects.get(code="06184")
    others = Measurement.objects.filter(indicator=on_time).exclude(unit=dong_dang)
    assert others.filter(unit=bao_lam).exists(), "the seed must give another commune figures"
    url = reverse("indicator-detail", args=[on_time.pk])

    page = client_for(commune_head).get(url)
    assert {s.unit_id for s in page.context["page"].units} <= {dong_dang.pk}
    assert {f.unit_id for f in page.context["page"].figures} == {dong_dang.pk}
    html = page.content.decode()
    assert bao_lam.name not in html
    assert 'id="own-units-only"' in html
    # The authority-wide headline and trend stay: they are the plan's, not a neighbour's.
    assert page.context["page"].authority is not None and page.context["chart"] is not None

    full = client_for(steering).get(url)
    assert bao_lam.pk in {f.unit_id for f in full.context["page"].figures}
    assert bao_lam.name in full.content.decode()
    assert 'id="own-units-only"' not in full.content.decode()


def test_an_authority_wide_indicator_shows_the_commune_head_its_figures_without_the_own_unit_notice(
    client_for, commune_head, seed_plan
):
    """Found walking the portal: on an authority-wide indicator (3/3 met) a commune head read "only your unit's
    results" above "Chưa có số liệu": its figures are the issuer's, the plan's own result, not a neighbour's."""
    indicator = (
        Indicator.objects.filter(area__plan=seed_plan, scope=Scope.AUTHORITY, measurements__isnull=False)
        .distinct()
        .first()
    )
    assert indicator is not None, "the seed plan has an authority-wide indicator with figures"
    page = client_for(commune_head).get(reverse("indicator-detail", args=[indicator.pk]))
    assert 'id="own-units-only"' not in page.content.decode()
    assert {f.unit_id for f in page.context["page"].figures} == set(
        Measurement.objects.filter(indicator=indicator).values_list("unit_id", flat=True)
    )


def test_steering_reads_but_cannot_edit_a_definition(client_for, steering, on_time):
    client = client_for(steering)
    assert client.get(reverse("indicator-detail", args=[on_time.pk])).status_code == 200
    assert client.post(reverse("indicator-edit", args=[on_time.pk]), {"name": "x"}).status_code == 403
    assert Indicator.objects.get(pk=on_time.pk).name == on_time.name


def _definition(indicator: Indicator, **changes: Any) -> dict[str, Any]:
    data = {
        name: getattr(indicator, name)
        for name in (
            "name", "kind", "measure", "comparator", "unit_of_measure", "frequency", "scope", "aggregation", "source",
            "target_type", "numerator_label", "denominator_label",
        )
    }  # fmt: skip
    # As the page shows them: a threshold in the interface's marks, a ticked box sent as "on".
    data |= {
        "threshold": format_number(indicator.threshold),
        "baseline": "",
        "scope_units": [u.pk for u in indicator.scope_units.all()],
    }
    if indicator.parts_counted:
        data["parts_counted"] = "on"
    return data | changes


def test_the_secretariat_edits_a_definition_and_the_change_is_in_its_history(client_for, secretariat, on_time):
    response = client_for(secretariat).post(
        reverse("indicator-edit", args=[on_time.pk]), _definition(on_time, threshold="98,5")
    )
    assert response.status_code == 302
    on_time.refresh_from_db()
    assert on_time.threshold == 98.5
    latest = on_time.history.order_by("-history_id").first()
    assert (latest.threshold, latest.history_user) == (98.5, secretariat)
    assert on_time.scope_units.count() == len(_definition(on_time)["scope_units"])


def test_an_invalid_definition_is_not_saved(client_for, secretariat, on_time):
    history = on_time.history.count()
    response = client_for(secretariat).post(
        reverse("indicator-edit", args=[on_time.pk]), _definition(on_time, threshold="nhiều", kind="khác")
    )
    assert response.status_code == 200
    assert on_time.history.count() == history


# --- Query budgets: the count must not grow with the data ----------------------------------------


@pytest.fixture
def more_data(seed_plan, secretariat, media_root):
    """More indicators on the plan, submitted figures with evidence for more units and periods, more snapshots."""

    def grow() -> None:
        units = list(Unit.objects.filter(code__in=["06184", "06187", "06190", "06193", "06196", "06199"]))
        indicators = add_unit_indicators(seed_plan, count=8, units=units)
        months = [seed_period(seed_plan, Frequency.MONTHLY, n) for n in (10, 11, 12)]
        add_submitted_figures(indicators, units, months, secretariat, evidence=2)
        on_time = Indicator.objects.get(area__plan=seed_plan, area__number=3, target__position=3)
        add_submitted_figures([on_time], units[1:], months[1:], secretariat, evidence=2)
        for day in (datetime.date(2024, 10, d) for d in range(1, 11)):
            evaluate_plan(plan=seed_plan, day=day)

    return grow


def test_entry_page_query_budget(client_for, commune_head, seed_plan, django_assert_num_queries, more_data):
    # 1 session, 2 user, 3 secretariat and committee memberships (none: no role rights), 4 plan
    # (EXISTS membership in the issuer's tree), 5 unit (with kind), 6-7 object permission
    # `enter_figures` (user, groups), 8 the plan's periods, 9 the period's plan, 10 the unit's
    # indicators for the period (with area, target, task), 11 their figures for the unit and period,
    # 12 the figures' evidence, 13-14 object permission `submit_figures` (user, groups),
    # 15 header memberships, 16 header unread notifications.
    client = client_for(commune_head)
    url = _entry_url(seed_plan, seed_period(seed_plan, Frequency.MONTHLY, 10))
    assert client.get(url).status_code == 200
    with django_assert_num_queries(16):
        small = client.get(url)
    more_data()
    with django_assert_num_queries(16):
        large = client.get(url)
    assert len(large.context["forms"]) == len(small.context["forms"]) + 8


def test_review_queue_query_budget(client_for, secretariat, seed_plan, django_assert_num_queries, more_data):
    # 1 session, 2 user, 3-4 rights by role (memberships, role groups' rights), 5 plan, 6 count of the queue,
    # 7 header memberships, 8 header unread notifications, 9 one page of figures (with indicator,
    # area, unit, period, sender), 10 their evidence, 11 the plan's periods (lock buttons, the period filter),
    # 12 the units with figures waiting (the unit filter). The same with a unit and a period picked.
    client = client_for(secretariat)
    url = reverse("figures-review", args=[seed_plan.pk])
    assert client.get(url).status_code == 200
    with django_assert_num_queries(12):
        small = client.get(url)
    more_data()
    with django_assert_num_queries(12):
        large = client.get(url)
    waiting = large.context["page"][0]
    with django_assert_num_queries(12):
        picked = client.get(url, {"unit": waiting.unit.code, "period": waiting.period_id})
    assert waiting in picked.context["page"]
    assert large.context["page"].paginator.count > small.context["page"].paginator.count


def test_indicator_page_query_budget(client_for, steering, seed_plan, django_assert_num_queries, more_data):
    # 1 session, 2 user, 3-4 rights by role (memberships, role groups' rights), 5 indicator (with area, plan, issuer,
    # target, task), 6 authority snapshots by day, 7 units' snapshots of the latest day (with unit),
    # 8 the last 50 figures (with unit and period), 9 the plan's months (the chart's period names),
    # 10 header memberships, 11 header unread notifications.
    client = client_for(steering)
    on_time = Indicator.objects.get(area__plan=seed_plan, area__number=3, target__position=3)
    url = reverse("indicator-detail", args=[on_time.pk])
    assert client.get(url).status_code == 200
    with django_assert_num_queries(11):
        small = client.get(url)
    more_data()
    with django_assert_num_queries(11):
        large = client.get(url)
    assert len(large.context["page"].history) > len(small.context["page"].history)


def test_a_commune_head_s_indicator_page_query_budget(
    client_for, commune_head, seed_plan, django_assert_num_queries, more_data
):
    # As the steering committee's (11), less the role groups' rights (no role rights: 10), each unit's results
    # and the recent figures filtered to the head's units in the same queries (a subquery, no query of its own).
    client = client_for(commune_head)
    on_time = Indicator.objects.get(area__plan=seed_plan, area__number=3, target__position=3)
    url = reverse("indicator-detail", args=[on_time.pk])
    assert client.get(url).status_code == 200
    with django_assert_num_queries(10):
        small = client.get(url)
    more_data()
    with django_assert_num_queries(10):
        large = client.get(url)
    assert {f.unit.code for f in large.context["page"].figures} == {"06184"}
    assert len(large.context["page"].history) > len(small.context["page"].history)


def test_plan_indicator_list_query_budget(client_for, commune_head, seed_plan, django_assert_num_queries, more_data):
    # 1 session, 2 user, 3 secretariat and committee memberships (none: no role rights), 4 plan
    # (EXISTS membership in the issuer's tree), 5 indicators (with area, target, task), 6 each one's
    # newest authority snapshot (one query, a subquery per row), 7 whether the reader enters figures for a
    # unit of the plan (EXISTS), 8 header memberships, 9 header unread notifications.
    client = client_for(commune_head)
    url = reverse("indicator-list", args=[seed_plan.pk])
    assert client.get(url).status_code == 200
    with django_assert_num_queries(9):
        small = client.get(url)
    more_data()
    with django_assert_num_queries(9):
        large = client.get(url)
    assert len(large.context["rows"]) == len(small.context["rows"]) + 8


def test_the_secretariat_sets_an_indicator_s_own_at_risk_band(client_for, secretariat, on_time):
    response = client_for(secretariat).post(
        reverse("indicator-edit", args=[on_time.pk]), _definition(on_time, risk_band="0,5")
    )
    assert response.status_code == 302
    on_time.refresh_from_db()
    assert on_time.risk_band == Decimal("0.5")


def test_an_at_risk_band_out_of_range_is_refused_with_a_message(client_for, secretariat, on_time):
    response = client_for(secretariat).post(
        reverse("indicator-edit", args=[on_time.pk]), _definition(on_time, risk_band="150")
    )
    assert response.status_code == 200
    assert "Khoảng “có nguy cơ” phải từ 0 đến 100." in response.content.decode()
    on_time.refresh_from_db()
    assert on_time.risk_band is None


def test_a_refused_page_opens_on_one_summary_that_links_to_each_mistake(
    client_for, commune_head, seed_plan, on_time, apologised, november
):
    """A head who typed two bad figures among a dozen indicators is taken to one list of what to mend, each
    item a link to its box, before the form (WCAG 3.3.1); the boxes say it too, without a second alert."""
    bad = [_figure(on_time, "mười", 60), _figure(apologised, 2, -3)]
    response = _post_figures(client_for(commune_head), seed_plan, november, "submit", *bad)
    page = lxml.html.fromstring(response.content.decode())
    [summary] = page.xpath("//div[@class='error-summary']")
    assert summary.get("role") == "alert" and page.xpath("//*[@autofocus]") == [
        page.get_element_by_id(summary.xpath(".//a/@href")[0][1:])
    ]
    assert summary.getnext().tag == "form"  # before the figures, not among them
    links = summary.xpath(".//a")
    assert [link.text_content().split(" — ")[1] for link in links] == [
        f"{on_time.numerator_label}: Cần nhập một số.",
        f"{apologised.denominator_label}: Giá trị không được âm.",
    ]
    assert [link.text_content().split(" — ")[0] for link in links] == [
        Truncator(indicator.name).chars(80) for indicator in (on_time, apologised)
    ]
    for link in links:  # each link finds its box, marked invalid
        [box] = page.xpath(f"//*[@id='{link.get('href')[1:]}']")
        assert box.tag == "input" and box.get("aria-invalid") == "true"
    assert page.xpath("//form//*[@role='alert']") == []
    assert client_for(commune_head).get(_entry_url(seed_plan, november)).content.decode().count("error-summary") == 0


def test_a_yes_no_indicator_s_page_says_met_or_not_and_a_rate_is_never_written_as_its_threshold(
    client_for, steering, seed_plan
):
    """Found walking the portal: a yes/no indicator's headline and list read "1,0" where its figures say "Đạt";
    and 99,02% was written "99,0%" under its rule "> 99 %", which reads as a miss."""
    from targets.status import value_written

    evaluate_plan(plan=seed_plan, day=datetime.date(2024, 12, 14))
    client = client_for(steering)
    shown = 0
    for indicator in Indicator.objects.filter(area__plan=seed_plan, kind=IndicatorKind.MILESTONE):
        snapshot = (
            IndicatorSnapshot.objects.filter(indicator=indicator, unit=seed_plan.issuing_unit).order_by("day").last()
        )
        if snapshot is None or snapshot.value is None:
            continue
        page = lxml.html.fromstring(client.get(reverse("indicator-detail", args=[indicator.pk])).content.decode())
        [headline] = page.xpath("//p[@class='big']/strong[@class='value']")
        assert headline.text_content() == ("Đạt" if snapshot.value >= 1 else "Không đạt")
        shown += 1
    assert shown, "the seed plan has yes/no indicators with a value on 14/12"
    rate = Indicator(kind=IndicatorKind.RATIO, comparator="gt", threshold=Decimal(99))
    assert value_written(rate, Decimal("99.0200")) == "99,02%"
    assert value_written(rate, Decimal("98.9600")) == "98,96%"
    assert value_written(rate, Decimal("87.2500")) == "87,3%"
    assert value_written(rate, Decimal("99.0000")) == "99,0%"
    assert value_written(Indicator(kind="amount", threshold=None), Decimal("1234567.55")) == "1.234.567,6"
