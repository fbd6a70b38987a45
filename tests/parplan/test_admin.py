"""The Django admin writes units through the unit services, and cannot delete a plan's areas."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from guardian.shortcuts import get_groups_with_perms

from parplan.models import Plan, Unit
from targets.models import Target


@pytest.fixture
def admin_client(client_for, administrator) -> Client:
    return client_for(administrator)


def _unit_form(unit: Unit, **changes: Any) -> dict[str, Any]:
    data = {
        "code": unit.code, "name": unit.name, "kind": unit.kind_id, "parent": unit.parent_id or "",
        "position": unit.position, "email": unit.email, "phone": unit.phone, "address": unit.address, "_save": "Lưu",
    }  # fmt: skip
    return data | changes


def _edit(client: Client, unit: Unit, **changes: Any) -> Any:
    return client.post(reverse("admin:parplan_unit_change", args=[unit.pk]), _unit_form(unit, **changes))


def test_a_new_code_in_the_admin_renames_the_unit_instead_of_adding_one(admin_client: Client):
    unit = Unit.objects.get(code="06184")
    count = Unit.objects.count()
    response = _edit(admin_client, unit, code="06184-DD")
    assert response.status_code == 302
    assert Unit.objects.count() == count
    renamed = Unit.objects.get(pk=unit.pk)
    assert (renamed.code, renamed.path) == ("06184-DD", unit.path.replace("/06184/", "/06184-DD/"))
    assert not Unit.objects.filter(code="06184").exists()


def test_renaming_a_unit_in_the_admin_moves_the_paths_of_its_whole_subtree(admin_client: Client):
    district = Unit.objects.get(code="183")
    below = list(Unit.objects.below(district).values_list("pk", "path"))
    _edit(admin_client, district, code="183-CL")
    assert Unit.objects.get(pk=district.pk).path == "/20/183-CL/"
    for pk, path in below:
        assert Unit.objects.get(pk=pk).path == path.replace("/20/183/", "/20/183-CL/", 1)


def test_a_unit_renamed_in_the_admin_keeps_its_peoples_rights(admin_client: Client, commune_head):
    unit = Unit.objects.get(code="06184")
    _edit(admin_client, unit, code="06184-DD")
    user = type(commune_head).objects.get(pk=commune_head.pk)
    assert user.has_perm("parplan.change_unit", Unit.objects.get(pk=unit.pk))


def test_the_admin_names_who_renamed_a_unit(admin_client: Client, administrator):
    unit = Unit.objects.get(code="06184")
    _edit(admin_client, unit, code="06184-DD")
    latest = Unit.objects.get(pk=unit.pk).history.order_by("-history_date", "-history_id").first()
    assert (latest.code, latest.history_user) == ("06184-DD", administrator)


def test_a_unit_cannot_be_put_under_its_own_subtree_in_the_admin(admin_client: Client):
    district = Unit.objects.get(code="183")
    commune = Unit.objects.get(code="06184")
    response = _edit(admin_client, district, parent=commune.pk)
    assert response.status_code == 200
    assert "Đơn vị cấp trên không được là chính đơn vị này" in response.content.decode()
    assert Unit.objects.get(pk=district.pk).parent.code == "20"


def test_a_unit_added_in_the_admin_gets_its_path_and_own_unit_rights(admin_client: Client):
    parent = Unit.objects.get(code="183")
    data = _unit_form(Unit.objects.get(code="183-NV"), code="183-MOI", name="Phòng mới", parent=parent.pk)
    response = admin_client.post(reverse("admin:parplan_unit_add"), data)
    assert response.status_code == 302
    unit = Unit.objects.get(code="183-MOI")
    assert unit.path == "/20/183/183-MOI/"
    groups = get_groups_with_perms(unit)
    assert isinstance(groups, QuerySet)
    assert {group.name for group in groups} == {
        f"unit-{unit.pk}-unit_head", f"unit-{unit.pk}-unit_staff",
    }  # fmt: skip


def test_the_plan_admin_offers_no_deletion_of_an_area(admin_client: Client, seed_plan: Plan):
    # An area's tasks carry progress, reports and files; deleting it would take them along.
    response = admin_client.get(reverse("admin:parplan_plan_change", args=[seed_plan.pk]))
    assert response.status_code == 200
    assert "areas-0-DELETE" not in response.content.decode()
    assert "areas-0-name" in response.content.decode()


def test_the_secretariat_cannot_delete_a_plan_in_the_admin(client_for, secretariat, seed_plan):
    # A plan's deletion takes every task, figure, file and report with it.
    response = client_for(secretariat).post(reverse("admin:parplan_plan_delete", args=[seed_plan.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Plan.objects.filter(pk=seed_plan.pk).exists()


def test_numbers_in_the_admin_are_text_boxes_read_as_on_the_pages(admin_client: Client):
    # The admin's <input type=number> is localized by each browser; "1,5" became 15 on the figure pages.
    unit = Unit.objects.get(code="06184")
    page = admin_client.get(reverse("admin:parplan_unit_change", args=[unit.pk])).content.decode()
    assert 'type="number"' not in page
    assert re.search(r'<input type="text" name="position" value="\d+" class="vIntegerField" inputmode="numeric"', page)
    response = _edit(admin_client, unit, position="2,5")
    assert response.status_code == 200
    assert "Chỉ nhận số nguyên, không có phần thập phân (đã nhập “2,5”)." in response.content.decode()
    assert _edit(admin_client, unit, position="1.002").status_code == 302
    assert Unit.objects.get(pk=unit.pk).position == 1002


def test_a_threshold_in_the_admin_takes_a_decimal_comma(admin_client: Client, seed_plan: Plan):
    target = Target.objects.get(area__plan=seed_plan, area__number=3, position=3)
    page = admin_client.get(reverse("admin:targets_target_change", args=[target.pk])).content.decode()
    assert re.search(r'<input type="text" name="indicators-0-threshold" value="99" inputmode="decimal"', page)


@pytest.mark.parametrize("path", ["abc/history/", "1/history/abc/", "abc/history/1/"])
@pytest.mark.parametrize("model", ["parplan/unit", "tasks/task", "evidence/evidence"])
def test_a_history_page_of_an_id_no_row_could_have_is_not_found(administrator, model: str, path: str):
    # django-simple-history passed the URL's ids to a query: ValueError, 500.
    client = Client(raise_request_exception=False)
    client.force_login(administrator)
    assert client.get(f"/admin/{model}/{path}").status_code == 404
