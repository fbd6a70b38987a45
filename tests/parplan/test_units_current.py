"""Units kept current: added, renamed, moved, merged (two communes become one on a date), ended.

The unit that succeeds takes the open tasks and reports where the old ones did; what the old units did,
their figures and their history stay with them, under their names.
"""

from __future__ import annotations

import datetime

import pytest
from django.forms import ModelChoiceField
from django.urls import reverse

from parplan.forms import form_field
from parplan.models import Unit, UnitKind
from planio.documents.unit_names import UnitDirectory
from targets.models import Indicator, Measurement
from tasks.forms import TaskCreateForm
from tasks.models import Task
from tasks.services import task_assign

pytestmark = pytest.mark.django_db
MERGED_ON = datetime.date(2025, 7, 1)


def _new_commune(client) -> Unit:
    district = Unit.objects.get(code="183")
    response = client.post(
        reverse("unit-new", args=["183"]),
        {"code": "06999", "name": "Xã Bảo Lâm Thanh Lòa", "kind": UnitKind.objects.get(code="commune").pk,
         "parent": district.pk, "reason": "Nghị quyết sắp xếp đơn vị hành chính cấp xã"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    return Unit.objects.get(code="06999")


def _merge(client, into: Unit, *codes: str, reason: str = "Nghị quyết số 1672/NQ-UBTVQH15"):
    units = [Unit.objects.get(code=code).pk for code in codes]
    return client.post(reverse("unit-merge", args=[into.code]), {"units": units, "on": "01/07/2025", "reason": reason})


@pytest.fixture
def merged(client_for, secretariat, current_plan):
    client = client_for(secretariat)
    into = _new_commune(client)
    bao_lam, thanh_loa = Unit.objects.get(code="06190"), Unit.objects.get(code="06193")
    open_tasks = Task.objects.open().filter(area__plan=current_plan)
    # Bảo Lâm leads one open task (the demo's communes mostly coordinate).
    task = open_tasks.filter(coordinating_units=thanh_loa).first()
    others = [unit for unit in task.coordinating_units.all() if unit != bao_lam]
    task_assign(task=task, lead_unit=bao_lam, coordinating_units=others, user=secretariat)
    before = {
        "led": list(open_tasks.filter(lead_unit=bao_lam).values_list("pk", flat=True)),
        "coordinated": list(open_tasks.filter(coordinating_units=thanh_loa).values_list("pk", flat=True)),
        "closed": list(
            Task.objects.filter(lead_unit=bao_lam).exclude(pk__in=open_tasks.values("pk")).values_list("pk", flat=True)
        ),
        "figures": Measurement.objects.filter(unit=bao_lam).count(),
    }
    response = _merge(client, into, "06190", "06193")
    assert response.status_code == 302 and response["Location"] == reverse("unit-detail", args=["06999"])
    return into, bao_lam, thanh_loa, before


def test_the_merged_communes_end_on_the_date_and_name_their_successor(merged, secretariat):
    into, bao_lam, thanh_loa, _ = merged
    for old in (bao_lam, thanh_loa):
        old.refresh_from_db()
        assert (old.active, old.ended_on, old.merged_into) == (False, MERGED_ON, into)
        latest = old.history.first()
        assert (latest.history_change_reason, latest.history_user) == ("Nghị quyết số 1672/NQ-UBTVQH15", secretariat)


def test_open_tasks_move_to_the_successor_and_finished_ones_stay(merged):
    into, bao_lam, thanh_loa, before = merged
    assert before["led"] and before["coordinated"]  # the demo gives both communes open work
    for task in Task.objects.filter(pk__in=before["led"]):
        assert task.lead_unit == into
    for task in Task.objects.filter(pk__in=before["coordinated"]).prefetch_related("coordinating_units"):
        units = set(task.coordinating_units.all())
        # The successor coordinates, unless it now leads the task (both communes were on it).
        assert thanh_loa not in units and (into in units) != (task.lead_unit == into)
    assert list(Task.objects.filter(lead_unit=bao_lam).values_list("pk", flat=True)) == before["closed"]


def test_figures_stay_attributed_to_the_old_communes(merged):
    into, bao_lam, _, before = merged
    assert before["figures"] > 0
    assert Measurement.objects.filter(unit=bao_lam).count() == before["figures"]
    assert not Measurement.objects.filter(unit=into).exists()
    # The successor reports where Bảo Lâm did, in plans not closed; Bảo Lâm stays in scope for its own figures.
    reported = Indicator.objects.filter(scope_units=bao_lam).exclude(area__plan__status="closed")
    assert reported.exists() and all(into in indicator.scope_units.all() for indicator in reported)


def test_ended_units_are_not_offered_for_new_work(merged, current_plan):
    into, bao_lam, thanh_loa, _ = merged
    offered = set(form_field(TaskCreateForm(plan=current_plan), "lead_unit", ModelChoiceField).queryset)
    assert into in offered and bao_lam not in offered and thanh_loa not in offered
    directory = UnitDirectory(Unit.objects.get(code="183"))
    assert directory.named("Xã Bảo Lâm") == [] and directory.named("Xã Bảo Lâm Thanh Lòa") == [into]


def test_the_old_communes_page_says_where_it_went(merged, client_for, secretariat):
    page = client_for(secretariat).get(reverse("unit-detail", args=["06190"]))
    assert "Đã hợp nhất vào Xã Bảo Lâm Thanh Lòa từ ngày 01/07/2025" in page.content.decode()


def test_merging_a_unit_already_merged_is_refused(merged, client_for, secretariat):
    into, *_ = merged
    other = Unit.objects.get(code="06196")
    page = client_for(secretariat).post(
        reverse("unit-merge", args=[other.code]), {"units": [Unit.objects.get(code="06190").pk], "on": "01/07/2025",
                                                 "reason": "thử"},
    )  # fmt: skip
    assert page.status_code == 200  # an ended unit is no longer a choice
    assert page.context["form"].errors["units"]


def test_a_unit_with_open_tasks_is_not_simply_ended(client_for, secretariat, current_plan):
    unit = Unit.objects.get(code="06184")
    assert Task.objects.open().filter(lead_unit=unit).exists()
    page = client_for(secretariat).post(reverse("unit-end", args=[unit.code]), {"on": "01/07/2025", "reason": "thử"})
    assert page.status_code == 200
    assert "nhiệm vụ đang thực hiện chưa xong" in page.content.decode()
    unit.refresh_from_db()
    assert unit.active


def test_a_unit_without_open_work_is_ended_and_keeps_its_history(client_for, secretariat):
    client = client_for(secretariat)
    _new_commune(client)
    response = client.post(reverse("unit-end", args=["06999"]), {"on": "31/12/2026", "reason": "Giải thể"})
    assert response.status_code == 302
    unit = Unit.objects.get(code="06999")
    assert (unit.active, unit.ended_on) == (False, datetime.date(2026, 12, 31))
    assert unit.history.count() == 2


def test_renaming_and_moving_keep_the_unit_and_move_its_subtree(client_for, secretariat):
    client = client_for(secretariat)
    office = Unit.objects.get(code="183-VHTT")
    response = client.post(
        reverse("unit-structure", args=[office.code]),
        {"code": "183-VHTT", "name": "Phòng Văn hóa, Khoa học và Thông tin", "kind": office.kind_id,
         "parent": office.parent_id, "reason": "Quyết định đổi tên"},
    )  # fmt: skip
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.name == "Phòng Văn hóa, Khoa học và Thông tin"
    assert office.history.first().history_change_reason == "Quyết định đổi tên"


@pytest.mark.parametrize("who", ["commune_head", "office_head", "steering"])
def test_only_the_secretariat_keeps_units(client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    for name in ("unit-new", "unit-structure", "unit-merge", "unit-end"):
        assert client.get(reverse(name, args=["06184"])).status_code == 403, name


def test_another_authoritys_secretariat_cannot_merge_or_end_the_seeds_units(client_for, other_authority):
    client = client_for(other_authority.secretariat)
    unit = Unit.objects.get(code="06196")
    assert _merge(client, Unit.objects.get(code="06184"), "06196").status_code in (403, 404)
    assert client.post(reverse("unit-end", args=["06196"]), {"on": "01/07/2025", "reason": "x"}).status_code in (
        403,
        404,
    )
    unit.refresh_from_db()
    assert unit.active


def test_a_secretariat_does_not_end_or_move_its_own_authority(client_for, secretariat):
    # The district's secretariat keeps the district's units, not the district itself (decided above it).
    client = client_for(secretariat)
    assert client.get(reverse("unit-end", args=["183"])).status_code == 403
    assert client.get(reverse("unit-structure", args=["183"])).status_code == 403
    assert client.get(reverse("unit-new", args=["183"])).status_code == 200
