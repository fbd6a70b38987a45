"""Nobody but an administrator gives themselves or anyone else more rights (docs/access.md, "Rights over rights").

Every path is tried through the real admin endpoints as the demo's secretariat
(`noivu`, Phòng Nội vụ huyện Cao Lộc): memberships (add, change, delete, the
delete action, a history revert), people (the users' pages, passwords), groups
and object rights; and the services that derive the admin's flags from roles.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from parplan.models import Membership, Role, Unit
from parplan.services import membership_add, membership_remove

REASON = "Điều chuyển công tác"


def _fresh(user: Any) -> Any:
    return get_user_model().objects.get(pk=user.pk)


def _new_user(username: str = "nguoimoi") -> Any:
    return get_user_model().objects.create_user(username, password="x")


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


# --- Memberships in the admin ----------------------------------------------------------------


def test_the_secretariat_cannot_make_itself_administrator_in_the_membership_admin(client_for, secretariat):
    # The tester's case: POST /admin/parplan/membership/add/ as noivu with the administrator role.
    response = client_for(secretariat).post(
        reverse("admin:parplan_membership_add"),
        {"user": secretariat.pk, "unit": _unit("183-NV").pk, "role": Role.ADMINISTRATOR, "reason": REASON},
    )
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not _fresh(secretariat).is_superuser
    assert not Membership.objects.filter(user=secretariat, role=Role.ADMINISTRATOR).exists()


def test_the_secretariat_cannot_give_the_secretariat_role_and_with_it_the_admin_site(client_for, secretariat):
    colleague = _new_user()
    response = client_for(secretariat).post(
        reverse("admin:parplan_membership_add"),
        {"user": colleague.pk, "unit": _unit("183-NV").pk, "role": Role.SECRETARIAT, "reason": REASON},
    )
    assert response.status_code == 200
    assert "role" in response.context["adminform"].form.errors
    assert not _fresh(colleague).is_staff
    assert not Membership.objects.filter(user=colleague).exists()


def test_the_secretariat_offers_only_the_roles_below_it(client_for, secretariat):
    form = client_for(secretariat).get(reverse("admin:parplan_membership_add")).context["adminform"].form
    offered = {value for value, _label in form.fields["role"].choices}
    assert offered == {Role.STEERING, Role.UNIT_HEAD, Role.UNIT_STAFF}


def test_the_secretariat_gives_a_unit_role_in_its_authority_with_a_reason(client_for, secretariat):
    person = _new_user()
    url = reverse("admin:parplan_membership_add")
    data = {"user": person.pk, "unit": _unit("06184").pk, "role": Role.UNIT_STAFF}
    refused = client_for(secretariat).post(url, data)
    assert refused.status_code == 200 and "reason" in refused.context["adminform"].form.errors
    assert client_for(secretariat).post(url, {**data, "reason": REASON}).status_code == 302
    assert Membership.objects.filter(user=person, unit__code="06184", role=Role.UNIT_STAFF).exists()
    assert not _fresh(person).is_staff


@pytest.mark.parametrize("view", ["change", "delete"])
def test_the_secretariat_cannot_change_or_remove_a_secretariat_membership(client_for, secretariat, view):
    colleague = _new_user()
    membership = membership_add(user=colleague, unit=_unit("183-NV"), role=Role.SECRETARIAT)
    client = client_for(secretariat)
    url = reverse(f"admin:parplan_membership_{view}", args=[membership.pk])
    data: dict[str, Any] = {"post": "yes"}
    if view == "change":
        data = {"user": colleague.pk, "unit": _unit("06184").pk, "role": Role.UNIT_STAFF, "reason": REASON}
    response = client.post(url, data)
    assert response.status_code in (302, 403, 404)
    assert Membership.objects.filter(pk=membership.pk, role=Role.SECRETARIAT).exists()
    assert _fresh(colleague).is_staff


def test_the_secretariat_cannot_remove_its_own_secretariat_membership(client_for, secretariat):
    own = Membership.objects.get(user=secretariat, role=Role.SECRETARIAT)
    client_for(secretariat).post(reverse("admin:parplan_membership_delete", args=[own.pk]), {"post": "yes"})
    assert Membership.objects.filter(pk=own.pk).exists()


def test_the_delete_action_leaves_the_memberships_that_open_the_admin_site(client_for, secretariat, commune_staff):
    colleague = _new_user()
    theirs = membership_add(user=colleague, unit=_unit("183-NV"), role=Role.SECRETARIAT)
    staff_membership = Membership.objects.get(user=commune_staff)
    client_for(secretariat).post(
        reverse("admin:parplan_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [theirs.pk, staff_membership.pk], "post": "yes"},
    )
    assert Membership.objects.filter(pk=theirs.pk).exists()
    assert not Membership.objects.filter(pk=staff_membership.pk).exists()  # a unit role: the secretariat's to take


def test_the_secretariat_does_not_list_the_memberships_that_open_the_admin_site(client_for, secretariat):
    listed = client_for(secretariat).get(reverse("admin:parplan_membership_changelist")).context["cl"].result_list
    assert listed and {membership.role for membership in listed} <= {Role.STEERING, Role.UNIT_HEAD, Role.UNIT_STAFF}


def test_reverting_a_removed_membership_from_its_history_answers_no_500(client_for, secretariat, commune_staff):
    membership = Membership.objects.get(user=commune_staff)
    version = membership.history.latest().history_id
    client = client_for(secretariat)
    client.post(reverse("admin:parplan_membership_delete", args=[membership.pk]), {"post": "yes"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    response = client.post(
        reverse("admin:parplan_membership_simple_history", args=[membership.pk, version]),
        {"user": commune_staff.pk, "unit": membership.unit_id, "role": Role.UNIT_STAFF, "reason": REASON},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(user=commune_staff, unit=membership.unit, role=Role.UNIT_STAFF).exists()


# --- The services behind the admin ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.SECRETARIAT])
def test_the_membership_service_refuses_a_non_administrator_the_roles_that_open_the_admin_site(secretariat, role):
    person = _new_user()
    with pytest.raises(PermissionDenied):
        membership_add(user=person, unit=_unit("183-NV"), role=role, actor=secretariat)
    assert not _fresh(person).is_staff and not _fresh(person).is_superuser


def test_the_membership_service_refuses_the_secretariat_outside_its_authority(secretariat, province_secretariat):
    with pytest.raises(PermissionDenied):
        membership_add(user=_new_user(), unit=_unit("20"), role=Role.UNIT_STAFF, actor=secretariat)


def test_the_membership_service_refuses_to_take_the_secretariat_role_for_a_non_administrator(secretariat):
    own = Membership.objects.get(user=secretariat, role=Role.SECRETARIAT)
    with pytest.raises(PermissionDenied):
        membership_remove(membership=own, actor=secretariat)
    assert _fresh(secretariat).is_staff


def test_an_administrator_gives_and_takes_the_administrator_role(administrator):
    person = _new_user()
    membership = membership_add(user=person, unit=_unit("183"), role=Role.ADMINISTRATOR, actor=administrator)
    assert _fresh(person).is_superuser
    membership_remove(membership=membership, actor=administrator)
    assert not _fresh(person).is_superuser


def test_a_unit_role_given_by_the_secretariat_leaves_the_flags_an_administrator_set(secretariat):
    # Staff by an administrator's hand, with no role that implies it: a unit role must not take it away.
    person = _new_user()
    person.is_staff = True
    person.save()
    membership = membership_add(user=person, unit=_unit("06184"), role=Role.UNIT_STAFF, actor=secretariat)
    assert _fresh(person).is_staff
    membership_remove(membership=membership, actor=secretariat)
    assert _fresh(person).is_staff


# --- People, groups, object rights --------------------------------------------------------------


def _user_pages(user: Any) -> list[str]:
    return [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_user_add"),
        reverse("admin:auth_user_change", args=[user.pk]),
        reverse("admin:auth_user_password_change", args=[user.pk]),
        reverse("admin:auth_user_delete", args=[user.pk]),
        reverse("admin:auth_user_history", args=[user.pk]),
    ]


@pytest.fixture
def secretariat_holding_the_users_rights(secretariat: Any) -> Any:
    """The secretariat's group given Django's rights on people and groups (by hand, or a future role app)."""
    rights = Permission.objects.filter(content_type__app_label__in=["auth", "guardian"])
    Group.objects.get(name=Role.SECRETARIAT).permissions.add(*rights)
    return _fresh(secretariat)


def test_the_secretariat_reaches_no_page_of_people_even_with_djangos_rights(
    client_for, secretariat_holding_the_users_rights, administrator
):
    client = client_for(secretariat_holding_the_users_rights)
    for url in _user_pages(administrator):
        assert client.get(url).status_code == 403, url


def test_the_secretariat_cannot_reset_the_administrators_password(
    client_for, secretariat_holding_the_users_rights, administrator
):
    before = _fresh(administrator).password
    client_for(secretariat_holding_the_users_rights).post(
        reverse("admin:auth_user_password_change", args=[administrator.pk]),
        {"password1": "MatKhauMoi-2024!", "password2": "MatKhauMoi-2024!", "usable_password": "true"},
    )
    assert _fresh(administrator).password == before


def test_the_secretariat_cannot_make_itself_superuser_in_the_users_admin(
    client_for, secretariat_holding_the_users_rights
):
    me = secretariat_holding_the_users_rights
    client_for(me).post(
        reverse("admin:auth_user_change", args=[me.pk]),
        {"username": me.username, "is_active": "on", "is_staff": "on", "is_superuser": "on",
         "date_joined_0": "01/01/2024", "date_joined_1": "00:00:00", "reason": REASON},
    )  # fmt: skip
    assert not _fresh(me).is_superuser


def test_the_secretariat_cannot_delete_a_person(client_for, secretariat_holding_the_users_rights, commune_staff):
    client_for(secretariat_holding_the_users_rights).post(
        reverse("admin:auth_user_delete", args=[commune_staff.pk]), {"post": "yes"}
    )
    assert get_user_model().objects.filter(pk=commune_staff.pk).exists()


def test_the_secretariat_cannot_give_its_group_more_rights(client_for, secretariat_holding_the_users_rights):
    group = Group.objects.get(name=Role.SECRETARIAT)
    everything = list(Permission.objects.values_list("pk", flat=True))
    client = client_for(secretariat_holding_the_users_rights)
    assert client.get(reverse("admin:auth_group_change", args=[group.pk])).status_code == 403
    client.post(reverse("admin:auth_group_change", args=[group.pk]), {"name": group.name, "permissions": everything})
    assert group.permissions.count() < len(everything)


def test_the_secretariats_admin_lists_no_people_groups_rights_or_their_trail(client_for, secretariat):
    index = client_for(secretariat).get(reverse("admin:index"))
    apps = {app["app_label"] for app in index.context["app_list"]}
    models = {model["object_name"] for app in index.context["app_list"] for model in app["models"]}
    assert "auth" not in apps and "guardian" not in apps and "axes" not in apps
    assert "RightsChange" not in models


def test_object_rights_have_no_admin_page_but_the_trail(client_for, administrator):
    from guardian.models import GroupObjectPermission, UserObjectPermission

    # Object rights are granted by services only (docs/access.md): no page hands them out.
    assert not admin.site.is_registered(GroupObjectPermission)
    assert not admin.site.is_registered(UserObjectPermission)


def test_an_administrator_still_manages_people(client_for, administrator, commune_staff):
    client = client_for(administrator)
    for url in _user_pages(commune_staff):
        assert client.get(url).status_code == 200, url
