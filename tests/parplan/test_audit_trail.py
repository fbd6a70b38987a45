"""Every change of rights, every evidence file, every report version and every sign-in leaves a record (docs/access.md).

Who and when for all; why where the change is made through a form (the
membership, person and group forms of the admin ask a reason).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.models import GroupObjectPermission

from evidence.models import Evidence
from evidence.services import evidence_remove
from parplan.audit import rights_changed_by
from parplan.models import Membership, RightsChange, RightsChangeKind, Role, Unit
from parplan.services import membership_add, object_rights_sync, unit_group
from reports.models import GeneratedReport, GenerationState, ReportKind
from reports.services import report_generate, report_request
from tasks.models import ProgressStatus, Task
from tasks.services import task_assign, task_report_progress
from tests.parplan.accounts.conftest import DEMO_PASSWORD, post_login
from tests.tasks.builders import pdf

REASON = "Quyết định số 12/QĐ-UBND về phân công nhiệm vụ"


def _new_user(username: str = "nguoimoi") -> Any:
    return get_user_model().objects.create_user(username, password="x")


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _changes(**filters: Any) -> list[RightsChange]:
    return list(RightsChange.objects.filter(**filters).order_by("pk"))


def _user_form(user: Any, **changes: Any) -> dict[str, Any]:
    """The user admin's change form as saved, with `changes`."""
    data = {"username": user.username, "first_name": "", "last_name": "", "email": "",
            "is_active": "on", "groups": [], "user_permissions": [], "reason": REASON}  # fmt: skip
    data.update({"is_staff": "on"} if user.is_staff else {})
    data.update({"is_superuser": "on"} if user.is_superuser else {})
    data.update(changes)
    return {name: value for name, value in data.items() if value is not False}


# --- Flags, groups and rights of people ------------------------------------------------------


def test_an_administrator_making_someone_superuser_is_recorded_with_who_and_why(client_for, administrator):
    person = _new_user()
    response = client_for(administrator).post(
        reverse("admin:auth_user_change", args=[person.pk]), _user_form(person, is_staff="on", is_superuser="on")
    )
    assert response.status_code == 302
    rows = _changes(person=person.username, kind__in=[RightsChangeKind.SUPERUSER, RightsChangeKind.STAFF])
    assert {(row.kind, row.granted, row.actor, row.reason) for row in rows} == {
        (RightsChangeKind.SUPERUSER, True, "admin", REASON),
        (RightsChangeKind.STAFF, True, "admin", REASON),
    }


def test_taking_a_flag_away_is_recorded_too(client_for, administrator):
    person = _new_user()
    person.is_staff = True
    person.save()
    client_for(administrator).post(reverse("admin:auth_user_change", args=[person.pk]),
                                   _user_form(person, is_staff=False, is_active=False))  # fmt: skip
    rows = _changes(person=person.username, actor="admin")
    assert {(row.kind, row.granted) for row in rows} == {
        (RightsChangeKind.STAFF, False),
        (RightsChangeKind.ACTIVE, False),
    }


def test_groups_and_rights_given_in_the_users_admin_are_recorded(client_for, administrator):
    person = _new_user()
    group = Group.objects.get(name=Role.STEERING)
    right = Permission.objects.get(codename="view_plan")
    client_for(administrator).post(reverse("admin:auth_user_change", args=[person.pk]),
                                   _user_form(person, groups=[group.pk], user_permissions=[right.pk]))  # fmt: skip
    assert [(row.group, row.actor, row.reason) for row in _changes(person=person.username,
            kind=RightsChangeKind.GROUP)] == [(Role.STEERING, "admin", REASON)]  # fmt: skip
    assert [(row.permission, row.granted) for row in _changes(person=person.username,
            kind=RightsChangeKind.PERMISSION)] == [("parplan.view_plan", True)]  # fmt: skip


def test_a_groups_rights_changed_in_the_groups_admin_are_recorded(client_for, administrator):
    group = Group.objects.get(name=Role.STEERING)
    kept = list(group.permissions.values_list("pk", flat=True))
    added = Permission.objects.get(codename="change_plan")
    response = client_for(administrator).post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": group.name, "permissions": [*kept, added.pk], "reason": REASON},
    )
    assert response.status_code == 302
    rows = _changes(group=Role.STEERING, kind=RightsChangeKind.PERMISSION, actor="admin")
    assert [(row.permission, row.granted, row.actor, row.reason) for row in rows] == [
        ("parplan.change_plan", True, "admin", REASON)
    ]


def test_accounts_created_and_deleted_are_recorded(client_for, administrator):
    person = _new_user()
    client_for(administrator).post(reverse("admin:auth_user_delete", args=[person.pk]), {"post": "yes"})
    rows = _changes(person="nguoimoi", kind=RightsChangeKind.ACCOUNT)
    assert [(row.granted, row.actor) for row in rows] == [(True, ""), (False, "admin")]


def test_a_login_writes_no_rights_change(commune_head):
    before = RightsChange.objects.count()
    assert post_login(Client(), commune_head.username, DEMO_PASSWORD).status_code == 302
    assert RightsChange.objects.count() == before


# --- Memberships ---------------------------------------------------------------------------------


def test_a_membership_given_in_the_admin_keeps_who_and_why_in_its_history_and_the_trail(client_for, secretariat):
    person = _new_user()
    response = client_for(secretariat).post(
        reverse("admin:parplan_membership_add"),
        {"user": person.pk, "unit": _unit("06184").pk, "role": Role.UNIT_STAFF, "reason": REASON},
    )
    assert response.status_code == 302
    record = Membership.history.filter(user_id=person.pk).get()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", secretariat, REASON)
    groups = {(row.group, row.actor, row.reason) for row in _changes(person=person.username, kind="group")}
    unit_staff = unit_group(_unit("06184"), Role.UNIT_STAFF).name
    assert groups == {(Role.UNIT_STAFF, "noivu", REASON), (unit_staff, "noivu", REASON)}


def test_a_membership_removed_in_the_admin_keeps_who_removed_it(client_for, secretariat, commune_staff):
    membership = Membership.objects.get(user=commune_staff)
    client_for(secretariat).post(reverse("admin:parplan_membership_delete", args=[membership.pk]), {"post": "yes"})
    record = Membership.history.filter(id=membership.pk).latest()
    assert (record.history_type, record.history_user) == ("-", secretariat)
    revoked = _changes(person=commune_staff.username, kind=RightsChangeKind.GROUP, granted=False)
    assert revoked and {row.actor for row in revoked} == {"noivu"}


def test_the_secretariat_role_given_by_an_administrator_records_the_staff_flag(administrator):
    person = _new_user()
    membership_add(user=person, unit=_unit("183-NV"), role=Role.SECRETARIAT, actor=administrator, reason=REASON)
    staff = _changes(person=person.username, kind=RightsChangeKind.STAFF)
    assert [(row.granted, row.actor, row.reason) for row in staff] == [(True, "admin", REASON)]


# --- Object rights ---------------------------------------------------------------------------------


def test_object_rights_of_a_unit_added_in_the_admin_are_recorded_as_the_request_s_person(client_for, administrator):
    client_for(administrator).post(
        reverse("admin:parplan_unit_add"),
        {"code": "99999", "name": "Xã Thử Nghiệm", "kind": _unit("06184").kind_id, "parent": _unit("183").pk,
         "position": 0, "email": "", "phone": "", "address": ""},
    )  # fmt: skip
    unit = _unit("99999")
    rows = _changes(kind=RightsChangeKind.OBJECT_PERMISSION, object_type="parplan.unit", object_pk=str(unit.pk))
    assert {(row.permission, row.group) for row in rows} >= {
        ("parplan.change_unit", unit_group(unit, Role.UNIT_HEAD).name)
    }
    assert {(row.granted, row.actor) for row in rows} == {(True, "admin")}


def test_object_rights_moved_by_an_assignment_are_recorded_both_ways(seed_authority, secretariat):
    task = seed_authority.task
    old_heads = unit_group(task.lead_unit, Role.UNIT_HEAD).name
    new_heads = unit_group(_unit("06190"), Role.UNIT_HEAD).name
    task_assign(task=task, lead_unit=_unit("06190"), coordinating_units=[], user=secretariat)
    rows = _changes(kind=RightsChangeKind.OBJECT_PERMISSION, object_type="tasks.task", object_pk=str(task.pk),
                    permission="tasks.claim_completion")  # fmt: skip
    assert [(row.group, row.granted, row.actor) for row in rows][-2:] in (
        [(new_heads, True, "noivu"), (old_heads, False, "noivu")],
        [(old_heads, False, "noivu"), (new_heads, True, "noivu")],
    )


def test_rights_granted_to_many_groups_at_once_take_the_same_queries_and_are_each_recorded(seed_plan, secretariat):
    two, eight = Task.objects.filter(area__plan=seed_plan).order_by("pk")[:2]
    groups = [unit_group(unit, Role.UNIT_HEAD) for unit in Unit.objects.filter(kind__code="commune").order_by("code")]
    counts = []
    for task, some in ((two, groups[:2]), (eight, groups[2:10])):
        object_rights_sync(obj=task, perm="tasks.view_task", groups=[], user=secretariat)  # from nobody
        with CaptureQueriesContext(connection) as queries:
            object_rights_sync(obj=task, perm="tasks.view_task", groups=some, user=secretariat)
        counts.append(len(queries))
        holders = GroupObjectPermission.objects.filter(object_pk=str(task.pk), permission__codename="view_task")
        assert set(holders.values_list("group__name", flat=True)) == {group.name for group in some}
        rows = _changes(kind=RightsChangeKind.OBJECT_PERMISSION, object_type="tasks.task", object_pk=str(task.pk),
                        permission="tasks.view_task", granted=True)  # fmt: skip
        assert {(row.group, row.actor) for row in rows[-len(some) :]} == {(group.name, "noivu") for group in some}
    # One insert for the new holders however many (it was a get-or-create and an audit row each).
    assert counts[0] == counts[1]


def test_the_actor_named_for_a_change_of_rights_outranks_the_request(secretariat, administrator):
    with rights_changed_by(administrator, REASON):
        _new_user("tam").groups.add(Group.objects.get(name=Role.STEERING))
    assert [(row.actor, row.reason) for row in _changes(person="tam", kind=RightsChangeKind.GROUP)] == [
        ("admin", REASON)
    ]


# --- Evidence files and report versions ------------------------------------------------------------


def test_a_tasks_evidence_attached_and_removed_keeps_who_in_its_history(media_root: Path, seed_authority):
    # Outside a request (a job, a command), where the history middleware knows nobody.
    task, head = seed_authority.task, seed_authority.unit_head
    report = task_report_progress(task=task, user=head, status=ProgressStatus.IN_PROGRESS, percent=30,
                                  text="Đã rà soát.", files=[pdf("Báo cáo.pdf")])  # fmt: skip
    evidence = report.evidence.get()
    evidence_remove(evidence=evidence, user=seed_authority.secretariat)
    history = Evidence.history.filter(id=evidence.pk).order_by("history_id")
    assert [(record.history_type, record.history_user) for record in history] == [
        ("+", head),
        ("-", seed_authority.secretariat),
    ]


def test_a_report_version_keeps_who_asked_and_each_state(media_root: Path, seed_plan, secretariat, monkeypatch):
    import reports.renderers.pdf
    import reports.renderers.xlsx

    monkeypatch.setattr(reports.renderers.pdf, "render_pdf", lambda data: (b"%PDF-1.4\n%%EOF\n", 1))
    monkeypatch.setattr(reports.renderers.xlsx, "render_xlsx", lambda data: b"xlsx")
    report = report_request(plan=seed_plan, kind=ReportKind.YEAR, user=secretariat)  # generated on commit
    report_generate(report=GeneratedReport.objects.get(pk=report.pk))
    history = GeneratedReport.history.filter(id=report.pk).order_by("history_id")
    assert [(record.state, record.author_id) for record in history] == [
        (GenerationState.QUEUED, secretariat.pk),
        (GenerationState.RUNNING, secretariat.pk),
        (GenerationState.DONE, secretariat.pk),
    ]
    assert history.first().history_user == secretariat


def test_a_failed_report_version_keeps_its_failure_in_history(media_root: Path, seed_plan, secretariat, monkeypatch):
    import reports.renderers.pdf

    def broken(data: Any) -> Any:
        raise RuntimeError("hỏng")

    monkeypatch.setattr(reports.renderers.pdf, "render_pdf", broken)
    report = report_request(plan=seed_plan, kind=ReportKind.YEAR, user=secretariat)
    with pytest.raises(RuntimeError):
        report_generate(report=report)
    assert GeneratedReport.history.filter(id=report.pk).latest().state == GenerationState.FAILED


def test_the_secretariat_reads_the_history_of_its_report_versions_in_the_admin(client_for, seed_authority):
    client = client_for(seed_authority.secretariat)
    url = reverse("admin:reports_generatedreport_history", args=[seed_authority.report.pk])
    assert client.get(url).status_code == 200


# --- Sign-ins --------------------------------------------------------------------------------------


def test_logins_failed_logins_and_logouts_are_recorded(commune_head):
    client = Client()
    post_login(client, commune_head.username, "not-the-password")
    assert AccessFailureLog.objects.filter(username=commune_head.username).count() == 1
    post_login(client, commune_head.username, DEMO_PASSWORD)
    login = AccessLog.objects.get(username=commune_head.username)
    assert login.logout_time is None
    client.post(reverse("logout"))
    login.refresh_from_db()
    assert login.logout_time is not None


# --- Who reads the trail ---------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["changelist", "change"])
def test_administrators_alone_read_the_rights_trail_and_nobody_edits_it(client_for, administrator, secretariat, page):
    row = RightsChange.objects.order_by("pk").first()
    url = reverse(f"admin:parplan_rightschange_{page}", args=[] if page == "changelist" else [row.pk])
    assert client_for(administrator).get(url).status_code == 200
    assert client_for(secretariat).get(url).status_code == 403
    assert client_for(administrator).get(reverse("admin:parplan_rightschange_add")).status_code == 403
    before = RightsChange.objects.count()
    client_for(administrator).post(reverse("admin:parplan_rightschange_delete", args=[row.pk]), {"post": "yes"})
    assert RightsChange.objects.count() == before
