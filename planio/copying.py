"""Copy a plan to another year: next year's plan starts from this year's.

A province or a commune writes next year's reform plan by editing this year's:
the same areas, targets and indicators (with their settings), the same tasks led
by the same units. The copy goes through the interchange format (export, then
import), so it writes through the same services as a plan read from a file.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from parplan.i18n import site_language
from parplan.models import Plan, PlanStatus, Unit
from parplan.services import plan_upsert
from planio.interchange import plan_export, plan_import
from targets.models import Indicator
from targets.services import indicator_define, plan_generate_periods

# Read-only parts of an export: the copy starts with no work done and no figures.
_TASK_STATE_KEYS = ("key", "progress")
_TASK_DATE_KEYS = ("start_date", "due_date", "assigned_by_date")
# Indicator settings the interchange format does not carry; copied one by one.
_INDICATOR_EXTRA_FIELDS = ("risk_band",)


@transaction.atomic
def plan_start(*, issuer: Unit, year: int, title: str, by: User | None) -> Plan:
    """A new empty draft plan of `issuer` for `year`, with its reporting periods; refused if one exists.

    The issuer's row is locked first, as a document's confirmation locks it: of two starts (or a start and a
    confirmation) for one issuer and year, one creates the plan and the other is told, none overwrites.
    """
    Unit.objects.select_for_update().get(pk=issuer.pk)
    if Plan.objects.filter(issuing_unit=issuer, year=year).exists():
        raise ValidationError(_("%(unit)s đã có kế hoạch năm %(year)s.") % {"unit": issuer, "year": year})
    with site_language():
        reason = _("Tạo kế hoạch mới")
    plan = plan_upsert(issuing_unit=issuer, year=year, title=title, status=PlanStatus.DRAFT, user=by, reason=reason)
    plan_generate_periods(plan=plan)
    return plan


@transaction.atomic
def plan_copy(plan: Plan, year: int, *, by: User | None, status: str = PlanStatus.DRAFT) -> Plan:
    """A new plan of `plan`'s issuer for `year`, copied from `plan`; returns it.

    Copied: the plan's texts (a plan not yet issued: no number, no issue date),
    its areas, targets and indicators with every setting (frequency, scope and
    its units, source, aggregation, threshold, risk band…), its tasks with their
    lead and coordinating units, and the responsibilities. Task dates (start,
    due, assigning document) move to the same day of `year`; "năm <old year>"
    in the texts becomes "năm <year>". Not copied: progress, reports, files,
    figures, evaluations. The new year's reporting periods are generated.
    `by` is named in the history of every record. Raises ValidationError if the
    issuer already has a plan for `year`.
    """
    if Plan.objects.filter(issuing_unit=plan.issuing_unit_id, year=year).exists():
        raise ValidationError(_("%(unit)s đã có kế hoạch năm %(year)s.") % {"unit": plan.issuing_unit, "year": year})
    document = _moved(plan_export(plan), plan.year, year, status)
    copy = plan_import(document, user=by)
    _copy_indicator_settings(plan, copy)
    return copy


def _moved(document: dict[str, Any], old: int, new: int, status: str) -> dict[str, Any]:
    """The exported `document` as next year's plan: dates moved, year mentions changed, no state."""
    fields = document["plan"]
    fields |= {
        "year": new,
        "number": "",
        "issue_date": None,
        "status": status,
        "title": _year(fields["title"], old, new),
    }
    for area in document["areas"]:
        for target in area["targets"]:
            target["text"] = _year(target["text"], old, new)
            target["indicators"] = [_indicator(item, old, new) for item in target["indicators"]]
        for task in area["tasks"]:
            for key in _TASK_STATE_KEYS:
                task.pop(key, None)
            task["text"], task["title"] = _year(task["text"], old, new), _year(task["title"], old, new)
            for key in _TASK_DATE_KEYS:
                task[key] = _moved_date(task[key], new - old)
            task["indicators"] = [_indicator(item, old, new) for item in task["indicators"]]
    return document


def _indicator(item: dict[str, Any], old: int, new: int) -> dict[str, Any]:
    item.pop("latest", None)
    for key in ("name", "numerator_label", "denominator_label"):
        item[key] = _year(item[key], old, new)
    return item


def _year(text: str, old: int, new: int) -> str:
    """ "năm 2024" becomes "năm 2025"; other years (a base year, a deadline of 2020) stay."""
    return re.sub(rf"\b(năm)\s+{old}\b", rf"\g<1> {new}", text, flags=re.IGNORECASE)


def _moved_date(text: str | None, years: int) -> str | None:
    if text is None:
        return None
    day = datetime.date.fromisoformat(text)
    try:
        return day.replace(year=day.year + years).isoformat()
    except ValueError:  # 29/02 of a leap year, in a year without one
        return day.replace(year=day.year + years, day=28).isoformat()


def _copy_indicator_settings(source: Plan, copy: Plan) -> None:
    def by_place(plan: Plan) -> dict[tuple[Any, ...], Indicator]:
        indicators = Indicator.objects.of_plan(plan).select_related("area", "target", "stated_in__task")
        return {_place(indicator): indicator for indicator in indicators}

    copied = by_place(copy)
    for place, indicator in by_place(source).items():
        extra = {name: getattr(indicator, name) for name in _INDICATOR_EXTRA_FIELDS}
        indicator_define(indicator=copied[place], **extra)


def _place(indicator: Indicator) -> tuple[Any, ...]:
    """Where an indicator stands in its plan: area, target or task, position."""
    stated_in = getattr(indicator, "stated_in", None)
    task_position = stated_in.task.position if stated_in is not None else None
    target_position = indicator.target.position if indicator.target is not None else None
    return indicator.area.number, target_position, task_position, indicator.position
