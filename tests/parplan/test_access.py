"""Where a secretariat's or steering committee's rights reach (docs/access.md, "Where a role's rights reach").

A membership speaks for an authority: the unit it is held in, or the parent of
an office, service unit or steering committee. Its role's rights hold over the
plans of that authority and of the units below it. The walk of every URL across
two authorities is in tests/test_authority_scope.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse

from parplan.access import authority_path, authority_paths, has_plan_perm, rights_scope, speaking_for
from parplan.models import Membership, Plan, Role, Unit, UnitKind
from parplan.services import membership_add, unit_kind_upsert, unit_upsert
from planio.interchange import plan_import
from tasks.models import Task
from tests.conftest import Authority


def _member(username: str, code: str, role: Role) -> Any:
    user = get_user_model().objects.create_user(username, password="x")
    membership_add(user=user, unit=Unit.objects.get(code=code), role=role)
    return user


def _fresh(user: Any) -> Any:
    """The user as the next request sees it: rights are cached on the user object."""
    return get_user_model().objects.get(pk=user.pk)


COMMUNE_PLAN = {
    "format": "parplan-plan",
    "version": 1,
    "units": [],
    "plan": {"issuing_unit": "06190", "year": 2024, "title": "Kế hoạch CCHC xã Bảo Lâm năm 2024", "status": "active"},
    "areas": [{"number": 1, "name": "Cải cách thủ tục hành chính cấp xã",
               "tasks": [{"text": "Niêm yết thủ tục tại bộ phận một cửa xã.", "lead_unit": "06190"}]}],
}  # fmt: skip


# --- What a membership speaks for ---------------------------------------------------------


def test_a_membership_in_an_office_or_the_steering_committee_speaks_for_the_district(secretariat, steering):
    assert authority_paths(secretariat, Role.SECRETARIAT) == {"/20/183/"}  # Phòng Nội vụ, 183-NV
    assert authority_paths(steering, Role.STEERING) == {"/20/183/"}  # Ban Chỉ đạo, 183-BCD


def test_a_membership_in_a_commune_speaks_for_the_commune_itself(db):
    assert authority_paths(_member("baolam.noivu", "06190", Role.SECRETARIAT), Role.SECRETARIAT) == {"/20/183/06190/"}


def test_a_departments_own_office_speaks_for_the_department_not_the_province(db):
    department = unit_kind_upsert(code="department", name="Sở", administrative_level="cấp tỉnh")
    province = Unit.objects.get(code="20")
    sở = unit_upsert(code="20-STP", name="Sở Tư pháp", kind=department, parent=province)
    unit_upsert(code="20-STP-VP", name="Văn phòng Sở Tư pháp", kind=UnitKind.objects.get(code="office"), parent=sở)
    in_its_office = _member("stp.vanphong", "20-STP-VP", Role.SECRETARIAT)
    in_the_department = _member("stp.lanhdao", "20-STP", Role.SECRETARIAT)
    assert authority_paths(in_its_office, Role.SECRETARIAT) == {"/20/20-STP/"}
    assert authority_paths(in_the_department, Role.SECRETARIAT) == {"/20/20-STP/"}


def test_an_office_without_a_parent_speaks_for_itself(db):
    unit_upsert(code="T-VP", name="Văn phòng thử", kind=UnitKind.objects.get(code="office"), parent=None)
    assert authority_paths(_member("tvp.noivu", "T-VP", Role.SECRETARIAT), Role.SECRETARIAT) == {"/T-VP/"}


@pytest.mark.parametrize("code", ["20", "183", "06190", "183-NV", "182", "06112", "T-VP"])
def test_the_rule_as_a_query_agrees_with_the_rule_in_python(other_authority: Authority, code: str):
    unit_upsert(code="T-VP", name="Văn phòng thử", kind=UnitKind.objects.get(code="office"), parent=None)
    for unit_code in ("20", "06190", "T-VP"):
        _member(f"noivu.{unit_code}", unit_code, Role.SECRETARIAT)
    path = Unit.objects.get(code=code).path
    memberships = Membership.objects.select_related("unit__kind", "unit__parent")
    expected = {m.pk for m in memberships if path.startswith(authority_path(m.unit))}
    assert set(Membership.objects.filter(speaking_for(path)).values_list("pk", flat=True)) == expected
    assert expected  # every unit here has someone speaking for it


def test_each_role_gives_its_own_rights_where_its_memberships_reach(secretariat, steering):
    assert rights_scope(secretariat, "tasks.change_task") == {"/20/183/"}
    assert rights_scope(steering, "tasks.view_task") == {"/20/183/"}
    assert rights_scope(steering, "tasks.change_task") == frozenset()


def test_administrators_hold_every_right_everywhere(administrator, other_authority: Authority):
    assert rights_scope(administrator, "tasks.change_task") is None
    assert has_plan_perm(administrator, "parplan.review_figures", other_authority.plan)


# --- What it gives on the pages ----------------------------------------------------------------


def test_a_commune_secretariat_manages_its_own_plan_and_only_reads_the_districts(client_for, seed_plan: Plan):
    commune_plan = plan_import(COMMUNE_PLAN)
    client = client_for(_member("baolam.noivu", "06190", Role.SECRETARIAT))
    own = Task.objects.get(area__plan=commune_plan)
    districts = Task.objects.get(area__plan=seed_plan, area__number=1, position=2)
    assert client.get(reverse("task-edit", args=[own.pk])).status_code == 200
    assert client.get(reverse("figures-review", args=[commune_plan.pk])).status_code == 200
    # A member of the district's tree reads its plan, but holds no right over it.
    page = client.get(reverse("plan-detail", args=[seed_plan.pk]))
    assert page.status_code == 200 and not page.context["can_review"]
    assert client.get(reverse("task-edit", args=[districts.pk])).status_code == 403
    assert client.get(reverse("figures-review", args=[seed_plan.pk])).status_code == 403
    assert client.get(reverse("task-create", args=[seed_plan.pk])).status_code == 403


def test_one_roles_rights_do_not_travel_with_another_roles_membership(
    client_for, seed_authority: Authority, other_authority: Authority
):
    # On the seed district's steering committee, and the secretariat of Văn Lãng.
    user = _member("hai.hai.vai", "183-BCD", Role.STEERING)
    membership_add(user=user, unit=Unit.objects.get(code="182-NV"), role=Role.SECRETARIAT)
    client = client_for(user)
    assert client.get(reverse("task-edit", args=[seed_authority.task.pk])).status_code == 403
    assert client.get(reverse("figures-review", args=[seed_authority.plan.pk])).status_code == 403
    assert client.get(reverse("task-edit", args=[other_authority.task.pk])).status_code == 200
    assert client.get(reverse("figures-review", args=[other_authority.plan.pk])).status_code == 200
    assert client.get(reverse("task-list"), {"plan": seed_authority.plan.pk}).context["all_units"]  # it reads all


def test_a_right_given_by_hand_outside_the_role_groups_reaches_no_plan(client_for, outsider, seed_plan: Plan):
    outsider.user_permissions.add(*Permission.objects.filter(codename__in=["view_plan", "change_task"]))
    client = client_for(outsider)
    assert list(client.get(reverse("plan-list")).context["plans"]) == []
    assert client.get(reverse("plan-detail", args=[seed_plan.pk])).status_code == 404


# --- The admin ---------------------------------------------------------------------------------


def _listed(client: Any, name: str) -> list[Any]:
    return list(client.get(reverse(f"admin:{name}_changelist")).context["cl"].result_list)


def test_the_admin_lists_only_the_rows_of_the_persons_authority(client_for, other_authority: Authority):
    client = client_for(other_authority.secretariat)
    assert _listed(client, "parplan_plan") == [other_authority.plan]
    assert {unit.code for unit in _listed(client, "parplan_unit")} == {"182", "182-NV", "182-BCD", "06112"}
    assert {task.area.plan for task in _listed(client, "tasks_task")} == {other_authority.plan}
    memberships = _listed(client, "parplan_membership")
    assert memberships and all(membership.unit.path.startswith("/20/182/") for membership in memberships)


def test_a_secretariat_gives_memberships_inside_its_authority_only(client_for, other_authority: Authority):
    secretariat = other_authority.secretariat
    client, url = client_for(secretariat), reverse("admin:parplan_membership_add")
    seed_office = Unit.objects.get(code="183-NV")
    reason = "Phân công theo dõi"
    response = client.post(url, {"user": secretariat.pk, "unit": seed_office.pk, "role": Role.STEERING,
                                 "reason": reason})  # fmt: skip
    assert response.status_code == 200 and response.context["adminform"].form.errors.keys() == {"unit"}
    assert authority_paths(_fresh(secretariat), Role.STEERING) == set()
    town = other_authority.unit
    data = {"user": secretariat.pk, "unit": town.pk, "role": Role.UNIT_STAFF, "reason": reason}
    assert client.post(url, data).status_code == 302
    assert Membership.objects.filter(user=secretariat, unit=town, role=Role.UNIT_STAFF).exists()


def test_only_administrators_make_administrators(client_for, other_authority: Authority):
    secretariat = other_authority.secretariat
    response = client_for(secretariat).post(
        reverse("admin:parplan_membership_add"),
        {"user": secretariat.pk, "unit": other_authority.plan.issuing_unit_id, "role": Role.ADMINISTRATOR,
         "reason": "Tự cấp quyền"},
    )  # fmt: skip
    assert response.status_code == 200 and response.context["adminform"].form.errors.keys() == {"role"}
    assert not _fresh(secretariat).is_superuser


@pytest.mark.parametrize("who", ["secretariat", "administrator"])
def test_an_authoritys_own_unit_and_the_unit_kinds_are_changed_by_administrators_only(
    request, client_for, other_authority: Authority, who
):
    user = other_authority.secretariat if who == "secretariat" else request.getfixturevalue("administrator")
    client, district = client_for(user), other_authority.plan.issuing_unit
    office = UnitKind.objects.get(code="office")
    data = {"code": district.code, "name": district.name, "kind": office.pk, "parent": district.parent_id,
            "position": 0, "email": "", "phone": "", "address": ""}  # fmt: skip
    response = client.post(reverse("admin:parplan_unit_change", args=[district.pk]), data)
    assert response.status_code == (403 if who == "secretariat" else 302)
    kind_page = client.post(reverse("admin:parplan_unitkind_change", args=[office.pk]), {"code": "office", "name": "x"})
    assert kind_page.status_code == (403 if who == "secretariat" else 302)
    # The units below the authority are its secretariat's to change.
    below = client.get(reverse("admin:parplan_unit_change", args=[other_authority.unit.pk]))
    assert below.status_code == 200 and below.context["has_change_permission"]
