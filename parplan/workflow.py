"""The completion workflow a unit's work follows, shared by plan tasks and inspection recommendations.

Work given to a unit with a deadline is OPEN; the unit claims it done with its
result (CLAIMED); the secretariat confirms it (CONFIRMED) or returns it with a
reason (OPEN again). While the work is not confirmed, the unit may ask for a
later deadline, once at a time; the secretariat approves or refuses, with a
reason when it refuses. docs/inspections.md says why tasks and recommendations
share this machine rather than a recommendation becoming a task.

Here are the states, the allowed steps and the checks that need no model; each
app keeps its rows, its row locks and its messages about its own records. It
lives in the core because `tasks` and `inspections` are siblings that may not
import each other.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parplan.validators import plan_date_errors


class WorkState(models.TextChoices):
    OPEN = "open", gettext_lazy("Đơn vị đang thực hiện")
    CLAIMED = "claimed", gettext_lazy("Đơn vị đã báo cáo, chờ xác nhận")
    CONFIRMED = "confirmed", gettext_lazy("Đã xác nhận hoàn thành")

    @property
    def css(self) -> str:
        """The badge's classes (static/css/parplan.css)."""
        return {"open": "badge badge-draft", "claimed": "badge badge-submitted", "confirmed": "badge badge-approved"}[
            self.value
        ]


class Step(enum.StrEnum):
    CLAIM = "claim"
    CONFIRM = "confirm"
    RETURN = "return"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"


# (state, step) → the state after it; a pair not listed is refused.
TRANSITIONS: dict[tuple[WorkState, Step], WorkState] = {
    (WorkState.OPEN, Step.CLAIM): WorkState.CLAIMED,
    (WorkState.CLAIMED, Step.CONFIRM): WorkState.CONFIRMED,
    (WorkState.CLAIMED, Step.RETURN): WorkState.OPEN,
    # An extension is asked and decided while the work is not confirmed, claimed or not:
    # a returned claim may still need the time.
    (WorkState.OPEN, Step.REQUEST_EXTENSION): WorkState.OPEN,
    (WorkState.CLAIMED, Step.REQUEST_EXTENSION): WorkState.CLAIMED,
    (WorkState.OPEN, Step.DECIDE_EXTENSION): WorkState.OPEN,
    (WorkState.CLAIMED, Step.DECIDE_EXTENSION): WorkState.CLAIMED,
}


class StepRefused(ValidationError):
    """The step is not allowed from the state; the app's own message says why, in its words."""

    def __init__(self, state: WorkState, step: Step, message: str) -> None:
        super().__init__(message)
        self.state, self.step = state, step


def work_state(*, claimed: bool, confirmed: bool) -> WorkState:
    """The state of work known by its dates (a task's `claimed_at`, `confirmed_at`)."""
    if confirmed:
        return WorkState.CONFIRMED
    return WorkState.CLAIMED if claimed else WorkState.OPEN


def allowed(state: WorkState | str, step: Step) -> bool:
    return (WorkState(state), step) in TRANSITIONS


def advance(state: WorkState | str, step: Step, *, refused: str | Callable[[], str]) -> WorkState:
    """The state after `step`, or StepRefused with the message `refused` (a callable when it costs a query)."""
    current = WorkState(state)
    after = TRANSITIONS.get((current, step))
    if after is None:
        raise StepRefused(current, step, refused() if callable(refused) else refused)
    return after


def return_errors(comment: str) -> dict[str, list[str]]:
    """A claim goes back only with the reason the unit needs to complete it."""
    if comment.strip():
        return {}
    return {"comment": [_("Cần ghi rõ lý do trả lại để đơn vị bổ sung.")]}


def claim_errors(text: str, message: str) -> dict[str, list[str]]:
    """A claim states its result (the app names it: a task's output, a recommendation's result)."""
    return {} if text.strip() else {"text": [message]}


def extension_errors(
    *,
    year: int,
    deadline: datetime.date | None,
    new_deadline: datetime.date | None,
    today: datetime.date,
    reason: str,
    pending: bool,
    field: str = "new_due_date",
    not_before: datetime.date | None = None,
) -> dict[str, list[str]]:
    """What is wrong with a request for a later deadline, under the field names of the app's form.

    A date outside the plan's years gets that one message, not three. `not_before`
    is the day the work started: a new deadline cannot precede it.
    """
    errors: dict[str, list[str]] = {}
    outside = plan_date_errors(year, **{field: new_deadline})
    if new_deadline is None:
        errors[field] = [_("Cần ghi hạn mới đề nghị.")]
    elif outside:
        errors |= outside
    elif new_deadline <= today:
        errors[field] = [_("Hạn mới phải sau ngày hôm nay.")]
    elif deadline and new_deadline <= deadline:
        errors[field] = [_("Hạn mới phải sau hạn hiện tại (%(due)s).") % {"due": f"{deadline:%d/%m/%Y}"}]
    if new_deadline is not None and not outside and not_before and new_deadline < not_before:
        errors.setdefault(field, []).append(_("Hạn mới không được trước ngày bắt đầu."))
    if not reason.strip():
        errors["reason"] = [_("Cần ghi lý do đề nghị gia hạn.")]
    if pending:
        errors["__all__"] = [_("Đã có một đề nghị gia hạn đang chờ quyết định.")]
    return errors


def refusal_errors(*, approve: bool, note: str) -> dict[str, list[str]]:
    """A refused extension says why; an approved one need not."""
    if approve or note.strip():
        return {}
    return {"note": [_("Cần ghi lý do không đồng ý gia hạn.")]}


def refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


class Versioned(Protocol):
    """A workflow record: a version counted up by every write, and django-simple-history's user and reason."""

    pk: Any
    version: int
    _history_user: Any
    _change_reason: str

    def save(self, *args: Any, **kwargs: Any) -> None: ...


R = TypeVar("R", bound=Versioned)


def bump(record: R, *, by: User | None = None, reason: str = "", **values: Any) -> R:
    """Apply values and save with the next version: the one write of a workflow record after its first save.

    The caller holds the row lock (`select_for_update`): the whole row is saved, so
    a stale copy would undo others' writes; the version lets a form opened on an
    older one be refused. `by` and `reason` go to the record's history.
    """
    for name, value in values.items():
        setattr(record, name, value)
    if by is not None:
        record._history_user = by
    if reason:
        record._change_reason = reason
    record.version += 1
    record.save()
    return record


def ensure_version(record: Versioned, expected_version: int | None, message: str) -> None:
    """Refuse a step decided on an older version of the record than the stored one (someone acted meanwhile)."""
    if expected_version is not None and record.version != expected_version:
        raise ValidationError(message, code="stale")
