"""Bad input is refused with a Vietnamese message and nothing half-saved."""

from __future__ import annotations

import datetime

import pytest

from inspections.models import AreaCheck, InspectionKind, InspectionPlan, Recommendation, Visit
from parplan.models import Unit

D = datetime.date


@pytest.fixture
def par(seed_plan):
    return InspectionPlan.objects.get(plan=seed_plan, kind=InspectionKind.PAR)


def _visit_form(par, unit, start, end, secretariat, **extra):
    area = par.areas.order_by("number").first()
    return {"unit": unit.pk, "start_date": start, "end_date": end, "direct": "on", "team": [secretariat.pk],
            "lead": secretariat.pk, f"check_{area.pk}": "Đã kiểm tra niêm yết TTHC.", **extra}  # fmt: skip


def _counts():
    return Visit.objects.count(), AreaCheck.objects.count(), Recommendation.objects.count()


def test_a_visit_outside_the_plans_year(par, client_for, secretariat):
    before = _counts()
    data = _visit_form(par, Unit.objects.get(code="06184"), "10/03/2024", "20/12/2024", secretariat)
    page = client_for(secretariat).post(f"/inspections/plans/{par.pk}/visits/new/", data).content.decode()
    assert "Ngày phải trong năm kế hoạch 2024 (từ 15/12/2023 đến 14/12/2024)." in page
    assert _counts() == before


def test_a_unit_outside_the_issuers_tree(par, secretariat, other_authority):
    from django.core.exceptions import ValidationError

    from tests.inspections.builders import visit

    before = _counts()
    with pytest.raises(ValidationError) as refused:
        visit(par, "06112", D(2024, 3, 1))  # Thị trấn Na Sầm, of huyện Văn Lãng
    assert refused.value.message_dict["unit"] == ["Đơn vị “Thị trấn Na Sầm” không trực thuộc UBND huyện Cao Lộc."]
    assert _counts() == before


def test_a_recommendation_without_a_deadline(par, client_for, secretariat):
    visit = par.visits.first()
    before = _counts()
    response = client_for(secretariat).post(f"/inspections/visits/{visit.pk}/recommendations/new/", {"text": "Sửa."})
    assert "Kiến nghị phải có hạn thực hiện." in response.content.decode()
    assert _counts() == before


def test_an_answer_without_text(par, client_for, commune_head):
    recommendation = Recommendation.objects.get(visit__inspection_plan=par, unit__code="06184")
    response = client_for(commune_head).post(f"/inspections/recommendations/{recommendation.pk}/answer/", {"text": " "})
    assert "Cần ghi kết quả thực hiện kiến nghị." in response.content.decode()
    recommendation.refresh_from_db()
    assert (recommendation.state, recommendation.response) == ("open", "")
