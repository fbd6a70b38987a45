"""Task screens: who may do what (a matrix over the cast), lists, export, statistics, conflicts, budgets.

The task most tests act on is the seed's 4.4 (the demo's 4.2 is Bảo Lâm's, done), assigned the way the secretariat
would (through `task_assign`): led by Thị trấn Đồng Đăng (commune_head,
commune_staff), coordinated by Xã Bảo Lâm (other_commune_head). Phòng Tư pháp
(office_head) has no part in it; the steering committee reads everything.
"""

from __future__ import annotations

import datetime
import io
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermission
from openpyxl import load_workbook

from notifications.models import Notification
from parplan.models import Plan, Role, Unit
from parplan.services import membership_add
from tasks.forms import TaskEditForm
from tasks.models import (
    ExtensionRequest,
    ExtensionState,
    ProgressReport,
    ProgressStatus,
    ReportRole,
    Task,
    TaskOccurrence,
    TaskState,
)
from tasks.services import (
    extension_decide,
    extension_request,
    occurrence_mark_done,
    task_assign,
    task_cancel,
    task_claim_completion,
    task_confirm_completion,
    task_contribute,
    task_create,
    task_report_progress,
    task_update,
)
from tests.files import pdf_bytes

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
EVERYONE = frozenset(CAST) - {"outsider"}  # the outsider has no membership: no plan, so 404 everywhere
MANAGERS = frozenset({"secretariat", "administrator"})
LEAD_UNIT = MANAGERS | {"commune_head", "commune_staff"}
LEAD_HEAD = MANAGERS | {"commune_head"}
COORDINATING = MANAGERS | {"other_commune_head"}
SEED_TASKS = 37
PAGE_SIZE = 25


def _today() -> datetime.date:
    return timezone.localdate()


def _unit(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _dmy(day: datetime.date) -> str:
    return f"{day:%d/%m/%Y}"


def _pdf(name: str = "bao-cao.pdf", size: int | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(size), content_type="application/pdf")


def _html(response: Any) -> str:
    return response.content.decode()


def _messages(response: Any) -> list[str]:
    return re.findall(r'<p class="message[^"]*" role="status">([^<]*)</p>', _html(response))


def _errors(response: Any) -> list[str]:
    return re.findall(r'<p class="error">([^<]*)</p>', _html(response))


@pytest.fixture(autouse=True)
def _private_media(media_root: Path) -> Path:
    return media_root


@pytest.fixture(autouse=True)
def _in_the_plan_year(clock_on_today: datetime.date) -> None:
    """Today is a day of the seed plan's year: its tasks' dates stay within the plan's years."""


@pytest.fixture
def commune_task(seed_plan: Plan, secretariat: Any) -> Task:
    # An open task an office leads, given to Đồng Đăng (the demo's 4.2 is Bảo Lâm's and done).
    task = Task.objects.get(area__plan=seed_plan, area__number=4, position=4)
    task_update(task=task, expected_version=task.version, user=secretariat, due_date=_today() + datetime.timedelta(30))
    # Fresh: the services lock and re-read the row, so `task` is stale after each write.
    task_assign(task=_fresh(task), lead_unit=_unit("06184"), coordinating_units=[_unit("06190")])
    return _fresh(task)


@pytest.fixture
def cast(request: pytest.FixtureRequest) -> dict[str, Any]:
    return {who: request.getfixturevalue(who) for who in CAST}


def _fresh(task: Task) -> Task:
    return Task.objects.select_related("area", "lead_unit").get(pk=task.pk)


def _edit_data(task: Task, **changes: Any) -> dict[str, Any]:
    """What the edit form posts when opened on `task` now, with `changes` typed in."""
    data = {}
    for name, value in TaskEditForm.for_task(task).initial.items():
        if value is None:
            value = ""
        elif isinstance(value, datetime.date):
            value = _dmy(value)
        data[name] = value
    return data | changes


def _snapshot(task: Task) -> dict[str, Any]:
    """Everything an action on `task` could write."""
    task_type = ContentType.objects.get_for_model(Task)
    return {
        "task": Task.objects.filter(pk=task.pk).values().get(),
        "tasks": Task.objects.count(),
        "history": task.history.count(),
        "coordinating": sorted(task.coordinating_units.values_list("pk", flat=True)),
        "reports": list(ProgressReport.objects.filter(task=task).values()),
        "extensions": list(ExtensionRequest.objects.filter(task=task).values()),
        "occurrences": list(TaskOccurrence.objects.filter(task=task).values()),
        "rights": sorted(
            GroupObjectPermission.objects.filter(content_type=task_type, object_pk=str(task.pk)).values_list(
                "group_id", "permission_id"
            )
        ),
        "notifications": Notification.objects.count(),
    }


# --- Access matrix: every page and action × the cast ---------------------------------------


def _expected(who: str, allowed: frozenset[str], granted: int) -> int:
    if who in allowed:
        return granted
    return 404 if who == "outsider" else 403


# The pages with a GET, and who may open them.
GET_PAGES: dict[str, frozenset[str]] = {
    "task-list": EVERYONE,
    "task-statistics": EVERYONE,
    "task-create": MANAGERS,
    "task-detail": EVERYONE,
    "task-progress": LEAD_UNIT,
    "task-contribute": COORDINATING,
    "task-extension": LEAD_UNIT,
    "task-edit": MANAGERS,
    "task-assign": MANAGERS,
}


def _page_url(page: str, task: Task) -> str:
    if page == "task-list":
        return reverse(page)
    if page in ("task-statistics", "task-create"):
        return reverse(page, args=[task.area.plan_id])
    return reverse(page, args=[task.pk])


@pytest.mark.parametrize(
    ("page", "who"), [pytest.param(page, who, id=f"{page}-{who}") for page in GET_PAGES for who in CAST]
)
def test_get_access_matrix(cast, client_for, commune_task, page, who):
    response = client_for(cast[who]).get(_page_url(page, commune_task))
    assert response.status_code == _expected(who, GET_PAGES[page], 200)


@dataclass(frozen=True)
class Action:
    """A POST: who may, how to set the task up for it, what to post, and how to see it happened."""

    allowed: frozenset[str]
    prepare: Callable[[Task, dict[str, Any]], tuple[str, dict[str, Any]]]
    took_effect: Callable[[Task, dict[str, Any]], bool]


def _claimed(task: Task, cast: dict[str, Any]) -> Task:
    return task_claim_completion(task=task, user=cast["commune_head"], today=_today(), text="Đã xong.")


def _requested(task: Task, cast: dict[str, Any]) -> ExtensionRequest:
    return extension_request(
        task=task, user=cast["commune_head"], new_due_date=task.due_date + datetime.timedelta(30),
        reason="Chờ ý kiến của tỉnh.", today=_today(),
    )  # fmt: skip


def _recurring(task: Task, cast: dict[str, Any]) -> TaskOccurrence:
    task_update(
        task=task, expected_version=task.version, user=cast["secretariat"], recurrence="quarterly",
        recurrence_due_day=20,
    )  # fmt: skip
    return task.occurrences.order_by("number").first()


def _url(name: str, task: Task, **kwargs: int) -> str:
    return reverse(name, kwargs={"pk": task.pk, **kwargs})


ACTIONS: dict[str, Action] = {
    "task-progress": Action(
        LEAD_UNIT,
        lambda t, c: (
            _url("task-progress", t),
            {"status": "in_progress", "percent": 50, "text": "Đã rà soát 12 TTHC.", "version": t.version},
        ),
        lambda t, c: t.progress_percent == 50 and t.reports.filter(percent=50).exists(),
    ),  # fmt: skip
    "task-contribute": Action(
        COORDINATING,
        lambda t, c: (_url("task-contribute", t), {"unit": _unit("06190").pk, "text": "Đã góp ý dự thảo."}),
        lambda t, c: t.reports.filter(role=ReportRole.COORDINATING, unit__code="06190").exists(),
    ),
    "task-claim": Action(
        LEAD_HEAD,
        lambda t, c: (_url("task-claim", t), {"text": "Đã ban hành quyết định."}),
        lambda t, c: t.claimed_at is not None and t.status == ProgressStatus.COMPLETED,
    ),
    "task-confirm": Action(
        MANAGERS,
        lambda t, c: (_url("task-confirm", _claimed(t, c)), {}),
        lambda t, c: t.confirmed_at is not None,
    ),
    "task-return": Action(
        MANAGERS,
        lambda t, c: (_url("task-return", _claimed(t, c)), {"comment": "Thiếu quyết định kèm theo."}),
        lambda t, c: t.claimed_at is None and t.review_comment == "Thiếu quyết định kèm theo.",
    ),
    "task-cancel": Action(
        MANAGERS,
        lambda t, c: (_url("task-cancel", t), {"reason": "Trùng với nhiệm vụ 4.1."}),
        lambda t, c: t.cancelled_at is not None,
    ),
    "task-edit": Action(
        MANAGERS,
        lambda t, c: (_url("task-edit", t), _edit_data(t, title="Tên mới do Phòng Nội vụ sửa")),
        lambda t, c: t.title == "Tên mới do Phòng Nội vụ sửa",
    ),
    "task-assign": Action(
        MANAGERS,
        lambda t, c: (
            _url("task-assign", t),
            {"lead_unit": _unit("183-TP").pk, "coordinating_units": [_unit("06190").pk]},
        ),
        lambda t, c: t.lead_unit.code == "183-TP",
    ),  # fmt: skip
    "task-extension": Action(
        LEAD_UNIT,
        lambda t, c: (
            _url("task-extension", t),
            {"new_due_date": _dmy(t.due_date + datetime.timedelta(30)), "reason": "Chờ ý kiến của tỉnh."},
        ),
        lambda t, c: t.extensions.filter(state=ExtensionState.PENDING).exists(),
    ),  # fmt: skip
    "task-extension-decide": Action(
        MANAGERS,
        lambda t, c: (_url("task-extension-decide", t, extension_pk=_requested(t, c).pk), {"decision": "approve"}),
        lambda t, c: (
            t.extensions.filter(state=ExtensionState.APPROVED).exists()
            and t.due_date == _today() + datetime.timedelta(60)
        ),
    ),
    "task-occurrence-done": Action(
        LEAD_UNIT,
        lambda t, c: (_url("task-occurrence-done", t, occurrence_pk=_recurring(t, c).pk), {"done": "1"}),
        lambda t, c: t.occurrences.get(number=1).done_on == _today(),
    ),
    "task-create": Action(
        MANAGERS,
        lambda t, c: (
            reverse("task-create", args=[t.area.plan_id]),
            {
                "area": t.area_id,
                "text": "Rà soát quy chế một cửa.",
                "priority": "normal",
                "lead_unit": _unit("06184").pk,
            },
        ),
        lambda t, c: Task.objects.filter(text="Rà soát quy chế một cửa.", lead_unit__code="06184").exists(),
    ),  # fmt: skip
}


@pytest.mark.parametrize(
    ("action", "who"), [pytest.param(action, who, id=f"{action}-{who}") for action in ACTIONS for who in CAST]
)
def test_post_access_matrix(cast, client_for, commune_task, action, who):
    spec = ACTIONS[action]
    url, data = spec.prepare(_fresh(commune_task), cast)
    before = _snapshot(commune_task)
    response = client_for(cast[who]).post(url, data)
    assert response.status_code == _expected(who, spec.allowed, 302)
    if who in spec.allowed:
        assert spec.took_effect(_fresh(commune_task), cast)
    else:
        assert _snapshot(commune_task) == before


@pytest.mark.parametrize(
    "page",
    ["task-claim", "task-confirm", "task-return", "task-cancel", "task-extension-decide", "task-occurrence-done"],
)
def test_workflow_steps_refuse_a_get(client_for, secretariat, commune_task, page):
    kwargs = (
        {"extension_pk": 1} if page == "task-extension-decide" else {"occurrence_pk": 1} if "occurrence" in page else {}
    )
    before = _snapshot(commune_task)
    assert client_for(secretariat).get(_url(page, commune_task, **kwargs)).status_code == 405
    assert _snapshot(commune_task) == before


def test_marking_one_period_done_leaves_the_other_periods_buttons_working(client_for, cast, commune_task):
    """Two people of the lead unit have the page open; each marks a different period."""
    _recurring(commune_task, cast)
    page = _html(client_for(cast["commune_staff"]).get(reverse("task-detail", args=[commune_task.pk])))
    buttons = re.findall(rf'action="(/tasks/{commune_task.pk}/occurrences/\d+/done/)"', page)
    assert len(buttons) == 4
    assert client_for(cast["commune_head"]).post(buttons[0], {"done": "1"}).status_code == 302
    assert client_for(cast["commune_staff"]).post(buttons[1], {"done": "1"}).status_code == 302
    done = commune_task.occurrences.filter(done_on__isnull=False).values_list("number", flat=True)
    assert sorted(done) == [1, 2]


def test_an_extension_of_another_task_cannot_be_decided_through_this_one(client_for, cast, commune_task, seed_plan):
    other = Task.objects.get(area__plan=seed_plan, area__number=4, position=3)
    task_update(task=other, expected_version=other.version, user=cast["secretariat"], due_date=_today())
    task_assign(task=_fresh(other), lead_unit=_unit("06184"), coordinating_units=[])
    foreign = _requested(_fresh(other), cast)
    url = _url("task-extension-decide", commune_task, extension_pk=foreign.pk)
    assert client_for(cast["secretariat"]).post(url, {"decision": "approve"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.state == ExtensionState.PENDING


BUTTONS = {
    "progress": "task-progress",
    "extension": "task-extension",
    "contribute": "task-contribute",
    "claim": "task-claim",
    "edit": "task-edit",
    "assign": "task-assign",
    "cancel": "task-cancel",
}
ALL_BUTTONS = set(BUTTONS)


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("secretariat", ALL_BUTTONS),
        ("administrator", ALL_BUTTONS),
        ("commune_head", {"progress", "extension", "claim"}),
        ("commune_staff", {"progress", "extension"}),
        ("other_commune_head", {"contribute"}),
        ("office_head", set()),
        ("steering", set()),
    ],
)
def test_task_page_shows_only_the_actions_the_person_may_take(cast, client_for, commune_task, who, shown):
    page = _html(client_for(cast[who]).get(reverse("task-detail", args=[commune_task.pk])))
    assert {button for button, name in BUTTONS.items() if _url(name, commune_task) in page} == shown


def test_coordinating_unit_adds_only_its_own_contribution(client_for, other_commune_head, commune_task):
    task_assign(task=_fresh(commune_task), lead_unit=_unit("06184"),
                coordinating_units=[_unit("06190"), _unit("183-TP")])  # fmt: skip
    before = _snapshot(commune_task)
    response = client_for(other_commune_head).post(
        reverse("task-contribute", args=[commune_task.pk]), {"unit": _unit("183-TP").pk, "text": "Thay Phòng Tư pháp."}
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert _snapshot(commune_task) == before
    # Their own unit is the only one offered.
    assert list(response.context["form"].fields["unit"].queryset) == [_unit("06190")]


def test_a_unit_gaining_the_lead_gains_the_rights_and_the_old_lead_loses_them(
    client_for, secretariat, commune_head, office_head, commune_task
):
    response = client_for(secretariat).post(
        reverse("task-assign", args=[commune_task.pk]),
        {"lead_unit": _unit("183-TP").pk, "coordinating_units": [_unit("06184").pk]},
        follow=True,
    )
    assert "Đã phân công nhiệm vụ." in _messages(response)
    progress = reverse("task-progress", args=[commune_task.pk])
    assert client_for(office_head).get(progress).status_code == 200
    assert client_for(commune_head).get(progress).status_code == 403
    # Now coordinating, the commune adds its contribution instead.
    assert client_for(commune_head).get(reverse("task-contribute", args=[commune_task.pk])).status_code == 200


# --- Workflow through the pages -----------------------------------------------------------


def test_progress_report_with_evidence_shows_on_the_task_page_with_its_history(
    client_for, commune_staff, commune_task, media_root
):
    response = client_for(commune_staff).post(
        reverse("task-progress", args=[commune_task.pk]),
        {"status": "in_progress", "percent": 50, "text": "Đã rà soát 12 thủ tục.", "version": commune_task.version,
         "files": [_pdf("Báo cáo Quý III.pdf")]},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain == [(reverse("task-detail", args=[commune_task.pk]), 302)]
    assert _messages(response) == ["Đã cập nhật tiến độ nhiệm vụ."]
    page = _html(response)
    assert 'class="state state-in_progress">Đang thực hiện<' in page
    assert "Đã rà soát 12 thủ tục." in page
    evidence = ProgressReport.objects.get(task=commune_task, percent=50).evidence.get()
    assert f'<a href="{reverse("evidence-download", args=[evidence.pk])}">Báo cáo Quý III.pdf</a>' in page
    assert (media_root / evidence.file.name).read_bytes().startswith(b"%PDF-")
    newest = response.context["page"].history[0]
    assert newest.who == "Lăng Thị Thu"
    assert ("tiến độ (%)", 0, 50) in [(c.label, c.before, c.after) for c in newest.changes]


def test_claim_confirm_and_the_state_on_the_page(client_for, commune_head, secretariat, commune_task):
    claimed = client_for(commune_head).post(
        reverse("task-claim", args=[commune_task.pk]), {"text": "Xong."}, follow=True
    )
    assert _messages(claimed) == ["Đã báo hoàn thành; chờ Phòng Nội vụ xác nhận."]
    assert 'class="state state-awaiting"' in _html(claimed)
    confirmed = client_for(secretariat).post(reverse("task-confirm", args=[commune_task.pk]), follow=True)
    assert _messages(confirmed) == ["Đã xác nhận nhiệm vụ hoàn thành."]
    # Completed today, due in 30 days.
    assert 'class="state state-on_time">Hoàn thành đúng hạn<' in _html(confirmed)
    history = confirmed.context["page"].history
    assert [entry.who for entry in history[:2]] == ["Hoàng Thị Lan (Thường trực CCHC)", "Hoàng Văn Tùng"]


def test_return_sends_the_task_back_with_the_reason(client_for, cast, commune_task):
    _claimed(commune_task, cast)
    response = client_for(cast["secretariat"]).post(
        reverse("task-return", args=[commune_task.pk]), {"comment": "Thiếu quyết định."}, follow=True
    )
    assert _messages(response) == ["Đã trả lại để đơn vị bổ sung."]
    task = _fresh(commune_task)
    assert (task.claimed_at, task.completed_on, task.progress_percent) == (None, None, 99)
    assert "Thiếu quyết định." in _html(response)
    # The lead unit may report again.
    assert "Cập nhật tiến độ" in _html(client_for(cast["commune_head"]).get(reverse("task-detail", args=[task.pk])))


def test_page_shows_contributions_extensions_and_occurrences(client_for, cast, steering, commune_task):
    task_contribute(task=commune_task, unit=_unit("06190"), user=cast["other_commune_head"],
                    text="Bảo Lâm đã góp ý.", files=[_pdf("gop-y.pdf")])  # fmt: skip
    extension = _requested(_fresh(commune_task), cast)
    extension_decide(request=extension, user=cast["secretariat"], approve=False, note="Không có căn cứ.",
                     today=_today())  # fmt: skip
    _recurring(_fresh(commune_task), cast)
    page = _html(client_for(steering).get(reverse("task-detail", args=[commune_task.pk])))
    assert "Bảo Lâm đã góp ý." in page and ">gop-y.pdf</a>" in page and "Đơn vị phối hợp" in page
    assert "Chờ ý kiến của tỉnh." in page and "Không đồng ý: Không có căn cứ." in page
    assert all(f"Quý {q}/2024" in page for q in ("I", "II", "III", "IV"))


def test_history_names_who_changed_what_with_dates_as_dd_mm_yyyy(client_for, secretariat, commune_task):
    old_due = commune_task.due_date
    new_due = old_due + datetime.timedelta(days=10)
    response = client_for(secretariat).post(
        reverse("task-edit", args=[commune_task.pk]), _edit_data(commune_task, due_date=_dmy(new_due)), follow=True
    )
    assert _messages(response) == ["Đã lưu nhiệm vụ."]
    newest = response.context["page"].history[0]
    assert newest.who == "Hoàng Thị Lan (Thường trực CCHC)"
    assert [(c.label, c.before, c.after) for c in newest.changes] == [("hạn hoàn thành", _dmy(old_due), _dmy(new_due))]
    assert f"hạn hoàn thành: <del>{_dmy(old_due)}</del> → {_dmy(new_due)}" in _html(response)


# --- Bad input: a Vietnamese message, the form again, nothing saved ------------------------


def test_due_date_before_start_date_is_refused(client_for, secretariat, commune_task):
    before = _snapshot(commune_task)
    data = _edit_data(commune_task, start_date="10/05/2024", due_date="01/05/2024")
    response = client_for(secretariat).post(reverse("task-edit", args=[commune_task.pk]), data)
    assert response.status_code == 200
    assert "Hạn hoàn thành không được trước ngày bắt đầu." in _errors(response)
    assert 'value="10/05/2024"' in _html(response)
    assert _snapshot(commune_task) == before


def test_recurrence_on_a_task_starting_mid_year_is_saved_without_the_earlier_periods(
    client_for, secretariat, commune_task
):
    data = _edit_data(commune_task, start_date="01/05/2024", recurrence="quarterly", recurrence_due_day=20)
    response = client_for(secretariat).post(reverse("task-edit", args=[commune_task.pk]), data)
    assert response.status_code == 302
    task = _fresh(commune_task)
    assert list(task.occurrences.values_list("label", flat=True)) == ["Quý II/2024", "Quý III/2024", "Quý IV/2024"]
    assert task.due_date == datetime.date(2024, 6, 20)


def test_extension_to_a_past_date_is_refused(client_for, commune_head, commune_task):
    before = _snapshot(commune_task)
    yesterday = _today() - datetime.timedelta(days=1)
    response = client_for(commune_head).post(
        reverse("task-extension", args=[commune_task.pk]), {"new_due_date": _dmy(yesterday), "reason": "Chậm."}
    )
    assert response.status_code == 200
    assert "Hạn mới phải sau ngày hôm nay." in _errors(response)
    assert _snapshot(commune_task) == before


@pytest.mark.parametrize(
    ("percent", "message"),
    [
        (150, "Tiến độ tối đa 99%; đã xong thì dùng nút “Báo hoàn thành”."),
        (100, "Tiến độ tối đa 99%; đã xong thì dùng nút “Báo hoàn thành”."),
        (-5, "Tiến độ không được nhỏ hơn 0%."),
    ],
)
def test_progress_outside_0_to_99_is_refused(client_for, commune_head, commune_task, percent, message):
    before = _snapshot(commune_task)
    response = client_for(commune_head).post(
        reverse("task-progress", args=[commune_task.pk]),
        {"status": "in_progress", "percent": percent, "text": "Đã làm xong.", "version": commune_task.version},
    )
    assert response.status_code == 200
    assert _errors(response) == [message]
    assert "Đã làm xong." in _html(response)  # what was typed is kept
    assert _snapshot(commune_task) == before


@pytest.mark.parametrize("typed", ["50,5", "50.5"])
def test_progress_with_a_decimal_part_is_refused_not_read_as_505(client_for, commune_head, commune_task, typed):
    # "50,5" was saved as 505: progress is a whole percent, and a fraction is refused rather than re-read.
    before = _snapshot(commune_task)
    response = client_for(commune_head).post(
        reverse("task-progress", args=[commune_task.pk]),
        {"status": "in_progress", "percent": typed, "text": "Đã làm một nửa.", "version": commune_task.version},
    )
    assert response.status_code == 200
    assert _errors(response) == [f"Tiến độ ghi bằng số nguyên phần trăm, ví dụ 50 (đã nhập “{typed}”)."]
    assert f'value="{typed}"' in _html(response)
    assert _snapshot(commune_task) == before


def test_the_progress_box_is_a_text_box_with_a_keypad_of_digits(client_for, commune_head, commune_task):
    # A browser's <input type=number> localizes what is typed in its own way.
    html = _html(client_for(commune_head).get(reverse("task-progress", args=[commune_task.pk])))
    assert re.search(r'<input type="text" name="percent" value="\d+" inputmode="numeric"', html)
    assert 'type="number"' not in html


def test_a_recurrence_due_day_with_a_decimal_part_is_refused(client_for, secretariat, commune_task):
    data = _edit_data(commune_task, recurrence="quarterly", recurrence_due_day="20,5")
    response = client_for(secretariat).post(reverse("task-edit", args=[commune_task.pk]), data)
    assert response.status_code == 200
    assert "Chỉ nhận số nguyên, không có phần thập phân (đã nhập “20,5”)." in _errors(response)


BAD_FILES = {
    "too-big": (lambda: _pdf("bao-cao.pdf", size=1024 * 1024 + 100), "quá lớn (1,0 MB); tối đa 1 MB."),
    "exe": (
        lambda: SimpleUploadedFile("bao-cao.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        "Tệp “bao-cao.exe” không đúng định dạng cho phép (pdf, docx, xlsx, jpg, jpeg, png).",
    ),
    "fake-pdf": (
        lambda: SimpleUploadedFile("bao-cao.pdf", b"<html>not a pdf</html>", content_type="application/pdf"),
        "Nội dung tệp “bao-cao.pdf” không phải là tệp PDF hợp lệ.",
    ),
}


@pytest.mark.parametrize("bad", BAD_FILES)
@pytest.mark.parametrize(
    ("page", "who", "data"),
    [
        ("task-progress", "commune_head", {"status": "in_progress", "percent": 40, "text": "Đã rà soát."}),
        ("task-contribute", "other_commune_head", {"text": "Đã góp ý."}),
    ],
)
def test_bad_evidence_is_refused_and_nothing_is_stored(
    cast, client_for, commune_task, settings, media_root, page, who, data, bad
):
    settings.PARPLAN_MAX_UPLOAD_MB = 1
    make, message = BAD_FILES[bad]
    data = data | {"version": commune_task.version, "unit": _unit("06190").pk, "files": [make()]}
    before = _snapshot(commune_task)
    response = client_for(cast[who]).post(reverse(page, args=[commune_task.pk]), data)
    assert response.status_code == 200
    [error] = _errors(response)
    assert error.endswith(message)
    assert _snapshot(commune_task) == before
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


@pytest.mark.parametrize("closing", ["cancel", "confirm"])
def test_a_closed_task_cannot_be_edited_or_reported_on(cast, client_for, commune_task, closing):
    if closing == "cancel":
        task_cancel(task=commune_task, user=cast["secretariat"], reason="Trùng nhiệm vụ.")
    else:
        _claimed(commune_task, cast)
        task_confirm_completion(task=_fresh(commune_task), user=cast["secretariat"], today=_today())
    task = _fresh(commune_task)
    before = _snapshot(task)
    edit = client_for(cast["secretariat"]).post(
        reverse("task-edit", args=[task.pk]), _edit_data(task, title="Sửa sau khi đóng"), follow=True
    )
    assert _messages(edit) == ["Nhiệm vụ đã hủy hoặc đã xác nhận hoàn thành, không sửa được."]
    progress = client_for(cast["commune_head"]).post(
        reverse("task-progress", args=[task.pk]),
        {"status": "in_progress", "percent": 10, "text": "Bổ sung.", "version": task.version},
    )
    assert progress.status_code == 200
    closed = "Nhiệm vụ đã bị hủy" if closing == "cancel" else "Nhiệm vụ đã được xác nhận hoàn thành"
    assert f"{closed}, không thể thay đổi." in _html(progress)
    assert _snapshot(task) == before


# --- Two people editing the same task --------------------------------------------------------


@pytest.fixture
def second_secretariat(db: Any) -> Any:
    user = get_user_model().objects.create_user("noivu2", password="x", first_name="Vy Thị Hồng")
    membership_add(user=user, unit=_unit("183-NV"), role=Role.SECRETARIAT)
    return user


def test_a_stale_edit_is_a_conflict_that_saves_nothing(client_for, secretariat, second_secretariat, commune_task):
    url = reverse("task-edit", args=[commune_task.pk])
    first, second = client_for(secretariat), client_for(second_secretariat)
    opened = first.get(url).context["form"]
    typed_by_first = {name: opened[name].value() for name in opened.fields} | {"title": "Tên do A sửa"}
    typed_by_first = {k: ("" if v is None else _dmy(v) if isinstance(v, datetime.date) else v)
                      for k, v in typed_by_first.items()}  # fmt: skip

    assert second.post(url, _edit_data(_fresh(commune_task), title="Tên do B sửa")).status_code == 302
    before = _snapshot(commune_task)

    response = first.post(url, typed_by_first)
    assert response.status_code == 200
    [message] = _messages(response)
    assert message.startswith("Nhiệm vụ vừa được Vy Thị Hồng cập nhật lúc ")
    assert "Thay đổi của bạn CHƯA được lưu" in message
    # Each change: the label, the value A saw, the value stored now, A's value, who changed it and when.
    cells = r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)<br>"
    when = r'<small class="muted">(\d\d/\d\d/\d{4} \d\d:\d\d)</small></td></tr>'
    rows = re.findall(cells + when, _html(response))
    seen = opened["title"].value()
    assert [row[:5] for row in rows] == [("Tên nhiệm vụ", seen, "Tên do B sửa", "Tên do A sửa", "Vy Thị Hồng")]
    assert message.endswith(rows[0][5] + ". Thay đổi của bạn CHƯA được lưu; "
                            "hãy xem phần khác biệt bên dưới rồi lưu lại nếu vẫn muốn.")  # fmt: skip
    assert _snapshot(commune_task) == before
    assert _fresh(commune_task).title == "Tên do B sửa"

    # Having seen the difference, A saves again on purpose: now it goes through.
    again = response.context["form"].data
    assert first.post(url, again).status_code == 302
    assert _fresh(commune_task).title == "Tên do A sửa"


# --- Lists, filters, sorting, pagination -------------------------------------------------------


def _task_list(client: Client, params: dict[str, Any] | None = None) -> Any:
    """The task list of the 2024 plan, whose tasks these tests act on (without ?plan= it opens this year's)."""
    seed = Plan.objects.get(issuing_unit__code="183", year=2024)
    return client.get(reverse("task-list"), {"plan": seed.pk} | (params or {}))


def _listed(client: Client, **params: Any) -> list[int]:
    """The tasks shown, page after page, in the order shown."""
    shown: list[int] = []
    for number in range(1, 20):
        response = _task_list(client, params | {"page": number})
        assert response.status_code == 200
        body = _html(response).split("<tbody>", 1)[1]
        rows = [int(pk) for pk in re.findall(r'<td><a href="/tasks/(\d+)/">', body)]
        assert len(rows) <= PAGE_SIZE
        shown += rows
        if not response.context["page"].has_next():
            return shown
    raise AssertionError("more pages than expected")


def _seed_tasks(plan: Plan) -> list[Task]:
    tasks = Task.objects.filter(area__plan=plan).select_related("area", "lead_unit")
    return sorted(tasks.prefetch_related("coordinating_units"), key=lambda t: (t.area.number, t.position))


def _involves(task: Task, code: str) -> bool:
    return task.lead_unit.code == code or code in {u.code for u in task.coordinating_units.all()}


@pytest.mark.parametrize(
    ("who", "unit"),
    [("commune_head", "06184"), ("commune_staff", "06184"), ("other_commune_head", "06190"), ("office_head", "183-TP")],
)
def test_unit_people_list_only_their_units_tasks(cast, client_for, seed_plan, who, unit):
    expected = [t.pk for t in _seed_tasks(seed_plan) if _involves(t, unit)]
    assert 0 < len(expected) < SEED_TASKS
    client = client_for(cast[who])
    assert _listed(client) == expected
    assert "Nhiệm vụ của đơn vị tôi" in _html(_task_list(client))


@pytest.mark.parametrize("who", ["secretariat", "steering", "administrator"])
def test_secretariat_and_steering_list_all_37_tasks(cast, client_for, seed_plan, who):
    client = client_for(cast[who])
    assert _listed(client) == [t.pk for t in _seed_tasks(seed_plan)]
    assert len(_listed(client)) == SEED_TASKS
    assert f'Tất cả nhiệm vụ <small class="muted">({SEED_TASKS})</small>' in _html(_task_list(client))


def test_list_pages_by_25(client_for, secretariat, seed_plan):
    client = client_for(secretariat)
    first, second = _task_list(client), _task_list(client, {"page": 2})
    assert [len(r.context["page"].object_list) for r in (first, second)] == [PAGE_SIZE, SEED_TASKS - PAGE_SIZE]
    assert "Trang 1/2" in _html(first) and "Trang 2/2" in _html(second)
    # A page past the end shows the last one.
    assert _task_list(client, {"page": 9}).context["page"].number == 2
    # The pager keeps the filters.
    filtered = _task_list(client, {"sort": "due", "plan": seed_plan.pk})
    # (in the order the request gave them: the helper names the plan first)
    assert f'href="?plan={seed_plan.pk}&amp;sort=due&amp;page=2"' in _html(filtered)


FILTERS: list[tuple[str, dict[str, Any], Callable[[Task, datetime.date], bool]]] = [
    ("area", {"area": 3}, lambda t, today: t.area.number == 3),
    ("unit-leads-or-coordinates", {"unit": "183-TP"}, lambda t, today: _involves(t, "183-TP")),
    ("unit-coordinates", {"unit": "183-TTVHTTTT"}, lambda t, today: _involves(t, "183-TTVHTTTT")),
    ("state-overdue", {"state": "overdue"}, lambda t, today: t.state_on(today) == TaskState.OVERDUE),
    ("state-on-time", {"state": "on_time"}, lambda t, today: t.state_on(today) == TaskState.COMPLETED_ON_TIME),
    ("state-late", {"state": "late"}, lambda t, today: t.state_on(today) == TaskState.COMPLETED_LATE),
    ("state-paused", {"state": "paused"}, lambda t, today: t.state_on(today) == TaskState.PAUSED),
    ("state-in-progress", {"state": "in_progress"}, lambda t, today: t.state_on(today) == TaskState.IN_PROGRESS),
    ("state-not-started", {"state": "not_started"}, lambda t, today: t.state_on(today) == TaskState.NOT_STARTED),
    ("overdue", {"overdue": "on"}, lambda t, today: t.due_date is not None and t.due_date < today
     and t.confirmed_at is None and t.claimed_at is None and t.cancelled_at is None),
    ("due-before", {"due_before": "01/07/2024"}, lambda t, today: t.due_date is not None
     and t.due_date < datetime.date(2024, 7, 1)),
    ("area-and-overdue", {"area": 3, "overdue": "on"}, lambda t, today: t.area.number == 3
     and t.state_on(today) == TaskState.OVERDUE),
]  # fmt: skip


@pytest.mark.parametrize(("params", "keep"), [pytest.param(p, k, id=name) for name, p, k in FILTERS])
def test_list_filters_give_the_matching_tasks(client_for, secretariat, seed_plan, params, keep):
    today = _today()
    expected = [t.pk for t in _seed_tasks(seed_plan) if keep(t, today)]
    assert 0 < len(expected) < SEED_TASKS  # a filter that keeps all or nothing proves nothing
    if "unit" in params:
        params = params | {"unit": _unit(params["unit"]).pk}
    assert _listed(client_for(secretariat), **params) == expected


def test_an_unknown_unit_in_the_filter_is_an_error_not_someone_elses_tasks(client_for, commune_head, seed_plan):
    response = _task_list(client_for(commune_head), {"unit": _unit("183-TP").pk})
    assert response.context["form"].errors["unit"]
    mine = [t.pk for t in _seed_tasks(seed_plan) if _involves(t, "06184")]
    assert _listed(client_for(commune_head), unit=_unit("183-TP").pk) == mine


def _nulls_last(day: datetime.date | None, descending: bool = False) -> tuple[bool, int]:
    if day is None:
        return (True, 0)
    return (False, -day.toordinal() if descending else day.toordinal())


SORTS: dict[str, Callable[[Task], tuple[Any, ...]]] = {
    "number": lambda t: (t.area.number, t.position),
    "due": lambda t: (*_nulls_last(t.due_date), t.area.number, t.position),
    "-due": lambda t: (*_nulls_last(t.due_date, descending=True), t.area.number, t.position),
    "progress": lambda t: (t.progress_percent, t.area.number, t.position),
}


@pytest.mark.parametrize("sort", SORTS)
def test_list_sorting(client_for, secretariat, seed_plan, sort):
    expected = [t.pk for t in sorted(_seed_tasks(seed_plan), key=SORTS[sort])]
    assert _listed(client_for(secretariat), sort=sort) == expected


def test_sorting_by_lead_unit_groups_the_units_in_name_order(client_for, secretariat, seed_plan):
    tasks = {t.pk: t for t in _seed_tasks(seed_plan)}
    shown = [tasks[pk] for pk in _listed(client_for(secretariat), sort="unit")]
    # The database's collation orders the names; ask it independently.
    names = list(Unit.objects.filter(led_tasks__in=tasks.values()).distinct().order_by("name").values_list("pk"))
    expected = sorted(tasks.values(), key=lambda t: (names.index((t.lead_unit_id,)), t.area.number, t.position))
    assert [t.pk for t in shown] == [t.pk for t in expected]


# --- Excel export ------------------------------------------------------------------------------


XLSX_HEADERS = [
    "Số TT", "Lĩnh vực", "Nhiệm vụ", "Đơn vị chủ trì", "Số đơn vị phối hợp", "Ngày bắt đầu", "Hạn hoàn thành",
    "Tình trạng", "Tiến độ (%)", "Ngày hoàn thành", "Ngày xác nhận",
]  # fmt: skip


def _workbook(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="nhiem-vu-2024.xlsx"'
    return load_workbook(io.BytesIO(response.content))


def test_excel_export_holds_the_filtered_list(client_for, steering, seed_plan):
    today = _today()
    response = _task_list(client_for(steering), {"area": 3, "sort": "due", "format": "xlsx"})
    book = _workbook(response)
    assert book.sheetnames == ["Nhiệm vụ"]
    sheet = book["Nhiệm vụ"]
    assert [cell.value for cell in sheet[3]] == XLSX_HEADERS
    assert sheet.freeze_panes == "A4"
    expected = sorted((t for t in _seed_tasks(seed_plan) if t.area.number == 3), key=SORTS["due"])
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert [row[0] for row in rows] == [f"{t.area.number}.{t.position}" for t in expected]
    states = dict(TaskState.choices)
    for row, task in zip(rows, expected, strict=True):
        assert row[2:5] == (task.title, task.lead_unit.name, task.coordinating_units.count())
        assert row[6] == (datetime.datetime.combine(task.due_date, datetime.time()) if task.due_date else None)
        assert (row[7], row[8]) == (states[task.state_on(today)], task.progress_percent)
    dated = [cell for row in sheet.iter_rows(min_row=4) for cell in row if isinstance(cell.value, datetime.datetime)]
    assert len(dated) >= 2  # 3.2 and 3.3 are dated
    assert {cell.number_format for cell in dated} == {"DD/MM/YYYY"}
    fonts = {cell.font.name for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert fonts == {"Times New Roman"}


def test_excel_export_is_not_paged_and_shows_only_what_the_person_may_list(client_for, secretariat, commune_head):
    everything = _workbook(_task_list(client_for(secretariat), {"format": "xlsx"}))["Nhiệm vụ"]
    assert everything.max_row - 3 == SEED_TASKS
    mine = _workbook(_task_list(client_for(commune_head), {"format": "xlsx"}))["Nhiệm vụ"]
    assert mine.max_row - 3 == len(_listed(client_for(commune_head)))


def test_the_list_links_to_the_export_of_the_same_filters(client_for, secretariat, seed_plan):
    page = _html(_task_list(client_for(secretariat), {"plan": seed_plan.pk, "area": 3}))
    assert f'href="?plan={seed_plan.pk}&amp;area=3&amp;format=xlsx"' in page


# --- Statistics per unit -----------------------------------------------------------------------


def test_statistics_count_each_lead_units_tasks_by_state(client_for, cast, steering, seed_plan):
    # Add the states the seed lacks: one awaiting confirmation, one cancelled (not counted).
    awaiting = Task.objects.get(area__plan=seed_plan, area__number=2, position=4)
    task_claim_completion(task=awaiting, user=cast["office_head"], today=_today(), text="Đã hoàn thành.")
    cancelled = Task.objects.get(area__plan=seed_plan, area__number=2, position=1)
    task_cancel(task=cancelled, user=cast["secretariat"], reason="Gộp vào 2.2.")

    today = _today()
    columns = {TaskState.COMPLETED_ON_TIME: 1, TaskState.COMPLETED_LATE: 2, TaskState.OVERDUE: 3,
               TaskState.IN_PROGRESS: 4, TaskState.PAUSED: 4, TaskState.AWAITING_CONFIRMATION: 5}  # fmt: skip
    expected: dict[str, list[int]] = defaultdict(lambda: [0] * 6)
    for task in _seed_tasks(seed_plan):
        if task.cancelled_at is None:
            row = expected[task.lead_unit.code]
            row[0] += 1
            if task.state_on(today) in columns:
                row[columns[task.state_on(today)]] += 1
    assert expected["183-TP"][0] == 5 and expected["183-TP"][5] == 1

    response = client_for(steering).get(reverse("task-statistics", args=[seed_plan.pk]))
    assert response.status_code == 200
    shown = {
        code: [int(n) for n in numbers]
        for code, *numbers in re.findall(
            r'<tr><td><a href="/units/([^/]+)/">[^<]*</a></td>\s*<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>'
            r"<td>(?:<strong class=\"error\">)?(\d+)(?:</strong>)?</td><td>(\d+)</td><td>(\d+)</td></tr>",
            _html(response),
        )
    }
    assert shown == dict(expected)


# --- Notifications -------------------------------------------------------------------------------


def _header_count(response: Any) -> int:
    found = re.search(r'<span class="count" aria-label="chưa đọc">(\d+)</span>', _html(response))
    return int(found.group(1)) if found else 0


def test_header_counts_unread_notices_and_the_page_marks_them_read(client_for, secretariat, commune_head, seed_plan):
    # 1.2 is led by Phòng Văn hóa và Thông tin; the commune had no part in it yet.
    task = Task.objects.get(area__plan=seed_plan, area__number=1, position=2)
    client_for(secretariat).post(
        reverse("task-assign", args=[task.pk]), {"lead_unit": _unit("06184").pk, "coordinating_units": []}
    )
    unread = Notification.objects.filter(recipient=commune_head, read_at__isnull=True)
    assert unread.filter(kind="assigned", url=reverse("task-detail", args=[task.pk])).exists()
    client = client_for(commune_head)
    assert _header_count(_task_list(client)) == unread.count() > 0

    others_unread = Notification.objects.filter(recipient=secretariat, read_at__isnull=True).count()
    page = client.get(reverse("notifications"))
    assert f'<a href="/tasks/{task.pk}/">Đơn vị được giao nhiệm vụ 1.2' in _html(page)
    assert "chưa đọc" in _html(page)
    assert unread.exists()  # reading the list is not marking it read

    marked = client.post(reverse("notifications"), follow=True)
    assert marked.redirect_chain == [(reverse("notifications"), 302)]
    assert not unread.exists()
    assert _header_count(marked) == 0
    # Only the person's own notices are marked.
    assert Notification.objects.filter(recipient=secretariat, read_at__isnull=True).count() == others_unread > 0


# --- Query budgets: the count must not grow with the data ------------------------------------------


def _grow(plan: Plan, task: Task, cast: dict[str, Any], *, count: int) -> None:
    """`count` more tasks led by the commune, each coordinated by six units and with a report and its
    evidence; on `task`, count // 4 (at least one) each of: reports with evidence, contributions with
    evidence, edits, decided extensions; and a monthly recurrence with three more periods done."""
    secretariat, head = cast["secretariat"], cast["commune_head"]
    coordinating = list(Unit.objects.filter(code__in=["183-TP", "183-VP", "183-NV", "183-TCKH", "06190", "06193"]))
    areas = list(plan.areas.order_by("number"))
    for i in range(count):
        added = task_create(
            area=areas[i % len(areas)], text=f"Nhiệm vụ bổ sung số {i + 1}.", user=secretariat,
            lead_unit=task.lead_unit, coordinating_units=coordinating, due_date=datetime.date(2024, 12, 31),
        )  # fmt: skip
        task_report_progress(task=added, user=head, status=ProgressStatus.IN_PROGRESS, percent=i % 99,
                             text=f"Báo cáo {i + 1}.", files=[_pdf(f"bc-{i}.pdf")])  # fmt: skip
    task_assign(task=_fresh(task), lead_unit=task.lead_unit, coordinating_units=coordinating)
    for i in range(max(count // 4, 1)):
        task_report_progress(task=_fresh(task), user=head, status=ProgressStatus.IN_PROGRESS, percent=i % 99,
                             text=f"Lần {i + 1}.", files=[_pdf(f"lan-{i}.pdf"), _pdf(f"phu-luc-{i}.pdf")])  # fmt: skip
        task_contribute(task=_fresh(task), unit=coordinating[i % len(coordinating)], user=secretariat,
                        text=f"Phối hợp {i + 1}.", files=[_pdf(f"ph-{i}.pdf")])  # fmt: skip
        current = _fresh(task)
        task_update(task=current, expected_version=current.version, user=secretariat, expected_output=f"Sản phẩm {i}")
        later = max(_fresh(task).due_date, _today()) + datetime.timedelta(days=1)
        extension = extension_request(task=_fresh(task), user=head, reason=f"Lý do {i}.", today=_today(),
                                      new_due_date=later)  # fmt: skip
        extension_decide(request=extension, user=secretariat, approve=i % 2 == 0, note="Đã xem xét.", today=_today())
    current = _fresh(task)
    task_update(task=current, expected_version=current.version, user=secretariat, recurrence="monthly",
                recurrence_due_day=25)  # fmt: skip
    for _ in range(3):
        # Re-read each time: marking a period re-creates the open ones.
        occurrence = task.occurrences.filter(done_on__isnull=True).order_by("number").first()
        occurrence_mark_done(occurrence=occurrence, user=head, today=_today())


def _sizes(plan: Plan, task: Task) -> tuple[int, ...]:
    return (Task.objects.filter(area__plan=plan).count(), task.reports.count(), task.extensions.count(),
            task.occurrences.filter(done_on__isnull=False).count(), task.history.count())  # fmt: skip


# Both sizes hold one of everything (a prefetch of nothing is skipped, and would make the small
# page look cheaper); the large one adds 40 tasks and ten times the reports, extensions and edits.
#
# The task list for a unit's person, 12 queries:
#  1 session, 2 user, 3 the person's secretariat and committee memberships (none: no role rights
#  to read), 4 the plan (newest active visible), 5 the person's units (for the filter's choices),
#  6 the plan's areas (filter choices), 7 the person's units again (task_list's "my units"),
#  8 COUNT for the paginator, 9 header memberships, 10 header unread count,
#  11 the unit choices rendered, 12 the page of tasks (area, lead unit, coordinating count, state).
# The secretariat's list reads its role groups' rights (one more) and skips the person's units
# (5, 7): 11.
@pytest.mark.parametrize(("who", "queries"), [("commune_head", 12), ("secretariat", 11)])
def test_task_list_query_budget(cast, client_for, seed_plan, commune_task, django_assert_num_queries, who, queries):
    client = client_for(cast[who])
    url = reverse("task-list") + f"?plan={seed_plan.pk}"
    _grow(seed_plan, commune_task, cast, count=4)
    assert client.get(url).status_code == 200  # warm the ContentType cache
    small_size = _sizes(seed_plan, commune_task)
    with django_assert_num_queries(queries):
        small = client.get(url)
    _grow(seed_plan, commune_task, cast, count=40)
    assert _sizes(seed_plan, commune_task)[0] == small_size[0] + 40
    with django_assert_num_queries(queries):
        large = client.get(url)
    assert len(small.context["page"].object_list) == len(large.context["page"].object_list) == PAGE_SIZE
    assert large.context["page"].paginator.count == small.context["page"].paginator.count + 40


# The task page for the lead unit's head, 24 queries:
#  1 session, 2 user, 3 the person's secretariat and committee memberships (none: no role
#  rights), 4 the task (area, plan, issuer, lead unit; EXISTS membership in the issuer's tree);
#  which actions the person may take, each object right checked by guardian with 2 queries
#  (user, groups): 5-6 `change_task`, 7-8 `contribute_task` (not held: the person's units are
#  not read); the page's data: 9 reports (unit, author), 10 their evidence, 11 extensions
#  (requested_by, decided_by), 12 occurrences, 13 coordinating units (kind), 14 history records
#  (history_user), 15 the lead units the history names; 16-17 `report_progress`, 18-19
#  `claim_completion`, 20-21 `change_task` again (buttons), 22 the pending-extension check,
#  23 header memberships, 24 header unread count.
# The secretariat holds every right over the plan by role (no guardian queries, no units of
# their own), 16: 1-2 as above, 3-4 its memberships and its role groups' rights, 5 the task,
# 6 coordinating units (all may be contributed for), 7-13 the page's data as 9-15 above,
# 14 the pending-extension check, 15-16 the header.
@pytest.mark.parametrize(("who", "queries"), [("commune_head", 24), ("secretariat", 16)])
def test_task_page_query_budget(cast, client_for, seed_plan, commune_task, django_assert_num_queries, who, queries):
    client = client_for(cast[who])
    url = reverse("task-detail", args=[commune_task.pk])
    _grow(seed_plan, commune_task, cast, count=4)
    assert client.get(url).status_code == 200  # warm the ContentType cache
    small_size = _sizes(seed_plan, commune_task)
    with django_assert_num_queries(queries):
        small = client.get(url)
    _grow(seed_plan, commune_task, cast, count=40)
    large_size = _sizes(seed_plan, commune_task)
    assert all(large > small for large, small in zip(large_size, small_size, strict=True))
    with django_assert_num_queries(queries):
        large = client.get(url)
    assert len(large.context["page"].reports) > len(small.context["page"].reports) > 0
    assert len(large.context["page"].history) > len(small.context["page"].history) > 0
    assert len(large.content) > len(small.content)


def test_a_task_title_that_looks_like_a_formula_is_exported_as_text(client_for, secretariat, seed_plan):
    from tasks.services import task_update

    task = Task.objects.get(area__plan=seed_plan, area__number=3, position=1)
    title = '=HYPERLINK("http://example.invalid","Mở")'
    task_update(task=task, expected_version=task.version, user=secretariat, title=title)
    response = _task_list(client_for(secretariat), {"area": 3, "format": "xlsx"})
    cells = [cell for row in _workbook(response)["Nhiệm vụ"].iter_rows(min_row=4) for cell in row]
    exported = next(cell for cell in cells if cell.value == title)
    assert exported.data_type == "s"
    assert not [cell for cell in cells if cell.data_type == "f"]
