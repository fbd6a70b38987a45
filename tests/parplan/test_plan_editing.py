"""Plans edited in the portal: start, edit details, areas, targets and responsibilities, activate, copy.

An active plan's changes carry a reason into its history; a closed plan is not changed; only the secretariat
of the issuer edits.
"""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.urls import reverse

from parplan.models import Plan, PlanStatus, Unit
from targets.models import Period, Target

pytestmark = pytest.mark.django_db
NEXT = 2027


@pytest.fixture
def draft(client_for, secretariat) -> Plan:
    client = client_for(secretariat)
    issuer = Unit.objects.get(code="183")
    response = client.post(
        reverse("plan-new"), {"issuer": issuer.pk, "year": NEXT, "title": "Cải cách hành chính 2027"}
    )
    plan = Plan.objects.get(issuing_unit=issuer, year=NEXT)
    assert response["Location"] == reverse("plan-detail", args=[plan.pk])
    return plan


def test_a_new_plan_is_a_draft_with_its_years_reporting_periods(draft):
    assert draft.status == PlanStatus.DRAFT
    assert Period.objects.filter(plan=draft).exists()


def test_a_second_plan_for_the_same_issuer_and_year_is_a_form_error(client_for, secretariat, current_plan):
    page = client_for(secretariat).post(
        reverse("plan-new"), {"issuer": current_plan.issuing_unit_id, "year": current_plan.year, "title": "Trùng"}
    )
    assert page.status_code == 200 and "đã có kế hoạch năm" in page.context["form"].errors["year"][0]


def test_a_draft_is_built_area_by_area_then_activated(client_for, secretariat, draft):
    client = client_for(secretariat)
    client.post(
        reverse("area-new", args=[draft.pk]), {"name": "Cải cách thủ tục hành chính", "targets_heading": "Chỉ tiêu"}
    )
    area = draft.areas.get()
    assert area.number == 1
    client.post(reverse("target-new", args=[draft.pk, 1]), {"text": "Trên 98% hồ sơ TTHC được giải quyết đúng hạn."})
    target = Target.objects.get(area=area)
    assert [(i.comparator, i.threshold) for i in target.indicators.all()] == [("gt", 98)]
    response = client.post(reverse("plan-activate", args=[draft.pk]))
    assert response["Location"] == reverse("plan-detail", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ACTIVE
    assert draft.history.first().history_change_reason == "Kích hoạt kế hoạch"


def test_activating_twice_gives_one_clear_message(client_for, secretariat, draft):
    client = client_for(secretariat)
    client.post(reverse("area-new", args=[draft.pk]), {"name": "Cải cách thể chế", "targets_heading": "Chỉ tiêu"})
    client.post(reverse("plan-activate", args=[draft.pk]))
    page = client.post(reverse("plan-activate", args=[draft.pk]), follow=True)
    assert "Kế hoạch này không còn là dự thảo" in page.content.decode()


def test_an_empty_draft_is_not_activated(client_for, secretariat, draft):
    page = client_for(secretariat).post(reverse("plan-activate", args=[draft.pk]), follow=True)
    assert "Kế hoạch chưa có lĩnh vực nào" in page.content.decode()
    draft.refresh_from_db()
    assert draft.status == PlanStatus.DRAFT


def _details(plan: Plan, **changes) -> dict:
    fields = {"title": plan.title, "number": plan.number, "symbol": plan.symbol, "place": plan.place}
    return {**fields, "issue_date": plan.issue_date.strftime("%d/%m/%Y") if plan.issue_date else "", **changes}


def test_an_active_plans_change_needs_a_reason_which_its_history_keeps(client_for, secretariat, current_plan):
    client = client_for(secretariat)
    page = client.post(reverse("plan-edit", args=[current_plan.pk]), _details(current_plan, place="Đồng Đăng"))
    assert page.status_code == 200
    assert page.context["form"].errors["reason"] == ["Kế hoạch đang thực hiện: hãy ghi lý do thay đổi."]
    current_plan.refresh_from_db()
    assert current_plan.place != "Đồng Đăng"
    client.post(
        reverse("plan-edit", args=[current_plan.pk]),
        _details(current_plan, place="Đồng Đăng", reason="Sửa địa danh theo văn bản gốc"),
    )
    current_plan.refresh_from_db()
    assert current_plan.place == "Đồng Đăng"
    latest = current_plan.history.first()
    assert (latest.history_change_reason, latest.history_user) == ("Sửa địa danh theo văn bản gốc", secretariat)


def test_a_closed_plan_is_not_changed(client_for, secretariat, seed_plan):
    page = client_for(secretariat).post(
        reverse("plan-edit", args=[seed_plan.pk]), _details(seed_plan, place="Khác", reason="thử")
    )
    assert page.status_code == 200 and "Kế hoạch đã kết thúc: không sửa được nữa." in page.content.decode()
    seed_plan.refresh_from_db()
    assert seed_plan.place == "Cao Lộc"


def test_a_target_with_figures_is_not_read_into_fewer_indicators(client_for, secretariat, current_plan):
    with_figures = Target.objects.filter(area__plan=current_plan, indicators__measurements__isnull=False)
    target = with_figures.annotate(n=Count("indicators", distinct=True)).filter(n__gt=1).first()
    held = target.indicators.count()
    url = reverse("target-edit", args=[current_plan.pk, target.area.number, target.position])
    page = client_for(secretariat).post(url, {"text": "Hoàn thành nhiệm vụ được giao.", "reason": "Gộp chỉ tiêu"})
    assert page.status_code == 200
    assert f"Chỉ tiêu này đã có số liệu cho {held} chỉ số, nội dung mới nêu 1 chỉ số" in page.content.decode()
    target.refresh_from_db()
    assert target.text != "Hoàn thành nhiệm vụ được giao." and target.indicators.count() == held


def test_responsibilities_are_edited_with_their_units(client_for, secretariat, draft):
    client = client_for(secretariat)
    office = Unit.objects.get(code="183-NV")
    client.post(
        reverse("responsibility-new", args=[draft.pk]),
        {"heading": "Phòng Nội vụ", "text": "Tham mưu, theo dõi.", "units": [office.pk]},
    )
    item = draft.responsibilities.get()
    assert (item.number, item.heading, list(item.units.all())) == (1, "Phòng Nội vụ", [office])


def test_copy_to_next_year_makes_a_draft_without_work(client_for, secretariat, current_plan):
    response = client_for(secretariat).post(reverse("plan-copy", args=[current_plan.pk]))
    copy = Plan.objects.get(issuing_unit=current_plan.issuing_unit, year=current_plan.year + 1)
    assert response["Location"] == reverse("plan-detail", args=[copy.pk])
    assert copy.status == PlanStatus.DRAFT
    assert copy.areas.count() == current_plan.areas.count()


@pytest.mark.parametrize("who", ["commune_head", "office_head", "steering"])
def test_only_the_secretariat_edits(client_for, request, who, current_plan):
    client = client_for(request.getfixturevalue(who))
    for url in (
        reverse("plan-edit", args=[current_plan.pk]),
        reverse("area-new", args=[current_plan.pk]),
        reverse("target-new", args=[current_plan.pk, 1]),
        reverse("responsibility-new", args=[current_plan.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("plan-activate", args=[current_plan.pk])).status_code == 403
    assert client.post(reverse("plan-copy", args=[current_plan.pk])).status_code == 403
    assert client.get(reverse("plan-new")).status_code == 403


def test_another_authoritys_secretariat_changes_nothing(client_for, other_authority, current_plan):
    client = client_for(other_authority.secretariat)
    posts = {
        reverse("plan-edit", args=[current_plan.pk]): _details(current_plan, place="Văn Lãng", reason="thử"),
        reverse("area-new", args=[current_plan.pk]): {
            "name": "Lĩnh vực lạ",
            "targets_heading": "Chỉ tiêu",
            "reason": "x",
        },
        reverse("target-new", args=[current_plan.pk, 1]): {"text": "100% văn bản.", "reason": "x"},
        reverse("responsibility-new", args=[current_plan.pk]): {"heading": "Lạ", "text": "", "reason": "x"},
        reverse("plan-activate", args=[current_plan.pk]): {},
        reverse("plan-copy", args=[current_plan.pk]): {},
    }
    areas, targets = current_plan.areas.count(), Target.objects.filter(area__plan=current_plan).count()
    for url, data in posts.items():
        assert client.post(url, data).status_code in (403, 404), url
    current_plan.refresh_from_db()
    assert current_plan.place != "Văn Lãng" and current_plan.areas.count() == areas
    assert Target.objects.filter(area__plan=current_plan).count() == targets
    assert not Plan.objects.filter(issuing_unit=current_plan.issuing_unit, year=current_plan.year + 1).exists()
