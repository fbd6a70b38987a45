"""Who may see and change what: one function per guarded object.

Rule of the house (docs/access.md): a plan is a published document, so every
person with a membership in the issuing unit's tree reads the plan, its areas,
targets, tasks and units. Changing anything needs a right: global for the
secretariat and administrators (role groups), per object for a unit's people
(django-guardian, granted by services). Everything else is denied.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from parplan.models import Membership, Plan, Unit


def visible_plans(user: User) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("issuing_unit")
    if user.has_perm("parplan.view_plan"):
        return plans
    member_below = Membership.objects.filter(user=user, unit__path__startswith=OuterRef("issuing_unit__path"))
    return plans.filter(Exists(member_below))


def get_plan_for_user(user: User, pk: int) -> Plan:
    return get_object_or_404(visible_plans(user), pk=pk)


_ROOTS_CACHE = "_parplan_readable_roots"


def _readable_roots(user: User) -> set[str] | None:
    """Paths of the subtrees the user reads (None: everything), cached on the user like Django's permissions."""
    if user.has_perm("parplan.view_unit"):
        return None
    cached: set[str] | None = getattr(user, _ROOTS_CACHE, None)
    if cached is None:
        roots = Unit.objects.filter(pk__in=visible_plans(user).values("issuing_unit")).values_list("path", flat=True)
        member_units = Unit.objects.filter(memberships__user=user).values_list("path", flat=True)
        cached = set(roots) | set(member_units)
        # An attribute the User model does not declare, hence set by name.
        setattr(user, _ROOTS_CACHE, cached)
    return cached


def can_read_unit(user: User, unit: Unit) -> bool:
    roots = _readable_roots(user)
    return roots is None or any(unit.path.startswith(root) for root in roots)


def visible_units(user: User) -> QuerySet[Unit]:
    """Units inside the tree of any plan issuer the user may read."""
    roots = _readable_roots(user)
    if roots is None:
        return Unit.objects.all()
    if not roots:
        return Unit.objects.none()
    within = Q()
    for path in roots:
        within |= Q(path__startswith=path)
    return Unit.objects.filter(within)


def get_unit_for_user(user: User, code: str, perm: str = "view") -> Unit:
    unit = get_object_or_404(visible_units(user).select_related("kind", "parent"), code=code)
    if perm != "view":
        full = f"parplan.{perm}_unit"
        if not (user.has_perm(full) or user.has_perm(full, unit)):
            raise PermissionDenied
    return unit
