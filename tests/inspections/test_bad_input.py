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


def test_an_answer_without_text_keeps_no_file_either(par, client_for, commune_head, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.models import Evidence
    from tests.files import pdf_bytes

    recommendation = Recommendation.objects.get(visit__inspection_plan=par, unit__code="06184")
    files_before = Evidence.objects.count()
    upload = SimpleUploadedFile("Báo cáo.pdf", pdf_bytes(), content_type="application/pdf")
    response = client_for(commune_head).post(f"/inspections/recommendations/{recommendation.pk}/answer/",
                                             {"text": "", "files": [upload]})  # fmt: skip
    assert "Cần ghi kết quả thực hiện kiến nghị." in response.content.decode()
    assert Evidence.objects.count() == files_before
    assert Recommendation.objects.get(pk=recommendation.pk).version == recommendation.version


def test_an_answer_without_text_through_the_service_is_refused_before_its_file(par, commune_head, media_root):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evidence.models import Evidence
    from inspections.services import recommendation_answer
    from tests.files import pdf_bytes

    recommendation = Recommendation.objects.get(visit__inspection_plan=par, unit__code="06184")
    files_before = Evidence.objects.count()
    upload = SimpleUploadedFile("Báo cáo.pdf", pdf_bytes(), content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        recommendation_answer(recommendation=recommendation, user=commune_head, text="  ", files=[upload])
    assert refused.value.message_dict == {"text": ["Cần ghi kết quả thực hiện kiến nghị."]}
    assert Evidence.objects.count() == files_before


def test_a_recommendation_without_a_deadline_through_the_service(par, secretariat):
    from django.core.exceptions import ValidationError

    from inspections.services import recommendation_add

    before = _counts()
    with pytest.raises(ValidationError) as refused:
        recommendation_add(visit=par.visits.first(), text="Sửa.", deadline=None, finding=None, user=secretariat)
    assert refused.value.message_dict == {"deadline": ["Kiến nghị phải có hạn thực hiện."]}
    assert _counts() == before


def test_a_planned_unit_outside_the_issuers_tree(par, other_authority):
    from django.core.exceptions import ValidationError

    from inspections.services import planned_unit_add

    planned = par.planned.count()
    with pytest.raises(ValidationError) as refused:
        planned_unit_add(inspection_plan=par, unit=Unit.objects.get(code="06112"), month=5, unannounced=False)
    assert refused.value.message_dict["unit"] == ["Đơn vị “Thị trấn Na Sầm” không trực thuộc UBND huyện Cao Lộc."]
    assert par.planned.count() == planned


def test_a_visit_ending_before_it_starts_and_one_a_year_early(par, client_for, secretariat):
    before = _counts()
    unit = Unit.objects.get(code="06184")
    page = (
        client_for(secretariat)
        .post(
            f"/inspections/plans/{par.pk}/visits/new/", _visit_form(par, unit, "20/03/2024", "10/03/2024", secretariat)
        )
        .content.decode()
    )
    assert "Ngày kết thúc không được trước ngày bắt đầu." in page
    page = (
        client_for(secretariat)
        .post(
            f"/inspections/plans/{par.pk}/visits/new/", _visit_form(par, unit, "10/03/2023", "12/03/2023", secretariat)
        )
        .content.decode()
    )
    assert "Ngày phải trong năm kế hoạch 2024 (từ 15/12/2023 đến 14/12/2024)." in page
    assert _counts() == before
