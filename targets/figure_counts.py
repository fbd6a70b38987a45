"""The counts of each unit's figures sent on time that the dashboard's ranking reads (`FiguresSentOnTime`).

Kept for every unit of a plan by the nightly run (`figures_on_time_keep`) and for one
unit whenever one of its figures is sent, returned or reopened (`figures_on_time_recount`,
called by targets.services in the figure's transaction). Read by
`targets.selectors.figures_sent_on_time`.
"""

from __future__ import annotations

import datetime

from parplan.models import Plan, Unit
from targets.models import FiguresSentOnTime, Measurement


def figures_on_time_keep(*, plan: Plan, day: datetime.date) -> int:
    """Count and keep every unit's figures sent on time as of `day` (the nightly run); the units counted.

    Written over the plan's kept counts, never deleted first: two runs at once both end
    with the counts of `day` (the rows of a unit that left the plan's tree stay, unread).
    """
    counts = Measurement.objects.sent_on_time_by_unit(plan, day)
    units = Unit.objects.subtree_of(plan.issuing_unit).values_list("pk", flat=True)
    rows = [FiguresSentOnTime(plan=plan, unit_id=pk, day=day, sent_on_time=counts.get(pk, 0)) for pk in units]
    FiguresSentOnTime.objects.bulk_create(
        rows, batch_size=2000, update_conflicts=True, unique_fields=["plan", "unit"],
        update_fields=["day", "sent_on_time"],
    )  # fmt: skip
    return len(rows)


def figures_on_time_recount(*, plan_id: int, unit_id: int) -> None:
    """A unit's figures sent on time again, after one of them was sent, returned or reopened.

    Counted as of the day the plan's counts are kept for, so that every unit's count is of
    the same day; nothing when the plan's are not kept (the dashboard then counts them).
    """
    day = FiguresSentOnTime.objects.filter(plan_id=plan_id).values_list("day", flat=True).first()
    if day is None:
        return
    count = Measurement.objects.sent_on_time_by_unit(plan_id, day, [unit_id]).get(unit_id, 0)
    FiguresSentOnTime.objects.update_or_create(
        plan_id=plan_id, unit_id=unit_id, defaults={"day": day, "sent_on_time": count}
    )
