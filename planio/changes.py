"""What an import created, changed and deleted, read from the history records it wrote.

Every write of an import goes through a service that leaves a history record
(django-simple-history), and the services skip a save that changes nothing, so the
records written since the import began are an honest account of it, for a real
run and for a dry run alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Model
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parplan.models import ReformArea, Responsibility, Unit
from targets.models import Indicator, Target
from tasks.models import Task

TRACKED: tuple[tuple[type[Model], Promise], ...] = (
    (Unit, _("đơn vị")),
    (ReformArea, _("lĩnh vực")),
    (Target, _("chỉ tiêu")),
    (Indicator, _("chỉ số")),
    (Task, _("nhiệm vụ")),
    (Responsibility, _("mục tổ chức thực hiện")),
)


@dataclass(frozen=True)
class Changes:
    label: str
    created: int
    changed: int
    deleted: int


def history_marks() -> dict[type[Model], int]:
    """The last history record of each tracked model, before the import writes."""
    return {model: _history(model).aggregate(last=Max("history_id"))["last"] or 0 for model, _label in TRACKED}


def changes_since(marks: dict[type[Model], int]) -> list[Changes]:
    result = []
    for model, label in TRACKED:
        rows = set(_history(model).filter(history_id__gt=marks[model]).values_list("id", "history_type"))
        created = {pk for pk, kind in rows if kind == "+"}
        deleted = {pk for pk, kind in rows if kind == "-"}
        # An object created or deleted by the import is not also counted as changed.
        changed = {pk for pk, kind in rows if kind == "~"} - created - deleted
        result.append(Changes(label=str(label), created=len(created), changed=len(changed), deleted=len(deleted)))
    return result


def _history(model: type[Model]) -> Any:
    # HistoricalRecords adds `history` to each model; the stubs do not know it.
    return getattr(model, "history")  # noqa: B009
