"""Memberships and assignments move rights; nobody is granted a right by hand.

`has_perm` answers are cached on the user object (ModelBackend) and per checker
(guardian), so every check below reads the user afresh from the database.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model

from parplan.models import Membership, Plan, Role, Unit
from parplan.services import membership_add, membership_remove, unit_group, unit_upsert
from tasks.models import Task
from tasks.services import task_assign

REPORT = "tasks.report_progress"
CONTRIBUTE = "tasks.contribute_task"


def _fresh(user: Any) -> Any:
    return get_user_model().objects.get(pk=user.pk)


def _can(user: Any, perm: str, obj: Any = None) -> bool:
    return _fresh(user).has_perm(perm, obj)


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _task(plan: Plan, area: int, position: int) -> Task:
    return Task.objects.get(area__plan=plan, area__number=area, position=position)


def _office_task(plan: Plan) -> Task:
    """An open task an office leads and no commune was given (the demo gives (4, 2) to Bảo Lâm and closes it)."""
    task = _task(plan, 4, 4)
    assert task.lead_unit is not None and task.lead_unit.kind.code == "office" and not task.is_closed
    return task


def _new_user(username: str = "nguoimoi") -> Any:
    return get_user_model().objects.create_user(username, password="x")


def _history_rows() -> int:
    return sum(model._default_manager.count() for model in apps.get_models() if model.__name__.startswith("Historical"))


# --- membership_add / membership_remove -------------------------------------------


def test_membership_add_puts_the_user_in_the_role_group(db):
    user = _new_user()
    membership_add(user=user, unit=_unit("06187"), role=Role.UNIT_HEAD)
    assert _fresh(user).groups.filter(name="unit_head").exists()


def test_membership_add_puts_a_head_in_the_units_head_group(db):
    user = _new_user()
    unit = _unit("06187")
    membership_add(user=user, unit=unit, role=Role.UNIT_HEAD)
    assert unit_group(unit, Role.UNIT_HEAD) in _fresh(user).groups.all()
    assert unit_group(unit, Role.UNIT_STAFF) not in _fresh(user).groups.all()


def test_membership_add_puts_staff_in_the_units_staff_group(db):
    user = _new_user()
    unit = _unit("06187")
    membership_add(user=user, unit=unit, role=Role.UNIT_STAFF)
    assert unit_group(unit, Role.UNIT_STAFF) in _fresh(user).groups.all()


def test_membership_add_twice_keeps_one_membership(db):
    user = _new_user()
    unit = _unit("06187")
    membership_add(user=user, unit=unit, role=Role.UNIT_STAFF)
    membership_add(user=user, unit=unit, role=Role.UNIT_STAFF)
    assert Membership.objects.filter(user=user).count() == 1


def test_commune_head_cannot_report_on_a_task_before_their_commune_leads_it(seed_plan: Plan, commune_head):
    assert not _can(commune_head, REPORT, _office_task(seed_plan))


def test_commune_head_can_report_on_a_task_once_their_commune_leads_it(seed_plan: Plan, commune_head):
    task = _office_task(seed_plan)
    task_assign(task=task, lead_unit=_unit("06184"), coordinating_units=[])
    assert _can(commune_head, REPORT, task)


def test_commune_head_cannot_report_on_other_tasks_after_one_assignment(seed_plan: Plan, commune_head):
    task_assign(task=_office_task(seed_plan), lead_unit=_unit("06184"), coordinating_units=[])
    assert not _can(commune_head, REPORT, _task(seed_plan, 4, 3))


def test_commune_staff_can_report_on_a_task_their_commune_leads(seed_plan: Plan, commune_staff):
    task = _office_task(seed_plan)
    task_assign(task=task, lead_unit=_unit("06184"), coordinating_units=[])
    assert _can(commune_staff, REPORT, task)


def test_head_of_another_commune_cannot_report_on_the_task(seed_plan: Plan, other_commune_head):
    task = _office_task(seed_plan)
    task_assign(task=task, lead_unit=_unit("06184"), coordinating_units=[])
    assert not _can(other_commune_head, REPORT, task)


def test_a_person_joining_the_lead_unit_later_gets_its_rights(seed_plan: Plan):
    task = _office_task(seed_plan)
    task_assign(task=task, lead_unit=_unit("06184"), coordinating_units=[])
    user = _new_user()
    assert not _can(user, REPORT, task)
    membership_add(user=user, unit=_unit("06184"), role=Role.UNIT_STAFF)
    assert _can(user, REPORT, task)


def test_membership_remove_revokes_the_units_task_rights(seed_plan: Plan, commune_head):
    task = _office_task(seed_plan)
    task_assign(task=task, lead_unit=_unit("06184"), coordinating_units=[])
    assert _can(commune_head, REPORT, task)
    membership_remove(membership=Membership.objects.get(user=commune_head, unit__code="06184"))
    assert not _can(commune_head, REPORT, task)


def test_membership_remove_takes_the_user_out_of_the_units_group(db, commune_head):
    unit = _unit("06184")
    membership_remove(membership=Membership.objects.get(user=commune_head, unit=unit))
    assert unit_group(unit, Role.UNIT_HEAD) not in _fresh(commune_head).groups.all()


def test_membership_remove_drops_the_role_group_with_the_last_membership_in_that_role(db, commune_head):
    membership_remove(membership=Membership.objects.get(user=commune_head, unit__code="06184"))
    assert not _fresh(commune_head).groups.filter(name="unit_head").exists()


def test_membership_remove_keeps_the_role_group_while_another_unit_holds_that_role(db, commune_head):
    membership_add(user=commune_head, unit=_unit("06187"), role=Role.UNIT_HEAD)
    membership_remove(membership=Membership.objects.get(user=commune_head, unit__code="06184"))
    assert _fresh(commune_head).groups.filter(name="unit_head").exists()
    assert unit_group(_unit("06187"), Role.UNIT_HEAD) in _fresh(commune_head).groups.all()


def test_membership_remove_keeps_the_rights_of_the_users_other_unit(seed_plan: Plan, commune_head):
    task = _office_task(seed_plan)
    task_assign(task=task, lead_unit=_unit("06187"), coordinating_units=[])
    membership_add(user=commune_head, unit=_unit("06187"), role=Role.UNIT_HEAD)
    membership_remove(membership=Membership.objects.get(user=commune_head, unit__code="06184"))
    assert _can(commune_head, REPORT, task)


# --- Staff flags -------------------------------------------------------------------


def test_secretariat_membership_makes_the_user_staff_but_not_superuser(db):
    user = _new_user()
    membership_add(user=user, unit=_unit("183-NV"), role=Role.SECRETARIAT)
    assert _fresh(user).is_staff
    assert not _fresh(user).is_superuser


def test_secretariat_group_may_change_any_task(seed_plan: Plan):
    user = _new_user()
    membership_add(user=user, unit=_unit("183-NV"), role=Role.SECRETARIAT)
    assert _can(user, "tasks.change_task")


def test_administrator_membership_makes_the_user_superuser(db):
    user = _new_user()
    membership_add(user=user, unit=_unit("183"), role=Role.ADMINISTRATOR)
    assert _fresh(user).is_superuser
    assert _fresh(user).is_staff


def test_unit_head_membership_gives_no_admin_access(db):
    user = _new_user()
    membership_add(user=user, unit=_unit("06187"), role=Role.UNIT_HEAD)
    assert not _fresh(user).is_staff
    assert not _fresh(user).is_superuser


def test_removing_the_secretariat_membership_takes_admin_access_away(db, secretariat):
    assert _fresh(secretariat).is_staff
    membership_remove(membership=Membership.objects.get(user=secretariat, role=Role.SECRETARIAT))
    assert not _fresh(secretariat).is_staff
    assert not _can(secretariat, "tasks.change_task")


def test_steering_committee_may_view_but_not_change_tasks(db, steering):
    assert _can(steering, "tasks.view_task")
    assert not _can(steering, "tasks.change_task")


# --- task_assign ------------------------------------------------------------------------


def test_task_assign_gives_report_right_to_the_new_lead_unit(seed_plan: Plan, commune_head):
    task = _task(seed_plan, 2, 3)
    task_assign(task=task, lead_unit=_unit("06184"), coordinating_units=[])
    assert _can(commune_head, REPORT, task)


def test_task_assign_takes_report_right_from_the_old_lead_unit(seed_plan: Plan, office_head):
    task = _task(seed_plan, 2, 3)
    assert task.lead_unit.code == "183-TP"
    assert _can(office_head, REPORT, task)
    task_assign(task=task, lead_unit=_unit("06184"), coordinating_units=[])
    assert not _can(office_head, REPORT, task)


def test_task_assign_to_no_lead_unit_leaves_nobody_reporting(seed_plan: Plan, office_head):
    task = _task(seed_plan, 2, 3)
    task_assign(task=task, lead_unit=None, coordinating_units=[])
    assert not _can(office_head, REPORT, task)


def test_coordinating_units_may_contribute_but_not_report(seed_plan: Plan, other_commune_head):
    task = _task(seed_plan, 2, 3)
    task_assign(task=task, lead_unit=_unit("183-TP"), coordinating_units=[_unit("06190")])
    assert _can(other_commune_head, CONTRIBUTE, task)
    assert not _can(other_commune_head, REPORT, task)


def test_a_unit_dropped_from_coordination_loses_the_contribute_right(seed_plan: Plan, other_commune_head):
    task = _task(seed_plan, 2, 3)
    task_assign(task=task, lead_unit=_unit("183-TP"), coordinating_units=[_unit("06190")])
    task_assign(task=task, lead_unit=_unit("183-TP"), coordinating_units=[_unit("06184")])
    assert not _can(other_commune_head, CONTRIBUTE, task)


def test_the_lead_unit_is_not_also_a_coordinating_unit(seed_plan: Plan):
    task = _task(seed_plan, 2, 3)
    task_assign(task=task, lead_unit=_unit("06184"), coordinating_units=[_unit("06184"), _unit("06190")])
    assert list(task.coordinating_units.values_list("code", flat=True)) == ["06190"]


def test_task_assign_records_whether_the_assignment_is_assumed(seed_plan: Plan):
    task = _task(seed_plan, 2, 3)
    task_assign(task=task, lead_unit=task.lead_unit, coordinating_units=task.coordinating_units.all(), assumed=False)
    task.refresh_from_db()
    assert task.assignment_assumed is False


def test_reassigning_to_the_same_units_writes_no_history(seed_plan: Plan):
    task = _task(seed_plan, 1, 1)
    lead, coordinating = task.lead_unit, list(task.coordinating_units.all())
    before = _history_rows()
    task_assign(task=task, lead_unit=lead, coordinating_units=coordinating, assumed=task.assignment_assumed)
    assert _history_rows() == before


def test_reassigning_to_the_same_units_grants_nothing_new(seed_plan: Plan):
    from guardian.models import GroupObjectPermission

    task = _task(seed_plan, 1, 1)
    before = GroupObjectPermission.objects.count()
    task_assign(
        task=task, lead_unit=task.lead_unit, coordinating_units=list(task.coordinating_units.all()), assumed=True
    )
    assert GroupObjectPermission.objects.count() == before


def test_a_new_lead_unit_writes_one_task_history_record(seed_plan: Plan):
    task = _task(seed_plan, 1, 4)  # open: confirmed tasks keep their units
    assert not task.is_closed
    coordinating = list(task.coordinating_units.all())
    assert _unit("183-TTVHTTTT") not in coordinating
    before = task.history.count()
    task_assign(task=task, lead_unit=_unit("183-TTVHTTTT"), coordinating_units=coordinating, assumed=True)
    assert task.history.count() == before + 1


# --- Units ---------------------------------------------------------------------------


def test_moving_a_unit_moves_the_paths_of_its_whole_subtree(db):
    office = _unit("183-VHTT")
    hamlet = unit_upsert(code="183-VHTT-1", name="Tổ thông tin", kind=office.kind, parent=office)
    assert hamlet.path == "/20/183/183-VHTT/183-VHTT-1/"
    unit_upsert(code="183-VHTT", name=office.name, kind=office.kind, parent=_unit("20"), position=office.position)
    assert _unit("183-VHTT").path == "/20/183-VHTT/"
    assert _unit("183-VHTT-1").path == "/20/183-VHTT/183-VHTT-1/"


def test_a_units_head_may_change_their_own_unit_only(db, commune_head):
    assert _can(commune_head, "parplan.change_unit", _unit("06184"))
    assert not _can(commune_head, "parplan.change_unit", _unit("06190"))


def test_membership_add_accepts_the_role_as_a_form_or_the_database_gives_it(db):
    # The admin passes Membership.role, a plain string.
    user = _new_user()
    membership_add(user=user, unit=_unit("06187"), role="unit_staff")
    assert unit_group(_unit("06187"), Role.UNIT_STAFF) in _fresh(user).groups.all()


def test_membership_remove_of_a_membership_added_with_a_plain_string_role(db):
    user = _new_user()
    membership = membership_add(user=user, unit=_unit("183-NV"), role="secretariat")
    membership_remove(membership=membership)
    assert not _fresh(user).is_staff


def test_a_createsuperuser_account_keeps_its_rights_when_it_joins_the_secretariat(db):
    from django.contrib.auth import get_user_model

    from parplan.models import Role, Unit
    from parplan.services import membership_add

    founder = get_user_model().objects.create_superuser("founder", password="x")
    membership_add(user=founder, unit=Unit.objects.get(code="183-NV"), role=Role.SECRETARIAT)
    founder.refresh_from_db()
    assert founder.is_superuser and founder.is_staff


def test_removing_the_administrator_role_removes_superuser(administrator):
    from parplan.models import Membership, Role
    from parplan.services import membership_remove

    membership_remove(membership=Membership.objects.get(user=administrator, role=Role.ADMINISTRATOR))
    administrator.refresh_from_db()
    assert not administrator.is_superuser and not administrator.is_staff
