"""Reads for the task screens, each in a fixed number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from django.contrib.auth.models import User
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import formats, timezone

from evidence.models import Evidence
from parplan.access import has_plan_perm, visible_plans
from parplan.models import Membership, Plan, Unit
from tasks.forms import SORTS
from tasks.models import ExtensionRequest, ProgressReport, Task, TaskOccurrence, TaskState, task_field

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

# Fields whose changes the task page lists, in this order.
TRACKED_FIELDS = (
    "title", "text", "lead_unit_id", "start_date", "due_date", "priority", "recurrence", "status",
    "progress_percent", "progress_note", "completed_on", "claimed_at", "confirmed_at", "review_comment",
    "cancelled_at", "cancel_reason", "expected_output", "overdue_since",
)  # fmt: skip


def user_units(user: User) -> list[Unit]:
    return [m.unit for m in Membership.objects.for_user(user).can_act_for_unit()]


def sees_all_tasks(user: User, plan: Plan) -> bool:
    """The plan's secretariat and steering committee, and administrators, list every task of the plan."""
    return has_plan_perm(user, "tasks.view_task", plan)


class TaskListAnnotations(TypedDict):
    state: str
    coordinating_count: int


def task_list(
    *, plan: Plan, user: User, today: datetime.date, filters: dict[str, Any] | None = None
) -> QuerySet[WithAnnotations[Task, TaskListAnnotations]]:
    filters = filters or {}
    tasks = Task.objects.filter(area__plan=plan).with_state(today)
    if not sees_all_tasks(user, plan):
        # A unit's people list their own units' tasks ("việc của đơn vị tôi").
        mine = user_units(user)
        tasks = tasks.filter(Q(lead_unit__in=mine) | Q(coordinating_units__in=mine)).distinct()
    if filters.get("area"):
        tasks = tasks.filter(area__number=filters["area"])
    if filters.get("unit"):
        unit = filters["unit"]
        tasks = tasks.filter(Q(lead_unit=unit) | Q(coordinating_units=unit)).distinct()
    if filters.get("state"):
        tasks = tasks.filter(state=filters["state"])
    if filters.get("overdue"):
        tasks = tasks.filter(state=TaskState.OVERDUE)
    if filters.get("due_before"):
        tasks = tasks.filter(due_date__lt=filters["due_before"])
    order = SORTS.get(filters.get("sort") or "number", SORTS["number"])
    return (
        tasks.select_related("area", "lead_unit")
        .annotate(coordinating_count=Count("coordinating_units", distinct=True))
        .order_by(*order)
    )


@dataclass
class UnitStats:
    unit: Unit
    assigned: int
    on_time: int
    late: int
    overdue: int
    in_progress: int
    awaiting: int

    @property
    def completed(self) -> int:
        return self.on_time + self.late


def unit_task_statistics(*, plan: Plan, today: datetime.date) -> list[UnitStats]:
    """Per lead unit: tasks assigned, completed on time / late, overdue, in progress (one query)."""
    counts = (
        Task.objects.filter(area__plan=plan, lead_unit__isnull=False, cancelled_at__isnull=True)
        .with_state(today)
        .values("lead_unit")
        .annotate(
            assigned=Count("pk"),
            on_time=Count("pk", filter=Q(state=TaskState.COMPLETED_ON_TIME)),
            late=Count("pk", filter=Q(state=TaskState.COMPLETED_LATE)),
            overdue=Count("pk", filter=Q(state=TaskState.OVERDUE)),
            in_progress=Count("pk", filter=Q(state__in=[TaskState.IN_PROGRESS, TaskState.PAUSED])),
            awaiting=Count("pk", filter=Q(state=TaskState.AWAITING_CONFIRMATION)),
        )
        .order_by()
    )
    rows = list(counts)
    units = Unit.objects.in_bulk([row["lead_unit"] for row in rows])
    stats = [UnitStats(unit=units[row.pop("lead_unit")], **row) for row in rows]
    return sorted(stats, key=lambda s: (-s.overdue, s.unit.path))


@dataclass
class Change:
    label: str
    before: Any
    after: Any


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    kind: str
    reason: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class TaskPage:
    reports: list[ProgressReport]
    extensions: list[ExtensionRequest]
    occurrences: list[TaskOccurrence]
    coordinating_units: list[Unit]
    history: list[HistoryEntry]


def task_page(task: Task) -> TaskPage:
    reports = list(
        task.reports.select_related("unit", "author").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.order_by("pk"))
        )
    )
    return TaskPage(
        reports=reports,
        extensions=list(task.extensions.select_related("requested_by", "decided_by")),
        occurrences=list(task.occurrences.all()),
        coordinating_units=list(task.coordinating_units.select_related("kind").order_by("path")),
        history=task_history(task),
    )


def task_history(task: Task, limit: int = 50) -> list[HistoryEntry]:
    """Who changed what and when, newest first, with before → after for each field."""
    records = list(task.history.select_related("history_user").order_by("history_date", "history_id"))
    unit_ids = {r.lead_unit_id for r in records if r.lead_unit_id}
    units = {u.pk: u.name for u in Unit.objects.filter(pk__in=unit_ids)}
    entries: list[HistoryEntry] = []
    # Historical records have no static type (django-simple-history is untyped).
    previous: Any = None
    for record in records:
        changes = []
        for name in TRACKED_FIELDS:
            after = getattr(record, name)
            before: Any = getattr(previous, name) if previous is not None else None
            if previous is not None and before == after:
                continue
            if previous is None and after in (None, "", 0):
                continue
            label = str(task_field(name.removesuffix("_id")).verbose_name)
            if name == "lead_unit_id":
                before, after = units.get(before, before), units.get(after, after)
            if name in ("status", "priority", "recurrence"):
                choices = dict(task_field(name).flatchoices)
                before, after = choices.get(before, before), choices.get(after, after)
            changes.append(Change(label, _display(before), _display(after)))
        previous = record
        if not changes and record.history_type == "~":
            continue  # a save that changed only fields nobody reads here (the version)
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "",
                kind={"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                reason=record.history_change_reason or "",
                changes=changes,
            )
        )
    return list(reversed(entries))[:limit]


def _display(value: Any) -> Any:
    """Dates as every page shows them (dd/mm/yyyy, local time); the template's truncation would print ISO/UTC."""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return value


def visible_plan_or_active(user: User, plan_id: int | None) -> Plan | None:
    plans = visible_plans(user)
    if plan_id:
        return plans.filter(pk=plan_id).first()
    return plans.filter(status="active").order_by("-year").first() or plans.order_by("-year").first()


def unit_page_tasks(user: User, unit: Unit, plans: QuerySet[Plan]) -> dict[str, Any]:
    """The unit page's task section: tasks the unit leads or coordinates in the plans the person reads."""
    # Listed under their plan, the latest year first: a unit in two years' plans had every task twice, alike.
    tasks = (
        Task.objects.filter(area__plan__in=plans)
        .involving_unit(unit)
        .with_unit_role(unit)
        .for_list()
        .select_related("area__plan")
        .order_by("-area__plan__year", "area__plan_id", "area__number", "position")
    )
    return {"tasks": tasks}


def tasks_on_time(unit_ids: Sequence[int], year: int) -> dict[int, tuple[Decimal, Decimal]]:
    """Tasks a unit leads that fell due in `year`, confirmed completed by their due date, of those due (not cancelled).

    The share per unit of the "tasks" source (targets.sources.unit_rates), which the scoring suggests from.
    """
    rows = (
        Task.objects.filter(lead_unit_id__in=unit_ids, due_date__year=year, cancelled_at__isnull=True)
        .values("lead_unit_id")
        .annotate(
            due=Count("pk"),
            on_time=Count("pk", filter=Q(confirmed_at__isnull=False, completed_on__lte=F("due_date"))),
        )
    )
    return {row["lead_unit_id"]: (Decimal(row["on_time"]), Decimal(row["due"])) for row in rows}
