"""Core pages: who may read and change plans, areas and units; their query budgets."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from parplan.models import Plan, PlanStatus, Unit
from tests.builders import add_members, add_targets, add_tasks

COMMUNE = "06184"  # Thị trấn Đồng Đăng: commune_head and commune_staff
OTHER_COMMUNE = "06190"  # Xã Bảo Lâm: other_commune_head

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
# The plan is a published document: everyone with a membership reads it.
READ = dict.fromkeys(CAST, 200) | {"outsider": 404}
# Only global editors and the unit's own head change a unit's contact page.
EDIT_COMMUNE_GET = {
    "secretariat": 200,
    "steering": 403,
    "administrator": 200,
    "commune_head": 200,
    "commune_staff": 403,
    "other_commune_head": 403,
    "office_head": 403,
    "outsider": 404,
}
EDIT_COMMUNE_POST = {who: 302 if status == 200 else status for who, status in EDIT_COMMUNE_GET.items()}

CONTACT = {"email": "dongdang@caoloc.langson.gov.vn", "phone": "0205 3851 234", "address": "Khối 1, Đồng Đăng"}


def _url(page: str, plan: Plan) -> str:
    return {
        "home": reverse("home"),
        "plan-list": reverse("plan-list"),
        "plan-detail": reverse("plan-detail", args=[plan.pk]),
        "area-detail": reverse("area-detail", args=[plan.pk, 3]),
        "unit-detail": reverse("unit-detail", args=[COMMUNE]),
        "unit-edit": reverse("unit-edit", args=[COMMUNE]),
    }[page]


def _matrix(page: str, expected: dict[str, int]) -> list[Any]:
    return [pytest.param(page, who, status, id=f"{page}-{who}-{status}") for who, status in expected.items()]


@pytest.mark.parametrize(
    ("page", "who", "status"),
    _matrix("plan-list", dict.fromkeys(CAST, 200))
    + _matrix("plan-detail", READ)
    + _matrix("area-detail", READ)
    + _matrix("unit-detail", READ)
    + _matrix("unit-edit", EDIT_COMMUNE_GET),
)
def test_get_access_matrix(request, client_for, seed_plan, page, who, status):
    response = client_for(request.getfixturevalue(who)).get(_url(page, seed_plan))
    assert response.status_code == status


@pytest.mark.parametrize(("page", "who", "status"), _matrix("unit-edit", EDIT_COMMUNE_POST))
def test_unit_edit_post_access_matrix(request, client_for, seed_plan, page, who, status):
    response = client_for(request.getfixturevalue(who)).post(_url(page, seed_plan), CONTACT)
    assert response.status_code == status
    saved = Unit.objects.get(code=COMMUNE).email == CONTACT["email"]
    assert saved is (status == 302)
    if status == 302:
        assert response["Location"] == reverse("unit-detail", args=[COMMUNE])


def test_members_see_the_plan_in_the_list(client_for, commune_staff, seed_plan):
    response = client_for(commune_staff).get(reverse("plan-list"))
    assert seed_plan.title in response.content.decode()


def test_outsider_sees_an_empty_plan_list(client_for, outsider, seed_plan):
    page = client_for(outsider).get(reverse("plan-list")).content.decode()
    assert seed_plan.title not in page
    assert "Bạn chưa được giao theo dõi kế hoạch nào" in page


def test_home_opens_the_active_plan_for_a_member(client_for, commune_head, seed_plan, current_plan):
    # This year's plan is the active one; the closed 2024 plan is not where a member lands.
    assert (current_plan.status, seed_plan.status) == (PlanStatus.ACTIVE, PlanStatus.CLOSED)
    response = client_for(commune_head).get(reverse("home"))
    assert response["Location"] == reverse("plan-detail", args=[current_plan.pk])


def test_home_sends_an_outsider_to_the_empty_plan_list(client_for, outsider):
    assert client_for(outsider).get(reverse("home"))["Location"] == reverse("plan-list")


def test_outsider_gets_404_on_every_unit_page(client_for, outsider):
    client = client_for(outsider)
    for code in (COMMUNE, OTHER_COMMUNE, "183", "20"):
        assert client.get(reverse("unit-detail", args=[code])).status_code == 404


def test_unit_head_cannot_edit_other_units_page(client_for, commune_head):
    client = client_for(commune_head)
    url = reverse("unit-edit", args=[OTHER_COMMUNE])
    before = Unit.objects.get(code=OTHER_COMMUNE).email
    assert client.get(url).status_code == 403
    assert client.post(url, CONTACT).status_code == 403
    assert Unit.objects.get(code=OTHER_COMMUNE).email == before


def test_unit_head_reads_other_units_page(client_for, commune_head):
    assert client_for(commune_head).get(reverse("unit-detail", args=[OTHER_COMMUNE])).status_code == 200


def test_office_head_edits_own_office_page(client_for, office_head):
    assert client_for(office_head).get(reverse("unit-edit", args=["183-TP"])).status_code == 200


def test_commune_staff_cannot_edit_their_units_contact_page(client_for, commune_staff):
    client = client_for(commune_staff)
    assert client.get(reverse("unit-edit", args=[COMMUNE])).status_code == 403
    assert client.post(reverse("unit-edit", args=[COMMUNE]), CONTACT).status_code == 403
    assert Unit.objects.get(code=COMMUNE).email != CONTACT["email"]


def test_steering_committee_reads_every_unit_but_edits_none(client_for, steering):
    client = client_for(steering)
    for code in (COMMUNE, OTHER_COMMUNE, "183-TP", "183"):
        assert client.get(reverse("unit-detail", args=[code])).status_code == 200
        assert client.get(reverse("unit-edit", args=[code])).status_code == 403
        assert client.post(reverse("unit-edit", args=[code]), CONTACT).status_code == 403


@pytest.mark.parametrize(
    ("who", "shown"),
    [("commune_head", True), ("secretariat", True), ("commune_staff", False), ("steering", False)],
)
def test_edit_button_shown_only_to_those_who_may_edit(request, client_for, who, shown):
    page = client_for(request.getfixturevalue(who)).get(reverse("unit-detail", args=[COMMUNE])).content.decode()
    assert (reverse("unit-edit", args=[COMMUNE]) in page) is shown


def test_unit_head_saves_contact_and_sees_it_on_the_unit_page(client_for, commune_head):
    client = client_for(commune_head)
    response = client.post(reverse("unit-edit", args=[COMMUNE]), CONTACT, follow=True)
    page = response.content.decode()
    assert "Đã lưu thông tin đơn vị." in page
    assert CONTACT["email"] in page and CONTACT["address"] in page


def test_invalid_contact_is_redisplayed_and_not_saved(client_for, commune_head):
    response = client_for(commune_head).post(reverse("unit-edit", args=[COMMUNE]), CONTACT | {"email": "không-hợp-lệ"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert Unit.objects.get(code=COMMUNE).phone != CONTACT["phone"]


# --- Query budgets -------------------------------------------------------------


def _grow(plan: Plan) -> None:
    """40 more tasks (leads: the commune and an office; 5 coordinating units each),
    20 more targets with a commune- and a district-level indicator, 5 more members."""
    commune, other, office = (Unit.objects.get(code=c) for c in (COMMUNE, OTHER_COMMUNE, "183-TP"))
    vp, nv = Unit.objects.get(code="183-VP"), Unit.objects.get(code="183-NV")
    add_tasks(plan=plan, count=40, lead_units=[commune, office], coordinating_units=[commune, other, office, vp, nv])
    add_targets(plan=plan, count=20)
    add_members(unit=commune, count=5)


def _assert_same_queries_after_growth(client, url, plan, expected, django_assert_num_queries) -> None:
    # Warm the process-wide ContentType cache (a transactional test clears it),
    # so the budget counts only what the page itself asks for.
    assert client.get(url).status_code == 200
    with django_assert_num_queries(expected):
        small = client.get(url)
    _grow(plan)
    with django_assert_num_queries(expected):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)  # the growth is on the page


def test_plan_detail_query_budget(client_for, commune_head, seed_plan, django_assert_num_queries):
    # 1 session, 2 user, 3 the person's secretariat and committee memberships (none, so
    # no role rights to read), 4 the plan (with issuer, EXISTS membership in the issuer's tree),
    # 5 header memberships, 6 header count of unread notices, 7 areas, 8 targets,
    # 9 indicators, 10 tasks, 11 lead units, 12 coordinating units,
    # 13 responsibilities, 14 their units, 15 whether the reader enters figures for a unit of the plan (EXISTS).
    url = reverse("plan-detail", args=[seed_plan.pk])
    _assert_same_queries_after_growth(client_for(commune_head), url, seed_plan, 15, django_assert_num_queries)


def test_area_detail_query_budget(client_for, commune_head, seed_plan, django_assert_num_queries):
    # 1 session, 2 user, 3 secretariat and committee memberships (none), 4 the plan, 5 the area,
    # 6 targets, 7 indicators, 8 tasks, 9 lead units, 10 coordinating units,
    # 11 header memberships, 12 header count of unread notices.
    url = reverse("area-detail", args=[seed_plan.pk, 3])
    _assert_same_queries_after_growth(client_for(commune_head), url, seed_plan, 12, django_assert_num_queries)


def test_unit_detail_query_budget(client_for, commune_head, seed_plan, django_assert_num_queries):
    # 1 session, 2 user, 3 secretariat and committee memberships (none: no role rights),
    # 4 paths of readable plans' issuers, 5 paths of the user's own units,
    # 6 the unit (with kind, parent), 7-8 object permissions (user, groups) for
    # the edit button, 9 header memberships, 10 header count of unread notices,
    # 11 tasks involving the unit (with area, lead unit), 12 their coordinating
    # units, 13 indicators for the unit's level (with target, area, plan),
    # 14-16 the inspections section (tests/inspections/test_unit_page.py): the units the person acts
    # for, the unit's visits, its open recommendations; 17 responsibilities (with plan),
    # 18 child units, 19 members (with user).
    url = reverse("unit-detail", args=[COMMUNE])
    _assert_same_queries_after_growth(client_for(commune_head), url, seed_plan, 19, django_assert_num_queries)


def test_unit_page_links_the_parent_only_when_the_reader_may_open_it(client_for, commune_head, administrator):
    district = reverse("unit-detail", args=["183"])
    province = reverse("unit-detail", args=["20"])
    assert province not in client_for(commune_head).get(district).content.decode()
    assert client_for(commune_head).get(province).status_code == 404
    # The district's secretariat reads its own tree only (tests/test_authority_scope.py); an administrator reads all.
    assert province in client_for(administrator).get(district).content.decode()


def test_the_enter_figures_link_is_offered_only_to_who_enters_figures(client_for, steering, commune_head, seed_plan):
    """Found walking the portal: the steering committee was offered "Nhập số liệu", which led to "Bạn không có
    quyền nhập số liệu cho đơn vị nào."; a unit's head still finds it on the plan and on its indicators."""
    link = reverse("figures-home", args=[seed_plan.pk])
    for page in (reverse("plan-detail", args=[seed_plan.pk]), reverse("indicator-list", args=[seed_plan.pk])):
        assert link not in client_for(steering).get(page).content.decode()
        assert link in client_for(commune_head).get(page).content.decode()


def test_the_unit_page_lists_each_plan_s_tasks_under_that_plan(client_for, commune_head, seed_plan, current_plan):
    """Found walking the portal: the commune's page listed "Nhiệm vụ (54)", every task of the 2024 and the
    current plan one after the other with nothing to tell the twins apart."""
    import lxml.html  # type: ignore[import-untyped]

    page = lxml.html.fromstring(client_for(commune_head).get(reverse("unit-detail", args=[COMMUNE])).content.decode())
    [section] = [s for s in page.xpath("//section") if s.xpath(".//tr[@class='plan-group']")]
    groups = [row.text_content().strip() for row in section.xpath(".//tr[@class='plan-group']")]
    assert groups == [current_plan.title, seed_plan.title]  # the latest year first
    rows = section.xpath(".//tbody/tr")
    first_of_2024 = next(i for i, row in enumerate(rows) if row.text_content().strip() == seed_plan.title)
    assert 1 < first_of_2024 < len(rows) - 1  # tasks under each heading
