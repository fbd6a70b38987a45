"""The results table and a scorecard as Excel and PDF, read back."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from django.urls import reverse
from openpyxl import load_workbook

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
    assert rows[0][4] == f"{results[0].final_total:.2f}".replace(".", ",")
    assert sheet.page_setup.paperSize == int(sheet.PAPERSIZE_A4)


def test_the_results_export_to_pdf_in_the_official_format(client_for, steering, finished):
    response = client_for(steering).get(reverse("scoring-results-export", args=[finished.pk, "pdf"]))
    assert response.status_code == 200
    with pdfplumber.open(io.BytesIO(response.content)) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "ỦY BAN NHÂN DÂN" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM" in text
    assert round_results(finished)[0].unit.name in text


def test_a_unit_downloads_its_own_scorecard_only(client_for, commune_head, finished):
    client = client_for(commune_head)
    own = finished.scores.filter(unit__memberships__user=commune_head).first().unit
    other = finished.scores.exclude(unit=own).first().unit
    response = client.get(reverse("scoring-sheet-export", args=[finished.pk, own.code, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert client.get(reverse("scoring-sheet-export", args=[finished.pk, other.code, "xlsx"])).status_code == 404
    assert client.get(reverse("scoring-results-export", args=[finished.pk, "xlsx"])).status_code == 404
