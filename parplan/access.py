"""Who may see and change what: one function per guarded object.

Rule of the house (docs/access.md): a plan is a published document, so every
person with a membership in the issuing unit's tree reads the plan, its areas,
targets, tasks and units. Changing anything needs a right: by role for the
secretariat and the steering committee, held over the plans of the authority
their membership speaks for and of every unit below it; per object for a
unit's people (django-guardian, granted by services); everything for
administrators. Everything else is denied.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Permission, User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from parplan.models import Membership, Plan, Role, Unit

# Roles whose rights are held over an authority's plans rather than over one unit.
AUTHORITY_ROLES = (Role.SECRETARIAT, Role.STEERING)
# Bodies that serve an authority and issue no plan of their own: a membership
# held in one speaks for the unit above it (Phòng Nội vụ → UBND huyện).
SERVING_KINDS = frozenset({"office", "service_unit", "steering_committee"})


def authority_path(unit: Unit) -> str:
    """The path of the authority a secretariat or steering-committee membership in `unit` speaks for."""
    if unit.kind.code in SERVING_KINDS and unit.parent is not None:
        return unit.parent.path
    return unit.path


def speaking_for(path: str) -> Q:
    """Memberships whose authority (`authority_path`) is the unit at `path` or a unit above it, as a filter."""
    codes = path.strip("/").split("/")
    above = ["/" + "/".join(codes[: depth + 1]) + "/" for depth in range(len(codes))]
    serving = Q(unit__kind__code__in=SERVING_KINDS)
    return (
        (~serving & Q(unit__path__in=above))
        | (serving & Q(unit__parent__path__in=above))
        | (serving & Q(unit__parent__isnull=True, unit__path__in=above))
    )


_Scopes = tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]
_SCOPES_CACHE = "_parplan_role_scopes"


def _role_scopes(user: User) -> _Scopes:
    """(role → its authorities' paths, right → paths where a role gives it), cached on the user like Django's perms.

    Two queries, the second only for a member of the secretariat or the steering
    committee: the memberships, then the rights of the role groups the person is in.
    """
    scopes: _Scopes | None = getattr(user, _SCOPES_CACHE, None)
    if scopes is None:
        by_role: dict[str, set[str]] = {}
        if user.is_active:
            memberships = Membership.objects.filter(user=user, role__in=AUTHORITY_ROLES)
            for membership in memberships.select_related("unit__kind", "unit__parent"):
                by_role.setdefault(membership.role, set()).add(authority_path(membership.unit))
        by_right: dict[str, set[str]] = {}
        if by_role:
            rights = Permission.objects.filter(group__name__in=by_role, group__user=user).values_list(
                "group__name", "content_type__app_label", "codename"
            )
            for role, app_label, codename in rights:
                by_right.setdefault(f"{app_label}.{codename}", set()).update(by_role[role])
        scopes = (
            {role: frozenset(paths) for role, paths in by_role.items()},
            {right: frozenset(paths) for right, paths in by_right.items()},
        )
        # An attribute the User model does not declare, hence set by name.
        setattr(user, _SCOPES_CACHE, scopes)
    return scopes


def _everywhere(user: User) -> bool:
    return user.is_active and user.is_superuser


def authority_paths(user: User, role: Role | str) -> frozenset[str]:
    """Paths of the authorities the person's memberships in `role` speak for."""
    return _role_scopes(user)[0].get(Role(role).value, frozenset())


def rights_scope(user: User, perm: str) -> frozenset[str] | None:
    """Paths of the subtrees in which `user` holds `perm` ("app.codename") by role; None: everywhere.

    A right given to a person outside their role groups (by hand, in the admin)
    says what but not where, so it reaches no plan: only administrators hold rights everywhere.
    """
    if _everywhere(user):
        return None
    return _role_scopes(user)[1].get(perm, frozenset())


def within(paths: frozenset[str], lookup: str) -> Q:
    """Rows whose `lookup` (a unit path) lies in one of the subtrees `paths`; none when `paths` is empty."""
    if not paths:
        return Q(pk__in=[])
    condition = Q()
    for path in sorted(paths):
        condition |= Q(**{f"{lookup}__startswith": path})
    return condition


def scope_filter(user: User, perm: str, lookup: str) -> Q | None:
    """The filter for rows on which `user` holds `perm` by role; None when they hold it everywhere."""
    scope = rights_scope(user, perm)
    return None if scope is None else within(scope, lookup)


def has_perm_at(user: User, perm: str, path: str) -> bool:
    """Whether `user` holds `perm` by role over the unit at `path` (it lies in one of their subtrees)."""
    scope = rights_scope(user, perm)
    return scope is None or any(path.startswith(root) for root in scope)


def has_plan_perm(user: User, perm: str, plan: Plan) -> bool:
    """Whether `user` holds `perm` by role over `plan` (its issuer lies in one of their authorities).

    Object rights are granted on tasks and units, never on plans: the callers
    that accept them check the object themselves (`can_change_task`, `has_unit_perm`).
    """
    return has_perm_at(user, perm, plan.issuing_unit.path)


def has_unit_perm(user: User, perm: str, unit: Unit) -> bool:
    """Whether `user` holds `perm` on `unit`: by role over its authority, or on the unit itself (its groups)."""
    return has_perm_at(user, perm, unit.path) or user.has_perm(perm, unit)


def visible_plans(user: User) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("issuing_unit")
    scope = scope_filter(user, "parplan.view_plan", "issuing_unit__path")
    if scope is None:
        return plans
    member_below = Membership.objects.filter(user=user, unit__path__startswith=OuterRef("issuing_unit__path"))
    return plans.filter(Q(Exists(member_below)) | scope)


def get_plan_for_user(user: User, pk: int, perm: str | None = None) -> Plan:
    """The plan if `user` reads it (404 otherwise) and, when `perm` is named, holds it over the plan (403 otherwise)."""
    plan = get_object_or_404(visible_plans(user), pk=pk)
    if perm is not None and not has_plan_perm(user, perm, plan):
        raise PermissionDenied
    return plan


_ROOTS_CACHE = "_parplan_readable_roots"


def _readable_roots(user: User) -> set[str] | None:
    """Paths of the subtrees the user reads (None: everything), cached on the user like Django's permissions."""
    scope = rights_scope(user, "parplan.view_unit")
    if scope is None:
        return None
    cached: set[str] | None = getattr(user, _ROOTS_CACHE, None)
    if cached is None:
        roots = Unit.objects.filter(pk__in=visible_plans(user).values("issuing_unit")).values_list("path", flat=True)
        member_units = Unit.objects.filter(memberships__user=user).values_list("path", flat=True)
        cached = set(roots) | set(member_units) | scope
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
    return Unit.objects.filter(within(frozenset(roots), "path"))


def get_unit_for_user(user: User, code: str, perm: str = "view") -> Unit:
    unit = get_object_or_404(visible_units(user).select_related("kind", "parent"), code=code)
    if perm != "view" and not has_unit_perm(user, f"parplan.{perm}_unit", unit):
        raise PermissionDenied
    return unit


# --- Rights over rights ------------------------------------------------------------

# Roles whose memberships set the admin site's flags: the administrator's makes a
# superuser, the secretariat's a member of the admin's staff (services._sync_staff_flags).
ADMIN_SITE_ROLES = frozenset({Role.ADMINISTRATOR, Role.SECRETARIAT})


def is_administrator(user: User | AnonymousUser) -> bool:
    """Administrators (active superusers) hold every right everywhere, and alone change who holds what."""
    return bool(user.is_active and user.is_superuser)


def can_manage_membership(user: User, role: Role | str, unit: Unit) -> bool:
    """Whether `user` may give or take a membership in `role` held in `unit`.

    Only an administrator gives or takes the roles that open the admin site
    (administrator, secretariat): they grant the flags that decide who changes
    rights. The secretariat manages the roles below it (steering committee, unit
    heads and staff) in its authority's units; nobody else manages memberships.
    """
    if is_administrator(user):
        return True
    return Role(role) not in ADMIN_SITE_ROLES and has_perm_at(user, "parplan.change_membership", unit.path)


def units_with_right(user: User, perm: str) -> QuerySet[Unit]:
    """The units `user` holds the unit right `perm` on ("parplan.enter_figures"): by role over an
    authority's subtree, or granted on the unit itself (its heads and staff)."""
    from guardian.shortcuts import get_objects_for_user

    scope = scope_filter(user, perm, "path")
    if scope is None:
        return Unit.objects.order_by("path")
    granted = get_objects_for_user(user, perm, klass=Unit, accept_global_perms=False)
    return Unit.objects.filter(Q(pk__in=granted.values("pk")) | scope).order_by("path")


def holds_unit_right_in(user: User, perm: str, plan: Plan) -> bool:
    """Whether `user` holds the unit right `perm` on a unit of `plan`'s authority (one EXISTS query)."""
    return units_with_right(user, perm).filter(path__startswith=plan.issuing_unit.path).exists()
