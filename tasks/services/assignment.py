"""Creating, editing, assigning and cancelling tasks (the secretariat's side)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify, people_of
from parplan.i18n import site_language
from parplan.models import ReformArea, Role, Unit
from parplan.services import Saved, object_rights_sync, set_m2m_if_changed, unit_group, unit_groups
from parplan.validators import plan_date_errors
from targets.models import Frequency
from targets.periods import periods_of
from tasks.models import Recurrence, Task, TaskOccurrence, derive_title
from tasks.notices import TaskNotice
from tasks.services.common import bump, ensure_open, insert, label, locked, task_url
from tasks.services.conflicts import task_conflict

EDITABLE_FIELDS = (
    "title", "text", "start_date", "due_date", "recurrence", "recurrence_due_day", "priority",
    "expected_output", "assigned_by_number", "assigned_by_date",
)  # fmt: skip


def _check_dates(
    year: int,
    start_date: datetime.date | None,
    due_date: datetime.date | None,
    assigned_by_date: datetime.date | None = None,
) -> None:
    """A task's dates lie within its plan's years (parplan.validators), and it is not due before it starts."""
    errors = plan_date_errors(year, start_date=start_date, due_date=due_date, assigned_by_date=assigned_by_date)
    if start_date and due_date and due_date < start_date:
        errors.setdefault("due_date", []).append(_("Hạn hoàn thành không được trước ngày bắt đầu."))
    if errors:
        raise ValidationError(errors)


def _check_recurrence(recurrence: str, due_day: int | None) -> None:
    if recurrence and not due_day:
        raise ValidationError({"recurrence_due_day": [_("Nhiệm vụ lặp lại cần ngày đến hạn trong kỳ (1–31).")]})
    if due_day is not None and not 1 <= due_day <= 31:
        raise ValidationError({"recurrence_due_day": [_("Ngày đến hạn phải từ 1 đến 31.")]})


@transaction.atomic
def task_create(
    *,
    area: ReformArea,
    text: str,
    user: User | None,
    title: str = "",
    lead_unit: Unit | None = None,
    coordinating_units: Iterable[Unit] = (),
    start_date: datetime.date | None = None,
    due_date: datetime.date | None = None,
    recurrence: str = "",
    recurrence_due_day: int | None = None,
    priority: str = "normal",
    expected_output: str = "",
    assigned_by_number: str = "",
    assigned_by_date: datetime.date | None = None,
) -> Task:
    if not text.strip():
        raise ValidationError({"text": [_("Cần ghi nội dung nhiệm vụ.")]})
    _check_dates(area.plan.year, start_date, due_date, assigned_by_date)
    _check_recurrence(recurrence, recurrence_due_day)
    # The area's row is locked while its next place is counted: two tasks created at
    # once in one area would both take the same place and one would fail (unique).
    # FOR NO KEY UPDATE: it still lets others write rows that merely refer to the area.
    ReformArea.objects.select_for_update(no_key=True).get(pk=area.pk)
    position = (area.tasks.aggregate(last=Max("position"))["last"] or 0) + 1
    task = Task(
        area=area, position=position, text=text.strip(), title=(title or derive_title(text)).strip(),
        start_date=start_date, due_date=due_date, recurrence=recurrence, recurrence_due_day=recurrence_due_day,
        priority=priority, expected_output=expected_output.strip(), assigned_by_number=assigned_by_number.strip(),
        assigned_by_date=assigned_by_date,
    )  # fmt: skip
    # The history names the creator outside a request too (see `bump`).
    insert(task, by=user)
    occurrences_sync(task=task, user=user)
    task_assign(
        task=task, lead_unit=lead_unit, coordinating_units=coordinating_units, notify_day=timezone.localdate(),
        user=user,
    )  # fmt: skip
    return task


@transaction.atomic
def task_update(*, task: Task, expected_version: int, user: User, **values: Any) -> Saved[Task]:
    """Edit a task's own fields; a stale `expected_version` raises TaskConflict, writing nothing.

    Text is trimmed; a blank title is the text's first clause (`derive_title`).
    Values equal to the stored ones write nothing and keep the version.
    """
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    current = locked(task)
    ensure_open(current)
    if current.version != expected_version:
        raise task_conflict(current, expected_version, values)
    merged = {name: values.get(name, getattr(current, name)) for name in EDITABLE_FIELDS}
    for name in ("title", "text", "expected_output", "assigned_by_number"):
        merged[name] = (merged[name] or "").strip()
    if not merged["text"]:
        raise ValidationError({"text": [_("Cần ghi nội dung nhiệm vụ.")]})
    _check_dates(current.area.plan.year, merged["start_date"], merged["due_date"], merged["assigned_by_date"])
    _check_recurrence(merged["recurrence"], merged["recurrence_due_day"])
    if not merged["title"]:
        merged["title"] = derive_title(merged["text"])
    changed = {name: value for name, value in merged.items() if getattr(current, name) != value}
    if changed:
        bump(current, by=user, **changed)
        if {"recurrence", "recurrence_due_day"} & changed.keys():
            occurrences_sync(task=current, user=user)
    return Saved(current, bool(changed))


@transaction.atomic
def task_assign(
    *,
    task: Task,
    lead_unit: Unit | None,
    coordinating_units: Iterable[Unit],
    assumed: bool = False,
    notify_day: datetime.date | None = None,
    user: Any = None,
) -> Saved[Task]:
    """Set who leads and who coordinates, and move the object rights with it.

    The lead unit's heads and staff may report progress and its heads claim
    completion; coordinating units' people add their own contribution. Rights
    go to the units' groups, so people joining a unit later get them too.
    With `notify_day`, the newly assigned units' people are told. `task` is
    re-read under the row lock in place, so the caller's copy holds the new version.
    """
    coordinating = [unit for unit in coordinating_units if unit != lead_unit]
    task.refresh_from_db(from_queryset=Task.objects.select_for_update())
    if task.is_closed:
        same_lead = task.lead_unit_id == (lead_unit.pk if lead_unit else None)
        same_coordinating = set(task.coordinating_units.values_list("pk", flat=True)) == {u.pk for u in coordinating}
        if not (same_lead and same_coordinating):
            ensure_open(task)  # raises: a cancelled or confirmed task keeps its units
    previous = {task.lead_unit_id, *task.coordinating_units.values_list("pk", flat=True)}
    lead_changed = task.lead_unit_id != (lead_unit.pk if lead_unit else None) or task.assignment_assumed != assumed
    if user is not None:
        task._history_user = user  # the coordinating units' history records name them too
    members_changed = set_m2m_if_changed(task.coordinating_units, coordinating)
    if lead_changed or members_changed:
        # After the units are set, so the new version's history record holds them.
        bump(task, by=user, lead_unit=lead_unit, assignment_assumed=assumed)
    lead_groups = unit_groups([lead_unit]) if lead_unit else []
    object_rights_sync(obj=task, perm="tasks.report_progress", groups=lead_groups, user=user)
    heads = [unit_group(lead_unit, Role.UNIT_HEAD)] if lead_unit else []
    object_rights_sync(obj=task, perm="tasks.claim_completion", groups=heads, user=user)
    object_rights_sync(obj=task, perm="tasks.contribute_task", groups=unit_groups(coordinating), user=user)
    if notify_day is not None:
        new_units = [unit for unit in [lead_unit, *coordinating] if unit is not None and unit.pk not in previous]
        if new_units:
            with site_language():
                message = _("Đơn vị được giao nhiệm vụ %(task)s.") % {"task": label(task)}
            notify(users=people_of(new_units), kind=TaskNotice.ASSIGNED, message=message, url=task_url(task),
                   day=notify_day)  # fmt: skip
    return Saved(task, lead_changed or members_changed)


@transaction.atomic
def task_cancel(*, task: Task, user: User, reason: str) -> Task:
    if not reason.strip():
        raise ValidationError({"reason": [_("Cần ghi lý do hủy nhiệm vụ.")]})
    current = locked(task)
    ensure_open(current)
    current._change_reason = reason.strip()
    return bump(current, by=user, cancelled_at=timezone.now(), cancel_reason=reason.strip())


# --- Recurrence -------------------------------------------------------------------

# A recurring task's periods are the reporting calendar's (targets/periods.py).
_FREQUENCY = {Recurrence.MONTHLY: Frequency.MONTHLY, Recurrence.QUARTERLY: Frequency.QUARTERLY,
              Recurrence.YEARLY: Frequency.YEAR}  # fmt: skip


def occurrence_due_dates(year: int, recurrence: str, due_day: int) -> list[tuple[int, str, datetime.date]]:
    """(number, label, due date) of each period of the year: due on `due_day` of its last month."""
    return [
        (spec.number, spec.label, spec.due_on_day(due_day))
        for spec in periods_of(_FREQUENCY[Recurrence(recurrence)], year)
    ]


def occurrences_sync(*, task: Task, user: Any = None) -> None:
    """Make the occurrences match the recurrence; ones already done are kept.

    `task` is the caller's locked (or just created) row: a moved due date is bumped on it.
    """
    if not task.recurrence:
        task.occurrences.filter(done_on__isnull=True).delete()
        return
    # Every writer of a recurrence checks its due day (_check_recurrence, the plan importer).
    assert task.recurrence_due_day is not None
    # Periods due before the task starts are not the task's: keeping them would make the
    # task due before its start (refused by the database) and overdue from day one.
    wanted = [
        (number, name, due)
        for number, name, due in occurrence_due_dates(task.area.plan.year, task.recurrence, task.recurrence_due_day)
        if task.start_date is None or due >= task.start_date
    ]
    by_number = {number: (name, due) for number, name, due in wanted}
    existing = list(task.occurrences.all())
    # Open periods that still match stay as they are: their ids are in task pages people
    # have open, and re-creating them on every mark made those pages' buttons 404.
    stale = [o.pk for o in existing if o.done_on is None and by_number.get(o.number) != (o.label, o.due_date)]
    task.occurrences.filter(pk__in=stale).delete()
    kept = {o.number for o in existing if o.pk not in stale}
    TaskOccurrence.objects.bulk_create(
        TaskOccurrence(task=task, number=number, label=name, due_date=due)
        for number, (name, due) in by_number.items()
        if number not in kept
    )
    next_due = task.occurrences.filter(done_on__isnull=True).order_by("due_date").values_list("due_date", flat=True)
    due = next_due.first() or (wanted[-1][2] if wanted else task.due_date)
    if task.due_date != due:
        # A recurring task is due when its next open occurrence is.
        bump(task, by=user, due_date=due)
