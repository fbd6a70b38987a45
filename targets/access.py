"""Access to indicators and figures, checked in one place (rule: docs/access.md).

Reading follows the plan (any member of the issuer's tree). Entering a unit's
figures needs `parplan.enter_figures` on that unit (its heads and staff);
sending them for review needs `parplan.submit_figures` (its heads); approving,
returning and reopening need the global `parplan.review_figures` (secretariat).
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from parplan.access import visible_plans
from parplan.models import Unit
from targets.models import Indicator, Measurement


def can_on_unit(user: User, perm: str, unit: Unit) -> bool:
    full = f"parplan.{perm}"
    return user.has_perm(full) or user.has_perm(full, unit)


def can_review(user: User) -> bool:
    return user.has_perm("parplan.review_figures")


def units_for_figures(user: User) -> QuerySet[Unit]:
    """Units whose figures the user may enter, for the unit picker."""
    from guardian.shortcuts import get_objects_for_user

    return get_objects_for_user(user, "parplan.enter_figures", klass=Unit, accept_global_perms=True).order_by("path")


def get_indicator_for_user(user: User, pk: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("area__plan__issuing_unit", "target").filter(
            area__plan__in=visible_plans(user)
        ),
        pk=pk,
    )


def get_unit_for_figures(user: User, code: str, perm: str = "enter_figures") -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("kind"), code=code)
    if not can_on_unit(user, perm, unit):
        raise PermissionDenied
    return unit


def get_measurement_for_review(user: User, pk: int) -> Measurement:
    if not can_review(user):
        raise PermissionDenied
    return get_object_or_404(Measurement.objects.select_related("indicator__area__plan", "unit", "period"), pk=pk)
