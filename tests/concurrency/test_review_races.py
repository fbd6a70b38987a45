"""Contradictory decisions sent at once: exactly one is recorded, the others are told who came first.

Each call runs in its own thread with its own connection (tests/concurrency/conftest.py).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from targets.models import Measurement, MeasurementStatus
from targets.services import measurement_approve, measurement_return, measurement_save
from tasks.models import ExtensionRequest, ExtensionState, Task
from tasks.services import (
    extension_decide,
    extension_request,
    task_claim_completion,
    task_confirm_completion,
    task_return_completion,
)
from tests.concurrency.conftest import TODAY, District, at_once, ratio

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

N = 20


@pytest.fixture(autouse=True)
def _no_evaluation(monkeypatch: pytest.MonkeyPatch) -> None:
    # An approval marks the indicator for the evaluation sweep; that has nothing to do with the race.
    monkeypatch.setattr("targets.services.indicator_mark_for_evaluation", lambda **kwargs: None)


def _sent(district: District) -> Measurement:
    return measurement_save(
        indicator=district.indicator, unit=district.town, period=district.january, figure=ratio(41, 50),
        user=district.head, submit=True,
    )  # fmt: skip


def test_of_approvals_and_returns_sent_at_once_exactly_one_is_recorded(district: District):
    figure = _sent(district)
    reviewers = [district.secretariat, district.secretariat_2]

    def approve(user: Any) -> Any:
        return lambda: measurement_approve(measurement=Measurement.objects.get(pk=figure.pk), user=user)

    def send_back(user: Any) -> Any:
        return lambda: measurement_return(
            measurement=Measurement.objects.get(pk=figure.pk), user=user, comment="Thiếu biên bản."
        )

    calls = [(approve if i % 2 else send_back)(reviewers[i % 2]) for i in range(N)]
    outcomes = at_once(calls)

    done = [o for o in outcomes if o.error is None]
    refused = [o.error for o in outcomes if isinstance(o.error, ValidationError)]
    assert len(done) == 1
    assert len(refused) == N - 1  # each told, none failed otherwise
    stored = Measurement.objects.get(pk=figure.pk)
    # The history: created as sent, then one decision — not "approved, returned, approved…".
    statuses = list(stored.history.order_by("history_date", "history_id").values_list("status", flat=True))
    assert statuses == [MeasurementStatus.SUBMITTED, stored.status]
    assert stored.status in (MeasurementStatus.APPROVED, MeasurementStatus.RETURNED)
    verb = "duyệt" if stored.status == MeasurementStatus.APPROVED else "trả lại"
    who = stored.reviewed_by.first_name
    assert all(f"Số liệu này đã được {who} {verb} lúc " in " ".join(e.messages) for e in refused)


def test_of_decisions_on_one_extension_request_sent_at_once_one_is_recorded(district: District):
    due = district.task.due_date
    request = extension_request(
        task=district.task, user=district.head, new_due_date=datetime.date(2024, 12, 15), reason="Chờ kinh phí.",
        today=TODAY,
    )  # fmt: skip
    reviewers = [district.secretariat, district.secretariat_2]

    def decide(i: int) -> Any:
        return lambda: extension_decide(
            request=ExtensionRequest.objects.get(pk=request.pk), user=reviewers[i % 2], approve=i % 2 == 0,
            note="Ý kiến.", today=TODAY,
        )  # fmt: skip

    outcomes = at_once([decide(i) for i in range(N)])

    assert sum(o.error is None for o in outcomes) == 1
    refused = [o.error for o in outcomes if isinstance(o.error, ValidationError)]
    assert len(refused) == N - 1
    stored = ExtensionRequest.objects.get(pk=request.pk)
    assert stored.state in (ExtensionState.APPROVED, ExtensionState.REFUSED)
    assert all(" ".join(e.messages).startswith(f"Đề nghị này đã được {stored.decided_by.first_name} ") for e in refused)
    task = Task.objects.get(pk=district.task.pk)
    due_dates = list(task.history.order_by("history_date", "history_id").values_list("due_date", flat=True))
    if stored.state == ExtensionState.APPROVED:
        assert task.due_date == datetime.date(2024, 12, 15)
        assert due_dates.count(datetime.date(2024, 12, 15)) == 1  # moved once, in one history record
    else:
        assert task.due_date == due and datetime.date(2024, 12, 15) not in due_dates


def test_of_a_confirmation_and_a_return_of_one_claim_sent_at_once_one_is_recorded(district: District):
    task_claim_completion(task=district.task, user=district.head, today=TODAY, text="Đã số hóa 1.200 hồ sơ.")
    reviewers = [district.secretariat, district.secretariat_2]

    def step(i: int) -> Any:
        task = Task.objects.get(pk=district.task.pk)
        if i % 2:
            return lambda: task_confirm_completion(task=task, user=reviewers[i % 2], today=TODAY)
        return lambda: task_return_completion(task=task, user=reviewers[i % 2], comment="Thiếu sản phẩm.", today=TODAY)

    outcomes = at_once([step(i) for i in range(N)])

    assert sum(o.error is None for o in outcomes) == 1
    refused = [" ".join(o.error.messages) for o in outcomes if isinstance(o.error, ValidationError)]
    assert len(refused) == N - 1
    task = Task.objects.get(pk=district.task.pk)
    if task.confirmed_at is not None:
        told = "Nhiệm vụ đã được xác nhận hoàn thành, không thể thay đổi."
    else:
        told = f"Báo hoàn thành của đơn vị đã được {task.history.first().history_user.first_name} trả lại lúc "
    assert all(message.startswith(told) for message in refused)
    claimed_version = task.history.filter(claimed_at__isnull=False).order_by("version").first().version
    after_claim = task.history.filter(version__gt=claimed_version)
    # One decision in the history after the claim: confirmed (still claimed), or returned (no claim any more).
    assert after_claim.count() == 1
    decided = after_claim.get()
    assert (decided.confirmed_at is not None, decided.claimed_at is None) in {(True, False), (False, True)}


def _answered_recommendation(district: District) -> Any:
    """A recommendation to the town, answered by its head: the claim the secretariat decides."""
    from inspections.models import InspectionKind
    from inspections.services import (
        PlanInput,
        VisitInput,
        inspection_plan_create,
        recommendation_add,
        recommendation_answer,
        visit_record,
    )
    from parplan.models import Unit

    secretariat = district.secretariat
    inspection_plan = inspection_plan_create(
        plan=district.plan,
        data=PlanInput(
            kind=InspectionKind.PAR, conducting_unit=Unit.objects.get(code="182-NV"), decision_number="9/QĐ",
            decision_date=datetime.date(2024, 1, 10), topics="", areas=list(district.plan.areas.all()),
            scope_kinds=[district.town.kind], team=[secretariat], lead=secretariat,
        ),
        user=secretariat,
    )  # fmt: skip
    visit = visit_record(
        inspection_plan=inspection_plan,
        data=VisitInput(
            unit=district.town, start_date=datetime.date(2024, 9, 3), end_date=datetime.date(2024, 9, 3),
            unannounced=False, direct=True, team=[secretariat], lead=secretariat, conclusion="", checks={},
        ),
        user=secretariat,
    )  # fmt: skip
    made = recommendation_add(visit=visit, text="Niêm yết đủ TTHC.", deadline=datetime.date(2024, 10, 31),
                              finding=None, user=secretariat)  # fmt: skip
    return recommendation_answer(recommendation=made, user=district.head, text="Đã niêm yết.")


def test_of_a_confirmation_and_a_return_of_one_answered_recommendation_sent_at_once_one_is_recorded(
    district: District,
):
    from inspections.models import Recommendation
    from inspections.services import recommendation_confirm, recommendation_return

    answered = _answered_recommendation(district)
    reviewers = [district.secretariat, district.secretariat_2]

    def step(i: int) -> Any:
        recommendation = Recommendation.objects.get(pk=answered.pk)
        if i % 2:
            return lambda: recommendation_confirm(recommendation=recommendation, user=reviewers[i % 2], today=TODAY)
        return lambda: recommendation_return(recommendation=recommendation, user=reviewers[i % 2],
                                             comment="Thiếu ảnh chụp.")  # fmt: skip

    outcomes = at_once([step(i) for i in range(N)])

    assert sum(o.error is None for o in outcomes) == 1
    refused = [" ".join(o.error.messages) for o in outcomes if isinstance(o.error, ValidationError)]
    assert len(refused) == N - 1
    stored = Recommendation.objects.get(pk=answered.pk)
    assert stored.state in {"confirmed", "open"}
    assert all(message.startswith(f"Kiến nghị đang ở trạng thái “{stored.state_label()}”") for message in refused)
    # One decision after the answer, one version more.
    assert stored.version == answered.version + 1
    assert stored.history.filter(version__gt=answered.version).count() == 1
