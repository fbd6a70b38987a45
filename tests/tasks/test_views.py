"""Task pages: who may read, report progress on and assign a task; behaviour; query budget."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from parplan.models import Plan, Unit
from tasks.models import ProgressStatus, Task
from tasks.services import task_assign
from tests.builders import add_progress_history, add_targets, add_tasks

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
READ = dict.fromkeys(CAST, 200) | {"outsider": 404}
# Task 2.1 of the seed is led by Phòng Tư pháp (office_head), coordinated by Văn phòng.
REPORT_OFFICE_TASK = {
    "secretariat": 200,
    "steering": 403,
    "administrator": 200,
    "commune_head": 403,
    "commune_staff": 403,
    "other_commune_head": 403,
    "office_head": 200,
    "outsider": 404,
}
# Assignment is the secretariat's (and administrators'); a lead unit cannot reassign its own task.
ASSIGN = dict.fromkeys(CAST, 403) | {"secretariat": 200, "administrator": 200, "outsider": 404}
# A task led by Thị trấn Đồng Đăng and coordinated by Xã Bảo Lâm (assigned in the fixture).
REPORT_COMMUNE_TASK = REPORT_OFFICE_TASK | {"commune_head": 200, "commune_staff": 200, "office_head": 403}

PROGRESS = {"status": ProgressStatus.IN_PROGRESS, "percent": 50, "note": "Đã rà soát 12 thủ tục."}


def _posted(expected: dict[str, int]) -> dict[str, int]:
    return {who: 302 if status == 200 else status for who, status in expected.items()}


def _matrix(page: str, expected: dict[str, int]) -> list[Any]:
    return [pytest.param(page, who, status, id=f"{page}-{who}-{status}") for who, status in expected.items()]


@pytest.fixture
def office_task(seed_plan: Plan) -> Task:
    return Task.objects.select_related("lead_unit").get(area__plan=seed_plan, area__number=2, position=1)


@pytest.fixture
def commune_task(seed_plan: Plan) -> Task:
    """Task 4.2, moved to the commune as lead the way the secretariat would: through the service."""
    task = Task.objects.get(area__plan=seed_plan, area__number=4, position=2)
    return task_assign(
        task=task,
        lead_unit=Unit.objects.get(code="06184"),
        coordinating_units=[Unit.objects.get(code="06190")],
    )


def _assign_data(lead: str, coordinating: list[str]) -> dict[str, Any]:
    return {
        "lead_unit": Unit.objects.get(code=lead).pk,
        "coordinating_units": [Unit.objects.get(code=code).pk for code in coordinating],
    }


# --- Access matrix ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "who", "status"),
    _matrix("task-detail", READ) + _matrix("task-progress", REPORT_OFFICE_TASK) + _matrix("task-assign", ASSIGN),
)
def test_get_access_matrix(request, client_for, office_task, page, who, status):
    response = client_for(request.getfixturevalue(who)).get(reverse(page, args=[office_task.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(("page", "who", "status"), _matrix("task-progress", _posted(REPORT_OFFICE_TASK)))
def test_progress_post_access_matrix(request, client_for, office_task, page, who, status):
    response = client_for(request.getfixturevalue(who)).post(reverse(page, args=[office_task.pk]), PROGRESS)
    assert response.status_code == status
    office_task.refresh_from_db()
    assert (office_task.progress_percent == PROGRESS["percent"]) is (status == 302)


@pytest.mark.parametrize(("page", "who", "status"), _matrix("task-assign", _posted(ASSIGN)))
def test_assign_post_access_matrix(request, client_for, office_task, page, who, status):
    data = _assign_data("06184", ["183-VP"])
    response = client_for(request.getfixturevalue(who)).post(reverse(page, args=[office_task.pk]), data)
    assert response.status_code == status
    office_task.refresh_from_db()
    assert (office_task.lead_unit.code == "06184") is (status == 302)


@pytest.mark.parametrize(
    ("page", "who", "status"),
    _matrix("task-progress", REPORT_COMMUNE_TASK) + _matrix("task-progress-post", _posted(REPORT_COMMUNE_TASK)),
)
def test_lead_communes_people_report_progress_and_no_one_else(request, client_for, commune_task, page, who, status):
    client = client_for(request.getfixturevalue(who))
    url = reverse("task-progress", args=[commune_task.pk])
    response = client.post(url, PROGRESS) if page.endswith("-post") else client.get(url)
    assert response.status_code == status


def test_commune_staff_may_report_progress_on_a_task_led_by_their_commune(client_for, commune_staff, commune_task):
    response = client_for(commune_staff).post(reverse("task-progress", args=[commune_task.pk]), PROGRESS)
    assert response.status_code == 302
    commune_task.refresh_from_db()
    assert (commune_task.status, commune_task.progress_percent) == (ProgressStatus.IN_PROGRESS, 50)


def test_coordinating_commune_cannot_report_the_leads_progress(client_for, other_commune_head, commune_task):
    response = client_for(other_commune_head).post(reverse("task-progress", args=[commune_task.pk]), PROGRESS)
    assert response.status_code == 403


def test_steering_committee_reads_tasks_but_changes_nothing(client_for, steering, office_task):
    client = client_for(steering)
    assert client.get(reverse("task-detail", args=[office_task.pk])).status_code == 200
    for page in ("task-progress", "task-assign"):
        assert client.get(reverse(page, args=[office_task.pk])).status_code == 403
    assert client.post(reverse("task-progress", args=[office_task.pk]), PROGRESS).status_code == 403
    assert client.post(reverse("task-assign", args=[office_task.pk]), _assign_data("06184", [])).status_code == 403


@pytest.mark.parametrize(
    ("who", "report", "assign"),
    [
        ("secretariat", True, True),
        ("administrator", True, True),
        ("office_head", True, False),
        ("steering", False, False),
        ("commune_head", False, False),
    ],
)
def test_task_page_shows_only_the_buttons_the_person_may_use(request, client_for, office_task, who, report, assign):
    page = client_for(request.getfixturevalue(who)).get(reverse("task-detail", args=[office_task.pk])).content.decode()
    assert (reverse("task-progress", args=[office_task.pk]) in page) is report
    assert (reverse("task-assign", args=[office_task.pk]) in page) is assign


# --- Behaviour -------------------------------------------------------------------


def test_progress_over_100_percent_is_redisplayed_with_an_error_and_not_saved(client_for, commune_head, commune_task):
    history_before = commune_task.history.count()
    response = client_for(commune_head).post(
        reverse("task-progress", args=[commune_task.pk]), PROGRESS | {"percent": 150}
    )
    assert response.status_code == 200
    assert "Tiến độ không được vượt quá 100%." in response.content.decode()
    commune_task.refresh_from_db()
    assert (commune_task.status, commune_task.progress_percent) == (ProgressStatus.NOT_STARTED, 0)
    assert commune_task.history.count() == history_before


def test_negative_progress_is_redisplayed_with_an_error(client_for, commune_head, commune_task):
    response = client_for(commune_head).post(
        reverse("task-progress", args=[commune_task.pk]), PROGRESS | {"percent": -5}
    )
    assert response.status_code == 200
    assert "Tiến độ không được nhỏ hơn 0%." in response.content.decode()
    commune_task.refresh_from_db()
    assert commune_task.progress_percent == 0


def test_progress_100_percent_must_be_marked_completed(client_for, commune_head, commune_task):
    response = client_for(commune_head).post(
        reverse("task-progress", args=[commune_task.pk]), PROGRESS | {"percent": 100}
    )
    assert response.status_code == 200
    assert "“Đã hoàn thành”" in response.content.decode()
    commune_task.refresh_from_db()
    assert commune_task.progress_percent == 0


def test_saved_progress_shows_on_the_task_page_with_a_history_entry(client_for, commune_staff, commune_task):
    history_before = commune_task.history.count()
    response = client_for(commune_staff).post(reverse("task-progress", args=[commune_task.pk]), PROGRESS, follow=True)
    assert response.redirect_chain == [(reverse("task-detail", args=[commune_task.pk]), 302)]
    page = response.content.decode()
    assert "Đã cập nhật tiến độ nhiệm vụ." in page
    assert 'class="badge badge-in_progress">Đang thực hiện<' in page
    assert PROGRESS["note"] in page
    assert commune_task.history.count() == history_before + 1
    newest = response.context["history"][0]
    assert newest.history_user == commune_staff
    assert "Lăng Thị Thu" in page  # commune_staff's name, in the history list


def test_assign_moves_the_lead_and_the_previous_lead_loses_the_progress_right(
    client_for, secretariat, office_head, commune_head, office_task
):
    response = client_for(secretariat).post(
        reverse("task-assign", args=[office_task.pk]), _assign_data("06184", ["183-TP"]), follow=True
    )
    assert "Đã phân công nhiệm vụ." in response.content.decode()
    office_task.refresh_from_db()
    assert office_task.lead_unit.code == "06184"
    assert not office_task.assignment_assumed  # confirmed by the secretariat
    assert list(office_task.coordinating_units.values_list("code", flat=True)) == ["183-TP"]

    progress_url = reverse("task-progress", args=[office_task.pk])
    previous = client_for(office_head)
    assert progress_url not in previous.get(reverse("task-detail", args=[office_task.pk])).content.decode()
    assert previous.get(progress_url).status_code == 403
    assert not office_head.has_perm("tasks.report_progress", office_task)

    new = client_for(commune_head)
    assert progress_url in new.get(reverse("task-detail", args=[office_task.pk])).content.decode()
    assert new.get(progress_url).status_code == 200


def test_assign_refuses_a_unit_outside_the_plans_tree(client_for, secretariat, office_task):
    response = client_for(secretariat).post(reverse("task-assign", args=[office_task.pk]), _assign_data("20", []))
    assert response.status_code == 200
    assert response.context["form"].errors["lead_unit"]
    office_task.refresh_from_db()
    assert office_task.lead_unit.code == "183-TP"


def test_unknown_task_is_404(client_for, secretariat):
    assert client_for(secretariat).get(reverse("task-detail", args=[999_999])).status_code == 404


# --- Query budget ------------------------------------------------------------------


def test_task_detail_query_budget(client_for, commune_head, seed_plan, commune_task, django_assert_num_queries):
    # 1 session, 2 user, 3-4 global permissions (user, groups) for `view_plan`,
    # 5 the task (with area, plan, issuer, lead unit; EXISTS membership in the
    # issuer's tree), 6-7 object permissions for `report_progress` (user, groups),
    # 8-9 the same for `change_task`, 10 header memberships,
    # 11 coordinating units (with kind), 12 the last 20 history records (with user).
    client = client_for(commune_head)
    url = reverse("task-detail", args=[commune_task.pk])
    # Warm the process-wide ContentType cache (a transactional test clears it).
    assert client.get(url).status_code == 200
    with django_assert_num_queries(12):
        small = client.get(url)

    others = list(Unit.objects.filter(code__in=["183-TP", "183-VP", "183-NV", "183-TCKH", "06187", "06193"]))
    add_tasks(plan=seed_plan, count=40, lead_units=[commune_task.lead_unit], coordinating_units=others)
    add_targets(plan=seed_plan, count=20)
    task_assign(task=commune_task, lead_unit=commune_task.lead_unit, coordinating_units=others)
    add_progress_history(task=commune_task, count=25)
    with django_assert_num_queries(12):
        large = client.get(url)
    assert small.status_code == large.status_code == 200
    assert len(large.content) > len(small.content)
