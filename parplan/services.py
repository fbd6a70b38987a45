"""Writes of the core domain: units, memberships and the rights that follow them.

Rights are never granted by hand. A person's role is a Django group (global
rights: the secretariat changes everything, the steering committee reads
everything). A unit's heads and staff are also in two per-unit groups, and
object rights (django-guardian) are granted to those groups: so a change of
membership moves a person's rights with one group change, and an assignment
grants rights to whoever is in the unit now and later.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from guardian.shortcuts import assign_perm, remove_perm

from parplan.models import Membership, Role, Unit, UnitKind
from parplan.registries import role_apps, unit_rights

if TYPE_CHECKING:
    # Django builds the class of each many-to-many manager at run time.
    from django.db.models.fields.related_descriptors import ManyRelatedManager

_M = TypeVar("_M", bound=models.Model)

UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_STAFF)


def save_if_changed(instance: models.Model, **values: Any) -> bool:
    """Set fields and save only when something differs, so re-imports write no history."""
    changed = [name for name, value in values.items() if _current(instance, name) != _comparable(value)]
    for name in changed:
        setattr(instance, name, values[name])
    if instance._state.adding:
        instance.save()
        return True
    if changed:
        # Only the changed columns: a stale copy of the row must not overwrite newer fields.
        instance.save(update_fields=[_column(instance, name).attname for name in changed])
        return True
    return False


def _column(instance: models.Model, name: str) -> models.Field[Any, Any]:
    field = instance._meta.get_field(name)
    if not isinstance(field, models.Field):
        # A reverse relation or generic key has no column to compare or save.
        raise TypeError(f"{type(instance).__name__}.{name} is not a column")
    return field


def _current(instance: models.Model, name: str) -> Any:
    field = _column(instance, name)
    # Compare foreign keys by id: reading an unset relation raises.
    return getattr(instance, field.attname) if field.is_relation else getattr(instance, name)


def _comparable(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def set_m2m_if_changed(manager: ManyRelatedManager[_M, Any], objects: Iterable[_M]) -> bool:
    wanted = {obj.pk for obj in objects}
    if set(manager.values_list("pk", flat=True)) == wanted:
        return False
    manager.set(wanted)
    return True


# --- Roles ------------------------------------------------------------------


def unit_rights_ensure() -> None:
    """Create the permissions on units that the apps registered (run after every migrate, before the groups)."""
    content_type = ContentType.objects.get_for_model(Unit)
    for right in unit_rights():
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=right.codename, defaults={"name": str(right.name)[:255]}
        )
        save_if_changed(permission, name=str(right.name)[:255])


def roles_ensure_groups() -> None:
    """Create the role groups with their global rights (run after every migrate)."""
    # The apps whose rights the roles hold register themselves (parplan.registries).
    managed = Permission.objects.filter(content_type__app_label__in=role_apps())
    rights: dict[Role, models.QuerySet[Permission]] = {
        Role.ADMINISTRATOR: Permission.objects.none(),  # administrators are superusers
        Role.SECRETARIAT: managed,
        Role.STEERING: managed.filter(codename__startswith="view_"),
        Role.UNIT_HEAD: Permission.objects.none(),
        Role.UNIT_STAFF: Permission.objects.none(),
    }
    for role, permissions in rights.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        set_m2m_if_changed(group.permissions, permissions)


def unit_group(unit: Unit, role: Role) -> Group:
    """The group holding `unit`'s people in `role` (heads or staff)."""
    group, _ = Group.objects.get_or_create(name=f"unit-{unit.pk}-{role.value}")
    return group


def unit_groups(units: Iterable[Unit], roles: Iterable[Role] = UNIT_ROLES) -> list[Group]:
    return [unit_group(unit, role) for unit in units for role in roles]


# --- Units ------------------------------------------------------------------


def unit_kind_upsert(*, code: str, name: str, administrative_level: str = "") -> UnitKind:
    kind = UnitKind.objects.filter(code=code).first() or UnitKind(code=code)
    save_if_changed(kind, name=name, administrative_level=administrative_level)
    return kind


@transaction.atomic
def unit_upsert(*, code: str, name: str, kind: UnitKind, parent: Unit | None, position: int = 0) -> Unit:
    """Create or update a unit, keeping its path and its own-unit rights."""
    unit = Unit.objects.filter(code=code).first() or Unit(code=code)
    moved = unit.parent_id != (parent.pk if parent else None)
    path = f"{parent.path if parent else '/'}{code}/"
    old_path = unit.path
    save_if_changed(unit, name=name, kind=kind, parent=parent, position=position, path=path)
    if moved and old_path and old_path != path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    heads, staff = unit_group(unit, Role.UNIT_HEAD), unit_group(unit, Role.UNIT_STAFF)
    assign_perm("parplan.change_unit", heads, unit)
    groups = {Role.UNIT_HEAD.value: heads, Role.UNIT_STAFF.value: staff}
    for right in unit_rights():
        holders = [groups[role] for role in right.roles]
        if holders:
            assign_perm(f"parplan.{right.codename}", holders, unit)
    return unit


# --- Memberships ------------------------------------------------------------


@transaction.atomic
def membership_add(*, user: User, unit: Unit, role: Role | str) -> Membership:
    # The admin and forms hand over `Membership.role` as stored: a plain string.
    role = Role(role)
    membership, _ = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    user.groups.add(Group.objects.get(name=role.value))
    if role in UNIT_ROLES:
        user.groups.add(unit_group(unit, role))
    _sync_staff_flags(user, added=role)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership) -> None:
    user, unit, role = membership.user, membership.unit, Role(membership.role)
    membership.delete()
    remaining = Membership.objects.filter(user=user)
    if not remaining.filter(role=role).exists():
        user.groups.remove(Group.objects.get(name=role.value))
    if role in UNIT_ROLES:
        user.groups.remove(unit_group(unit, role))
    _sync_staff_flags(user, removed=role)


def _sync_staff_flags(user: User, added: Role | None = None, removed: Role | None = None) -> None:
    """The admin site is for the secretariat and administrators only.

    Superuser status follows the administrator role when that role changes; an
    account made superuser otherwise (`createsuperuser`) keeps it.
    """
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    is_superuser = user.is_superuser
    if added == Role.ADMINISTRATOR:
        is_superuser = True
    elif removed == Role.ADMINISTRATOR and Role.ADMINISTRATOR not in roles:
        is_superuser = False
    save_if_changed(
        user,
        is_staff=is_superuser or bool(roles & {Role.ADMINISTRATOR, Role.SECRETARIAT}),
        is_superuser=is_superuser,
    )


# --- Object rights on assignment ---------------------------------------------


def object_rights_sync(*, obj: models.Model, perm: str, groups: Iterable[Group]) -> None:
    """Make exactly `groups` hold `perm` on `obj`: grant the new, revoke the old."""
    from guardian.models import GroupObjectPermission

    wanted = {group.pk: group for group in groups}
    codename = perm.split(".", 1)[1]
    current = set(
        GroupObjectPermission.objects.filter(
            permission__codename=codename,
            content_type__app_label=obj._meta.app_label,
            object_pk=str(obj.pk),
        ).values_list("group_id", flat=True)
    )
    to_add = [wanted[pk] for pk in wanted.keys() - current]
    if to_add:
        assign_perm(perm, to_add, obj)
    for group in Group.objects.filter(pk__in=current - wanted.keys()):
        remove_perm(perm, group, obj)


@transaction.atomic
def unit_update_contact(*, unit: Unit, email: str, phone: str, address: str) -> Unit:
    save_if_changed(unit, email=email, phone=phone, address=address)
    return unit
