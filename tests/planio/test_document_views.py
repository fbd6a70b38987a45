"""The plan-document pages: upload, review (correct, merge, split, re-type, drop), confirm; who may; bad files."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parplan.models import Plan, PlanStatus, Unit
from planio.models import PlanDocument
from targets.models import Indicator
from tasks.models import Task
from tests.planio.documents import seed_docx

pytestmark = pytest.mark.django_db
YEAR = 2027  # the demo holds 2024's plan and this year's


def _upload(client, content: bytes = b"", name: str = "ke-hoach-2027.docx", year: Any = YEAR):
    file = SimpleUploadedFile(name, content or seed_docx())
    return client.post(reverse("plan-documents"), {"file": file, "issuer": _issuer_pk(), "year": year})


def _issuer_pk() -> int:
    return Unit.objects.get(code="183").pk


def _posted(response) -> dict[str, Any]:
    """The review form as the page sends it back unchanged."""
    forms = response.context["forms"]
    data: dict[str, Any] = {"version": response.context["document"].version}
    for key in ("plan", "areas", "items", "responsibilities"):
        form_or_set = forms[key]
        sets = [form_or_set] if key == "plan" else [form_or_set.management_form, *form_or_set]
        for form in sets:
            for field in form:
                value = field.value()
                if value is None or value is False:
                    continue
                if hasattr(value, "strftime"):
                    value = value.strftime("%d/%m/%Y")
                data[field.html_name] = value
    return data


@pytest.fixture
def review(client_for, secretariat, media_root):
    client = client_for(secretariat)
    response = _upload(client)
    document = PlanDocument.objects.get(original_name="ke-hoach-2027.docx")
    assert response.status_code == 302 and response["Location"] == reverse("plan-document-review", args=[document.pk])
    return client, document


def test_the_review_shows_the_documents_paragraphs_beside_every_item_read(review):
    client, document = review
    page = client.get(reverse("plan-document-review", args=[document.pk]))
    assert page.status_code == 200
    assert len(page.context["rows"]) == 19 + 37
    body = page.content.decode()
    assert 'id="block-110"' in body and "Số thứ tự mục tổ chức thực hiện nhảy từ 4 sang 6" in body
    assert "Trên 99% tỷ lệ hồ sơ TTHC" in body and "35 đơn vị báo cáo" in body
    assert not Plan.objects.filter(year=YEAR, issuing_unit__code="183").exists()  # nothing saved yet


def _row(data: dict[str, Any], text_start: str) -> str:
    """The form prefix ("item-12") of the row whose text starts so."""
    key = next(key for key, value in data.items() if key.endswith("-text") and str(value).startswith(text_start))
    return key.removesuffix("-text")


def test_corrections_are_saved_and_the_confirmed_plan_has_them(review, secretariat):
    client, document = review
    data = _posted(client.get(reverse("plan-document-review", args=[document.pk])))
    # Correct one task's lead and deadline; drop one; merge one into the task above; split one in two;
    # re-type a target as a task.
    data[f"{_row(data, 'Tiếp tục tạo lập môi trường')}-lead_unit"] = "183-TCKH"
    data[f"{_row(data, 'Tiếp tục tạo lập môi trường')}-due_date"] = "30/06/2027"
    data[f"{_row(data, 'Thường xuyên rà soát văn bản')}-kind"] = "delete"
    data[f"{_row(data, 'Tiếp tục sắp xếp, sáp nhập thôn')}-merge"] = "on"
    split = _row(data, "Triển khai đo lường mức độ hài lòng")
    data[f"{split}-text"] = "Triển khai đo lường mức độ hài lòng.\r\n\r\nCông bố kết quả đo lường."
    data[f"{_row(data, 'Chấp hành chế độ báo cáo')}-kind"] = "task"
    data["confirm"] = "1"
    response = client.post(reverse("plan-document-review", args=[document.pk]), data)
    plan = Plan.objects.get(issuing_unit__code="183", year=YEAR)
    assert response.status_code == 302 and response["Location"] == reverse("plan-detail", args=[plan.pk])
    assert plan.status == PlanStatus.DRAFT and plan.source_document == document
    tasks = Task.objects.filter(area__plan=plan)
    assert tasks.count() == 37 - 1 - 1 + 1 + 1
    led = tasks.get(text__startswith="Tiếp tục tạo lập môi trường")
    assert (led.lead_unit.code, led.due_date.strftime("%d/%m/%Y")) == ("183-TCKH", "30/06/2027")
    assert not tasks.filter(text__startswith="Thường xuyên rà soát văn bản").exists()
    merged = tasks.get(text__startswith="Tiếp tục triển khai thực hiện có hiệu quả Nghị quyết số 18-NQ/TW")
    assert "Tiếp tục sắp xếp, sáp nhập thôn" in merged.text
    assert tasks.filter(text="Công bố kết quả đo lường.", area__number=4).exists()
    assert tasks.filter(text__startswith="Chấp hành chế độ báo cáo", area__number=6).exists()
    assert plan.areas.get(number=6).targets.count() == 2
    # The history names the secretariat as the author of the created records.
    assert plan.history.first().history_user == secretariat
    # The seed's 25 target indicators and 2 in task bullets, less the milestone re-typed as a task.
    assert Indicator.objects.of_plan(plan).count() == 25 + 2 - 1


def test_saving_without_confirming_keeps_the_corrections_and_creates_no_plan(review):
    client, document = review
    data = _posted(client.get(reverse("plan-document-review", args=[document.pk])))
    data[f"{_row(data, 'Tiếp tục tạo lập môi trường')}-lead_unit"] = "183-TCKH"
    data["save"] = "1"
    assert client.post(reverse("plan-document-review", args=[document.pk]), data).status_code == 302
    document.refresh_from_db()
    assert document.version == 2
    task = document.data["areas"][0]["tasks"][3]
    assert task["lead_unit"] == "183-TCKH"
    assert not Plan.objects.filter(issuing_unit__code="183", year=YEAR).exists()
    no_lead = [w["message"] for w in document.warnings if w["code"] == "no_lead"]
    assert no_lead[0] == "Lĩnh vực 1: 3 nhiệm vụ chưa có cơ quan chủ trì (1.1, 1.2, 1.3)."


def test_a_second_reviewer_saving_an_older_page_is_told_and_loses_nothing(review):
    client, document = review
    data = _posted(client.get(reverse("plan-document-review", args=[document.pk])))
    first = {**data, "save": "1", f"{_row(data, 'Tiếp tục tạo lập môi trường')}-lead_unit": "183-TCKH"}
    second = {**data, "save": "1", f"{_row(data, 'Tiếp tục tạo lập môi trường')}-lead_unit": "183-VP"}
    client.post(reverse("plan-document-review", args=[document.pk]), first)
    page = client.post(reverse("plan-document-review", args=[document.pk]), second)
    assert page.status_code == 200
    assert "Người khác đã lưu chỉnh sửa của văn bản này" in page.content.decode()
    row = _row(second, "Tiếp tục tạo lập môi trường")
    assert page.context["forms"]["items"].forms[int(row.split("-")[1])]["lead_unit"].value() == "183-VP"
    document.refresh_from_db()
    assert document.data["areas"][0]["tasks"][3]["lead_unit"] == "183-TCKH"


def test_a_wrong_date_redisplays_the_form_with_its_error_and_saves_nothing(review):
    client, document = review
    data = _posted(client.get(reverse("plan-document-review", args=[document.pk])))
    row = _row(data, "Tiếp tục tạo lập môi trường")
    data[f"{row}-due_date"] = "31/02/2027"
    data["confirm"] = "1"
    page = client.post(reverse("plan-document-review", args=[document.pk]), data)
    assert page.status_code == 200
    assert "Ngày không hợp lệ: nhập theo dạng dd/mm/yyyy" in page.content.decode()
    document.refresh_from_db()
    assert document.version == 1 and document.plan is None


def test_a_date_outside_the_plans_year_is_refused_on_confirm_with_the_reason(review):
    client, document = review
    data = _posted(client.get(reverse("plan-document-review", args=[document.pk])))
    data[f"{_row(data, 'Tiếp tục tạo lập môi trường')}-due_date"] = "30/06/2035"
    data["confirm"] = "1"
    response = client.post(reverse("plan-document-review", args=[document.pk]), data, follow=True)
    assert not Plan.objects.filter(issuing_unit__code="183", year=YEAR).exists()
    errors = [str(message) for message in response.context["messages"]]
    assert any(
        m.startswith("areas[0].tasks[3].due_date: Ngày phải trong khoảng 01/01/2026 – 31/12/2028") for m in errors
    )


def test_confirming_twice_creates_one_plan(review):
    client, document = review
    data = {**_posted(client.get(reverse("plan-document-review", args=[document.pk]))), "confirm": "1"}
    client.post(reverse("plan-document-review", args=[document.pk]), data)
    again = client.post(reverse("plan-document-review", args=[document.pk]), data)
    assert again.status_code == 302  # the page of the plan it already became
    assert Plan.objects.filter(issuing_unit__code="183", year=YEAR).count() == 1


def test_a_page_that_no_longer_matches_the_stored_rows_is_refused(review):
    client, document = review
    data = _posted(client.get(reverse("plan-document-review", args=[document.pk])))
    data["item-TOTAL_FORMS"] = "3"  # a hand-made request, or a page from before a split saved elsewhere
    data["confirm"] = "1"
    page = client.post(reverse("plan-document-review", args=[document.pk]), data, follow=True)
    assert "Trang này không còn khớp với bản đọc đã lưu" in page.content.decode()
    assert not Plan.objects.filter(issuing_unit__code="183", year=YEAR).exists()


def test_confirming_a_page_older_than_another_reviewers_save_is_refused(review):
    client, document = review
    data = _posted(client.get(reverse("plan-document-review", args=[document.pk])))
    document.refresh_from_db()
    PlanDocument.objects.filter(pk=document.pk).update(version=document.version + 1)  # another reviewer saved
    page = client.post(reverse("plan-document-review", args=[document.pk]), {**data, "confirm": "1"})
    assert page.status_code == 200 and "Người khác đã lưu chỉnh sửa" in page.content.decode()
    assert not Plan.objects.filter(issuing_unit__code="183", year=YEAR).exists()


def test_a_bad_file_is_refused_on_the_form_and_nothing_is_kept(client_for, secretariat, media_root):
    client = client_for(secretariat)
    before = PlanDocument.objects.count()
    page = _upload(client, b"%PDF-1.7\n", "ke-hoach.pdf")
    assert page.status_code == 200
    assert "Tệp PDF không giữ được cấu trúc văn bản" in page.content.decode()
    assert PlanDocument.objects.count() == before


def test_a_year_not_a_number_is_a_form_error(client_for, secretariat, media_root):
    page = _upload(client_for(secretariat), year="hai nghìn")
    assert page.status_code == 200 and page.context["form"].errors["year"]


@pytest.mark.parametrize("who", ["commune_head", "office_head", "steering", "outsider"])
def test_only_the_secretariat_may_upload(client_for, who, request, media_root):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("plan-documents")).status_code == 403
    assert _upload(client).status_code == 403


def test_another_authoritys_secretariat_does_not_see_the_document(review, other_authority, client_for):
    _, document = review
    other = client_for(other_authority.secretariat)
    assert other.get(reverse("plan-document-review", args=[document.pk])).status_code == 404
    assert document.original_name not in other.get(reverse("plan-documents")).content.decode()
