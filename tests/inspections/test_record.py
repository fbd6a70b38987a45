"""The visit's record (biên bản) prints through the report renderers, for those who read the visit."""

from __future__ import annotations

import io

import pdfplumber

from inspections.models import InspectionKind, Visit


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def test_the_record_prints_the_visit_in_the_official_format(seed_plan, client_for, commune_head, other_commune_head):
    visit = Visit.objects.filter(
        inspection_plan__plan=seed_plan, inspection_plan__kind=InspectionKind.PAR, unit__code="06184"
    ).earliest("start_date")
    url = f"/inspections/visits/{visit.pk}/record.pdf"
    response = client_for(commune_head).get(url)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(_text(response.content).split())
    assert "PHÒNG NỘI VỤ" in text and "BIÊN BẢN KIỂM TRA" in text
    assert "Về công tác cải cách hành chính tại Thị trấn Đồng Đăng" in text
    assert "Căn cứ Quyết định số 125/QĐ-UBND ngày 22/01/2024" in text
    assert "Nhiều hồ sơ" in text  # the finding, in a narrow column of the grid
    assert "Khắc phục: nhiều hồ sơ trễ hạn chưa có văn bản xin lỗi người dân." in text
    assert "Thời hạn thực hiện: trước ngày 24/05/2024." in text
    assert "Lương Văn Hải, Trưởng đoàn" in text
    assert client_for(other_commune_head).get(url).status_code == 404
