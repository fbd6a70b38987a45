"""The results table and a scorecard as Excel and PDF, read back."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parplan.models import Plan
from scoring.models import ScoringRound
from scoring.selectors import round_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished() -> ScoringRound:
    return ScoringRound.objects.select_related("tree__authority").get(tree__year=2024, tree__group="communes")


def test_the_results_export_to_excel_in_rank_order(client_for, secretariat, finished):
    response = client_for(secretariat).get(reverse("scoring-results-export", args=[finished.pk, "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    results = round_results(finished)
    assert [row[1] for row in rows] == [r.unit.name for r in results]
    # Points are numbers in the workbook, not text: a sum or a sort in Excel works on them.
    assert rows[0][4] == pytest.approx(float(results[0].final_total))
    assert sheet.cell(3, 5).number_format == "0.00" and sheet.cell(3, 5).data_type == "n"
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)


def test_the_results_export_to_pdf_in_the_official_format(client_for, steering, finished):
    response = client_for(steering).get(reverse("scoring-results-export", args=[finished.pk, "pdf"]))
    assert response.status_code == 200
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "ỦY BAN NHÂN DÂN" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM" in text
    assert round_results(finished)[0].unit.name in text
    # NĐ 30/2020: the number left for the clerk, place and date, recipients, who signs (the 2024 plan's signer).
    plan = Plan.objects.get(issuing_unit=finished.tree.authority, year=2024)
    today = timezone.localdate()
    assert "Số: ....../BC-UBND" in text
    assert f"{plan.place}, ngày {today.day:02d} tháng" in text
    assert "Nơi nhận:" in text and "Lưu: VT" in text
    assert plan.signer_name and plan.signer_name in text


def test_a_scorecard_prints_its_points_with_the_decimal_comma_and_is_signed(client_for, secretariat, finished):
    unit = finished.scores.first().unit
    response = client_for(secretariat).get(reverse("scoring-sheet-export", args=[finished.pk, unit.code, "pdf"]))
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    first = finished.scores.filter(unit=unit).select_related("criterion").order_by("criterion__position").first()
    assert f"{first.criterion.max_points:.2f}".replace(".", ",") in text
    assert "None" not in text and "Nơi nhận:" in text


def test_a_unit_downloads_its_own_scorecard_only(client_for, commune_head, finished):
    client = client_for(commune_head)
    own = finished.scores.filter(unit__memberships__user=commune_head).first().unit
    other = finished.scores.exclude(unit=own).first().unit
    response = client.get(reverse("scoring-sheet-export", args=[finished.pk, own.code, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("scoring-sheet-export", args=[finished.pk, other.code, "xlsx"])).status_code == 404
    assert client.get(reverse("scoring-results-export", args=[finished.pk, "xlsx"])).status_code == 404


def test_a_scorecard_names_the_figures_a_ratio_item_was_scored_from(client_for, secretariat, finished):
    score = finished.scores.filter(criterion__code="3.3").select_related("unit").first()
    response = client_for(secretariat).get(reverse("scoring-sheet-export", args=[finished.pk, score.unit.code, "xlsx"]))
    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    row = next(row for row in rows if row[0] == "3.3")
    figures = f"{score.self_numerator.normalize():f}/{score.self_denominator.normalize():f}"
    assert str(row[-1]).startswith(f"Tự chấm tính từ {figures}")
