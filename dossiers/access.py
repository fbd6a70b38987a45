"""Access to dossier statistics, checked in one place (rule: docs/dossiers.md, "Access").

- Only the secretariat (its role's rights over the plan's authority) imports files
  and saves name mappings.
- The secretariat and the steering committee read every unit's rows.
- A unit's people (head, staff: they enter the unit's figures) read their own
  unit's rows, and no other unit's.

Everything else is denied: a unit outside the person's reach is "not found".
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from dossiers.models import DossierImport
from parplan.access import can_read_unit, has_plan_perm, visible_plans
from parplan.models import Plan, Unit
from targets.access import can_on_unit, units_for_figures

IMPORT = "dossiers.add_dossiermonth"
READ_ALL = "dossiers.view_dossiermonth"


def can_import(user: User, plan: Plan) -> bool:
    return user.is_active and has_plan_perm(user, IMPORT, plan)


def can_read_all(user: User, plan: Plan) -> bool:
    return user.is_active and has_plan_perm(user, READ_ALL, plan)


def readable_units(user: User, plan: Plan) -> QuerySet[Unit]:
    """The units below the plan's issuer whose rows `user` reads (all of them, or their own)."""
    below = Unit.objects.below(plan.issuing_unit)
    if not user.is_active:
        return below.none()
    if can_read_all(user, plan):
        return below
    return below.filter(pk__in=units_for_figures(user).values("pk"))


def get_unit_for_user(user: User, plan: Plan, code: str) -> Unit:
    """A unit of the plan whose rows `user` reads: 404 outside their reach, 403 for a unit they see but not its rows."""
    unit = get_object_or_404(Unit.objects.below(plan.issuing_unit).select_related("kind"), code=code)
    if can_read_all(user, plan) or (user.is_active and can_on_unit(user, "enter_figures", unit)):
        return unit
    if not can_read_unit(user, unit):
        raise Http404
    raise PermissionDenied


def get_import_for_user(user: User, pk: int) -> DossierImport:
    batch = get_object_or_404(
        DossierImport.objects.select_related("plan__issuing_unit", "uploaded_by").filter(plan__in=visible_plans(user)),
        pk=pk,
    )
    if not can_import(user, batch.plan):
        raise PermissionDenied
    return batch
