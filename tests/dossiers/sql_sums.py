"""The dossier sums as one SQL aggregate per period: the reference `period_sums` is held equal to."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, Sum

from dossiers.indicators import Sums
from dossiers.models import DossierMonth

_RESOLVED = ("resolved_early", "resolved_on_time", "resolved_late")
_RECEIVED = ("received_online", "received_in_person", "received_by_post")
_SUMS: dict[str, Any] = {
    name: Sum(name) for name in (*_RESOLVED, *_RECEIVED, "apologised", "dossiers_digitised", "results_digitised")
}
_SUMS |= {
    "received_where_digitised": Sum("received_online", filter=Q(dossiers_digitised__isnull=False))
    + Sum("received_in_person", filter=Q(dossiers_digitised__isnull=False))
    + Sum("received_by_post", filter=Q(dossiers_digitised__isnull=False)),
    "resolved_where_results": Sum("resolved_early", filter=Q(results_digitised__isnull=False))
    + Sum("resolved_on_time", filter=Q(results_digitised__isnull=False))
    + Sum("resolved_late", filter=Q(results_digitised__isnull=False)),
    "rows_digitised": Count("pk", filter=Q(dossiers_digitised__isnull=False)),
    "rows_results": Count("pk", filter=Q(results_digitised__isnull=False)),
}


def unit_sums(units: list[int], start: datetime.date, end: datetime.date) -> dict[int, Sums]:
    """Each unit's counts summed over the period (start, end], for the units that have rows there."""
    rows = (
        DossierMonth.objects.filter(unit_id__in=units, month__gt=start, month__lte=end)
        .values("unit_id")
        # Aliased: an annotation named like a column would shadow it in the sums that filter on others.
        .annotate(**{f"total_{key}": value for key, value in _SUMS.items()})
    )
    return {row.pop("unit_id"): {key.removeprefix("total_"): value or 0 for key, value in row.items()} for row in rows}
