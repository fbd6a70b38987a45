"""Writes of the core domain: units, plans, areas, responsibilities, memberships and rights.

Rights are never granted by hand. A person's role is a Django group (global
rights: the secretariat changes everything, the steering committee reads
everything). A unit's heads and staff are also in two per-unit groups, and
object rights (django-guardian) are granted to those groups: so a change of
membership moves a person's rights with one group change, and an assignment
grants rights to whoever is in the unit now and later.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from parplan.access import ADMIN_SITE_ROLES, can_manage_membership
from parplan.audit import object_rights_granted, rights_changed_by
from parplan.events import plan_changed_on_commit
from parplan.i18n import site_language
from parplan.models import (
    PLAN_DETAILS,
    Membership,
    Plan,
    PlanStatus,
    ReformArea,
    Responsibility,
    Role,
    Unit,
    UnitKind,
)
from parplan.registries import role_apps, unit_rights, unit_successions

if TYPE_CHECKING:
    # Django builds the class of each many-to-many manager at run time.
    from django.db.models.fields.related_descriptors import ManyRelatedManager

_M = TypeVar("_M", bound=models.Model)

UNIT_ROLES = (Role.UNIT_HEAD, Role.UNIT_STAFF)


@dataclass(frozen=True)
class Saved(Generic[_M]):
    """What an edit service returns: the record, and whether the edit changed anything.

    A form saved as it was opened changes nothing; the page then says so
    ("Không có thay đổi nào để lưu.") rather than "Đã lưu".
    """

    record: _M
    changed: bool


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
    """The groups of `units` in `roles`, in that order, created where missing: two queries, not one per group.

    A task of a plan names every commune as coordinating: one query per (unit, role) was most of an import.
    """
    roles = tuple(roles)
    names = [f"unit-{unit.pk}-{role.value}" for unit in units for role in roles]
    found = {group.name: group for group in Group.objects.filter(name__in=names)}
    missing = [name for name in dict.fromkeys(names) if name not in found]
    if missing:
        # ignore_conflicts: another transaction may create the same group meanwhile (name is unique).
        Group.objects.bulk_create([Group(name=name) for name in missing], ignore_conflicts=True)
        found |= {group.name: group for group in Group.objects.filter(name__in=missing)}
    return [found[name] for name in names]


# --- Units ------------------------------------------------------------------


def unit_kind_upsert(*, code: str, name: str, administrative_level: str = "") -> UnitKind:
    kind = UnitKind.objects.filter(code=code).first() or UnitKind(code=code)
    save_if_changed(kind, name=name, administrative_level=administrative_level)
    return kind


def attribute_change(instance: models.Model, user: Any, reason: str) -> None:
    """Who and why, for the history record the next save writes (outside a request
    the history middleware knows nobody)."""
    # django-simple-history reads these two attributes at the next save; Model declares neither.
    if user is not None:
        setattr(instance, "_history_user", user)  # noqa: B010
    if reason:
        setattr(instance, "_change_reason", reason)  # noqa: B010


@transaction.atomic
def unit_upsert(
    *, code: str, name: str, kind: UnitKind, parent: Unit | None, position: int = 0, user: Any = None, reason: str = ""
) -> Unit:
    """Create or update the unit with this code, keeping its path and its own-unit rights."""
    unit = Unit.objects.filter(code=code).first()
    if unit is not None:
        return unit_update(
            unit=unit, code=code, name=name, kind=kind, parent=parent, position=position, user=user, reason=reason
        )
    unit = Unit(code=code)
    attribute_change(unit, user, reason)
    save_if_changed(unit, name=name, kind=kind, parent=parent, position=position, path=_path(code, parent))
    with rights_changed_by(user, reason):
        _grant_own_unit_rights(unit)
    _plans_above_changed(unit.path)
    return unit


@transaction.atomic
def unit_update(
    *,
    unit: Unit,
    code: str,
    name: str,
    kind: UnitKind,
    parent: Unit | None,
    position: int = 0,
    user: Any = None,
    reason: str = "",
) -> Unit:
    """Change the unit `unit` is (found by id, so its code may change too).

    A new code renames it and a new parent moves it: either way the paths of
    its whole subtree follow. Its rights are held by its id and stay.
    """
    current = Unit.objects.select_for_update().get(pk=unit.pk)
    parent = Unit.objects.get(pk=parent.pk) if parent is not None else None  # its stored path, not a stale copy
    if parent is not None and parent.path.startswith(current.path):
        message = _("Đơn vị cấp trên không được là chính đơn vị này hoặc một đơn vị trực thuộc nó.")
        raise ValidationError({"parent": [message]})
    if Unit.objects.filter(code=code).exclude(pk=current.pk).exists():
        raise ValidationError({"code": [_("Đã có đơn vị mã “%(code)s”.") % {"code": code}]})
    old_path, path = current.path, _path(code, parent)
    attribute_change(current, user, reason)
    if save_if_changed(current, code=code, name=name, kind=kind, parent=parent, position=position, path=path):
        _plans_above_changed(old_path, path)
    if old_path != path:
        for below in Unit.objects.filter(path__startswith=old_path).exclude(pk=current.pk):
            attribute_change(below, user, reason)
            save_if_changed(below, path=path + below.path[len(old_path) :])
    with rights_changed_by(user, reason):
        _grant_own_unit_rights(current)
    return current


@transaction.atomic
def unit_create(*, code: str, name: str, kind: UnitKind, parent: Unit | None, user: Any, reason: str = "") -> Unit:
    """A new unit (a ward formed, an office set up); its code must be new."""
    if Unit.objects.filter(code=code).exists():
        raise ValidationError(_("Đã có đơn vị mã “%(code)s”.") % {"code": code})
    if parent is not None and not parent.active:
        raise ValidationError(_("%(unit)s đã ngừng hoạt động: không thêm đơn vị trực thuộc được.") % {"unit": parent})
    return unit_upsert(code=code, name=name, kind=kind, parent=parent, user=user, reason=reason)


@dataclass(frozen=True)
class UnitsMerged:
    into: Unit
    ended: list[Unit]
    moved: dict[str, int]  # what was handed over, by what (tasks, indicators' scopes…)


@transaction.atomic
def units_merge(*, units: Iterable[Unit], into: Unit, on: datetime.date, user: Any, reason: str) -> UnitsMerged:
    """End `units` on `on`, handing their open work to `into` (two communes become one).

    What they finished, their figures and their history stay with them, under their names; their people
    keep reading it. Each app's open work moves through its registered `UnitSuccession`. Two people merging
    the same unit at once: the second finds it ended and is refused.
    """
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do (số, ngày văn bản sắp xếp đơn vị)."))
    ids = sorted({unit.pk for unit in units})
    # All rows locked in one query, in id order: two merges in opposite directions queue, never deadlock.
    locked = {unit.pk: unit for unit in Unit.objects.select_for_update().filter(pk__in=[*ids, into.pk]).order_by("pk")}
    ended = sorted((locked[pk] for pk in ids if pk in locked), key=lambda unit: unit.path)
    into = locked[into.pk]
    if not ended:
        raise ValidationError(_("Hãy chọn đơn vị được hợp nhất."))
    if into.pk in ids:
        raise ValidationError(_("Đơn vị hợp nhất vào không được là một trong các đơn vị bị hợp nhất."))
    if not into.active:
        raise ValidationError(_("%(unit)s đã ngừng hoạt động.") % {"unit": into})
    if gone := [unit.name for unit in ended if not unit.active]:
        raise ValidationError(_("Đã ngừng hoạt động từ trước: %(units)s.") % {"units": ", ".join(gone)})
    if into.path.startswith(tuple(unit.path for unit in ended)):
        raise ValidationError(_("Đơn vị hợp nhất vào không được nằm trong đơn vị bị hợp nhất."))
    moved: dict[str, int] = {}
    for unit in ended:
        for succession in unit_successions():
            count = succession.hand_over(unit, into, user, reason)
            moved[str(succession.label)] = moved.get(str(succession.label), 0) + count
        for responsibility in Responsibility.objects.filter(units=unit).exclude(plan__status=PlanStatus.CLOSED):
            responsibility.units.add(into)
        for child in unit.children.filter(active=True):
            # A merged commune's own offices now serve the unit it became.
            unit_update(unit=child, code=child.code, name=child.name, kind=child.kind, parent=into,
                        position=child.position, user=user, reason=reason)  # fmt: skip
        attribute_change(unit, user, reason)
        save_if_changed(unit, active=False, ended_on=on, merged_into=into)
        _plans_above_changed(unit.path)
    _plans_above_changed(into.path)
    return UnitsMerged(into=into, ended=ended, moved=moved)


@transaction.atomic
def unit_end(*, unit: Unit, on: datetime.date, user: Any, reason: str) -> Unit:
    """End a unit that leaves no open work behind (else: merge it, or hand its work over first)."""
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do (số, ngày văn bản)."))
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    if not unit.active:
        raise ValidationError(_("%(unit)s đã ngừng hoạt động từ trước.") % {"unit": unit})
    if unit.children.filter(active=True).exists():
        raise ValidationError(
            _("Đơn vị còn đơn vị trực thuộc đang hoạt động: chuyển hoặc cho ngừng các đơn vị đó trước.")
        )
    open_work = [(succession.label, succession.open_work(unit)) for succession in unit_successions()]
    if left := [f"{count} {label}" for label, count in open_work if count]:
        raise ValidationError(
            _("%(unit)s còn %(work)s chưa xong: giao lại hoặc hợp nhất đơn vị vào đơn vị khác.")
            % {"unit": unit, "work": ", ".join(left)}
        )
    attribute_change(unit, user, reason)
    save_if_changed(unit, active=False, ended_on=on)
    _plans_above_changed(unit.path)
    return unit


def _plans_above_changed(*paths: str) -> None:
    """Announce a change of a unit to every plan issued by it or a unit above it, once the change commits.

    The dashboard keeps the units' names, its ranking and its lists of units missing figures
    with each plan's board: without this they showed a renamed, moved or ended unit as it
    was until the board expired. `paths`: the unit's paths (a moved unit's old and new one).
    """
    above = {path[: end + 1] for path in paths for end, char in enumerate(path) if char == "/" and end}
    for plan_id in Plan.objects.filter(issuing_unit__path__in=above).order_by("pk").values_list("pk", flat=True):
        plan_changed_on_commit(plan_id)


def _path(code: str, parent: Unit | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


def _grant_own_unit_rights(unit: Unit) -> None:
    heads, staff = unit_group(unit, Role.UNIT_HEAD), unit_group(unit, Role.UNIT_STAFF)
    assign_perm("parplan.change_unit", heads, unit)
    groups = {Role.UNIT_HEAD.value: heads, Role.UNIT_STAFF.value: staff}
    for right in unit_rights():
        # One holder at a time: guardian grants a list with bulk_create, which the audit trail would not see.
        for role in right.roles:
            assign_perm(f"parplan.{right.codename}", groups[role], unit)


# --- Plans, areas, responsibilities -----------------------------------------


@transaction.atomic
def plan_upsert(
    *,
    issuing_unit: Unit,
    year: int,
    title: str,
    number: str = "",
    symbol: str = "KH-UBND",
    place: str = "",
    issue_date: datetime.date | None = None,
    legal_bases: str = "",
    purpose: str = "",
    requirements: str = "",
    status: str = PlanStatus.DRAFT,
    signer_name: str = "",
    signer_title: str = "",
    signing_authority: str = "",
    recipients: str = "",
    closing: str = "",
    user: Any = None,
    reason: str = "",
) -> Plan:
    """Create or update the issuer's plan of that year; unchanged fields write no history."""
    plan = Plan.objects.filter(issuing_unit=issuing_unit, year=year).first() or Plan(
        issuing_unit=issuing_unit, year=year
    )
    attribute_change(plan, user, reason)
    save_if_changed(
        plan, title=title, number=number, symbol=symbol, place=place, issue_date=issue_date, legal_bases=legal_bases,
        purpose=purpose, requirements=requirements, status=status, signer_name=signer_name,
        signer_title=signer_title, signing_authority=signing_authority, recipients=recipients, closing=closing,
    )  # fmt: skip
    return plan


def plan_change_reason_check(plan: Plan, reason: str) -> None:
    """An active plan is changed only with a reason (kept in its history); a closed one not at all."""
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("Kế hoạch đã kết thúc: không sửa được nữa."))
    if plan.status == PlanStatus.ACTIVE and not reason.strip():
        raise ValidationError(_("Kế hoạch đang thực hiện: hãy ghi lý do thay đổi (được lưu vào lịch sử)."))


@transaction.atomic
def plan_details_update(*, plan: Plan, user: Any, reason: str = "", **fields: Any) -> bool:
    """Change a plan's texts and signer (PLAN_DETAILS; never its issuer, year or status); whether anything changed."""
    if unknown := set(fields) - set(PLAN_DETAILS):
        raise TypeError(f"plan_details_update() does not change {sorted(unknown)}")
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    plan_change_reason_check(locked, reason)
    attribute_change(locked, user, reason)
    changed = save_if_changed(locked, **fields)
    plan_changed_on_commit(plan.pk)  # the dashboard's cached pages of the plan are stale
    return changed


@transaction.atomic
def plan_activate(*, plan: Plan, user: Any, reason: str = "") -> Plan:
    """Put a draft plan into force: units see it, figures are entered against it. Twice at once: one wins."""
    locked = Plan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError(_("Kế hoạch này không còn là dự thảo (có người vừa kích hoạt hoặc kết thúc nó)."))
    if not locked.areas.exists():
        raise ValidationError(_("Kế hoạch chưa có lĩnh vực nào: hãy thêm lĩnh vực, chỉ tiêu, nhiệm vụ trước."))
    with site_language():
        attribute_change(locked, user, reason or _("Kích hoạt kế hoạch"))
    save_if_changed(locked, status=PlanStatus.ACTIVE)
    plan_changed_on_commit(plan.pk)
    return locked


@transaction.atomic
def area_edit(
    *, plan: Plan, number: int | None, name: str, targets_heading: str, user: Any, reason: str = ""
) -> ReformArea:
    """Rename an area, or add one after the last (`number` None)."""
    plan_change_reason_check(Plan.objects.select_for_update().get(pk=plan.pk), reason)
    if number is None:
        number = (plan.areas.aggregate(last=models.Max("number"))["last"] or 0) + 1
    plan_changed_on_commit(plan.pk)
    return area_upsert(plan=plan, number=number, name=name, targets_heading=targets_heading, user=user, reason=reason)


@transaction.atomic
def responsibility_edit(
    *, plan: Plan, number: int | None, heading: str, text: str, units: Iterable[Unit], user: Any, reason: str = ""
) -> Responsibility:
    """Change who does what (part III), or add an item after the last (`number` None)."""
    plan_change_reason_check(Plan.objects.select_for_update().get(pk=plan.pk), reason)
    if number is None:
        number = (plan.responsibilities.aggregate(last=models.Max("number"))["last"] or 0) + 1
    plan_changed_on_commit(plan.pk)
    return responsibility_upsert(
        plan=plan, number=number, heading=heading, text=text, units=units, user=user, reason=reason
    )


@transaction.atomic
def area_upsert(
    *, plan: Plan, number: int, name: str, targets_heading: str = "Chỉ tiêu", user: Any = None, reason: str = ""
) -> ReformArea:
    area = ReformArea.objects.filter(plan=plan, number=number).first() or ReformArea(plan=plan, number=number)
    attribute_change(area, user, reason)
    save_if_changed(area, name=name, targets_heading=targets_heading)
    return area


@transaction.atomic
def area_delete(*, area: ReformArea, user: Any = None, reason: str = "") -> None:
    """Delete an area with everything in it (targets, tasks and what hangs on them).

    This app cannot see what the apps above keep in an area: a caller that may
    delete work checks first (the plan import refuses to without being told).
    """
    attribute_change(area, user, reason)
    area.delete()


@transaction.atomic
def responsibility_upsert(
    *,
    plan: Plan,
    number: int,
    heading: str,
    text: str,
    units: Iterable[Unit],
    user: Any = None,
    reason: str = "",
) -> Responsibility:
    responsibility = Responsibility.objects.filter(plan=plan, number=number).first() or Responsibility(
        plan=plan, number=number
    )
    attribute_change(responsibility, user, reason)
    save_if_changed(responsibility, heading=heading, text=text)
    set_m2m_if_changed(responsibility.units, units)
    return responsibility


@transaction.atomic
def responsibility_delete(*, responsibility: Responsibility, user: Any = None, reason: str = "") -> None:
    attribute_change(responsibility, user, reason)
    responsibility.delete()


# --- Memberships ------------------------------------------------------------


def _check_membership_right(actor: User | None, role: Role, unit: Unit) -> None:
    # `actor` None: a command or the demo, run by whoever runs the server.
    if actor is not None and not can_manage_membership(actor, role, unit):
        message = _("Chỉ quản trị hệ thống mới được giao hoặc thu hồi vai trò “%(role)s” tại %(unit)s.")
        raise PermissionDenied(message % {"role": role.label, "unit": unit.name})


@transaction.atomic
def membership_add(
    *, user: User, unit: Unit, role: Role | str, actor: User | None = None, reason: str = ""
) -> Membership:
    """Give `user` `role` in `unit`, as `actor` (who must be allowed to: parplan.access.can_manage_membership)."""
    # The admin and forms hand over `Membership.role` as stored: a plain string.
    role = Role(role)
    _check_membership_right(actor, role, unit)
    with rights_changed_by(actor, reason):
        membership = Membership.objects.filter(user=user, unit=unit, role=role).first()
        if membership is None:
            membership = Membership(user=user, unit=unit, role=role)
            attribute_change(membership, actor, reason)
            membership.save()
        user.groups.add(Group.objects.get(name=role.value))
        if role in UNIT_ROLES:
            user.groups.add(unit_group(unit, role))
        _sync_staff_flags(user, added=role)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, actor: User | None = None, reason: str = "") -> None:
    user, unit, role = membership.user, membership.unit, Role(membership.role)
    _check_membership_right(actor, role, unit)
    with rights_changed_by(actor, reason):
        attribute_change(membership, actor, reason)
        membership.delete()
        remaining = Membership.objects.filter(user=user)
        if not remaining.filter(role=role).exists():
            user.groups.remove(Group.objects.get(name=role.value))
        if role in UNIT_ROLES:
            user.groups.remove(unit_group(unit, role))
        _sync_staff_flags(user, removed=role)


def _sync_staff_flags(user: User, added: Role | None = None, removed: Role | None = None) -> None:
    """The admin site is for the secretariat and administrators only.

    Only a change of those two roles moves the flags: a unit role given or taken
    (by the secretariat) leaves an account's flags as an administrator set them.
    Superuser status follows the administrator role when that role changes; an
    account made superuser otherwise (`createsuperuser`) keeps it.
    """
    if added not in ADMIN_SITE_ROLES and removed not in ADMIN_SITE_ROLES:
        return
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    is_superuser = user.is_superuser
    if added == Role.ADMINISTRATOR:
        is_superuser = True
    elif removed == Role.ADMINISTRATOR and Role.ADMINISTRATOR not in roles:
        is_superuser = False
    save_if_changed(user, is_staff=is_superuser or bool(roles & ADMIN_SITE_ROLES), is_superuser=is_superuser)


# --- Object rights on assignment ---------------------------------------------


def object_rights_sync(*, obj: models.Model, perm: str, groups: Iterable[Group], user: Any = None) -> None:
    """Make exactly `groups` hold `perm` on `obj`: grant the new, revoke the old (recorded as `user`'s)."""
    with rights_changed_by(user):
        _object_rights_sync(obj, perm, groups)


def _object_rights_sync(obj: models.Model, perm: str, groups: Iterable[Group]) -> None:
    from guardian.models import GroupObjectPermission

    wanted = {group.pk: group for group in groups}
    content_type = ContentType.objects.get_for_model(obj)
    permission = Permission.objects.get(content_type=content_type, codename=perm.split(".", 1)[1])
    # By the ids, not by app label and codename through joins: the index on (content type, object) serves it.
    current = set(
        GroupObjectPermission.objects.filter(
            permission=permission, content_type=content_type, object_pk=str(obj.pk)
        ).values_list("group_id", flat=True)
    )
    new = sorted(wanted.keys() - current)
    if new:
        # One insert for every new holder (a plan's import grants thousands; one by one it took most of
        # the import), recorded in the audit trail here: bulk_create sends no post_save. The caller holds
        # the object's row lock, so no one grants the same right meanwhile.
        granted = GroupObjectPermission.objects.bulk_create(
            GroupObjectPermission(
                group=wanted[pk], permission=permission, content_type=content_type, object_pk=str(obj.pk)
            )
            for pk in new
        )
        object_rights_granted(granted)
    for group in Group.objects.filter(pk__in=current - wanted.keys()):
        remove_perm(perm, group, obj)


@transaction.atomic
def unit_update_contact(*, unit: Unit, email: str, phone: str, address: str) -> Saved[Unit]:
    return Saved(unit, save_if_changed(unit, email=email, phone=phone, address=address))
