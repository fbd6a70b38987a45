"""The trail of every change of rights: accounts, their flags, groups, global and object rights.

Why receivers, when the house writes through services: an audit trail must hold
whatever made the change (the admin's user and group forms, a service, a
command in a shell), and Django tells of every such change by a signal, as
django-simple-history relies on for the models' histories. The receivers only
record; they decide nothing. Writes that skip the signals are avoided in the
services (`assign_perm` is called per holder: guardian's list form is a
`bulk_create`).

Who and why: `rights_changed_by(actor, reason)` around the change (the admin and
the membership services); otherwise the request's user as the history
middleware saw it; otherwise nobody (a command, a migration).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalRecords

from parplan.models import RightsChange, RightsChangeKind

_CURRENT: ContextVar[tuple[Any, str] | None] = ContextVar("parplan_rights_actor", default=None)
_FLAGS = {
    "is_superuser": RightsChangeKind.SUPERUSER,
    "is_staff": RightsChangeKind.STAFF,
    "is_active": RightsChangeKind.ACTIVE,
}
_BEFORE = "_parplan_flags_before"


@contextmanager
def rights_changed_by(actor: Any, reason: str = "") -> Iterator[None]:
    """Changes of rights made inside are recorded as `actor`'s (None: the request's person), for `reason`."""
    token = _CURRENT.set((actor, reason))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def _actor_and_reason() -> tuple[str, str]:
    actor, reason = _CURRENT.get() or (None, "")
    if actor is None:  # nobody named: the request's person, when there is a request
        request = getattr(HistoricalRecords.context, "request", None)
        actor = getattr(request, "user", None)
    name = actor.get_username() if actor is not None and actor.is_authenticated else ""
    return name, reason


def _record(changes: Iterable[dict[str, Any]]) -> None:
    actor, reason = _actor_and_reason()
    RightsChange.objects.bulk_create(RightsChange(actor=actor, reason=reason, **change) for change in changes)


# --- Accounts and their flags -------------------------------------------------


def _flags_before(sender: type[User], instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    # A login saves last_login only: no flag can change, no query is spent.
    if instance._state.adding or (update_fields is not None and not set(update_fields) & _FLAGS.keys()):
        return
    before = User.objects.filter(pk=instance.pk).values(*_FLAGS).first()
    setattr(instance, _BEFORE, before)


def _flags_after(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    before: dict[str, bool] | None = instance.__dict__.pop(_BEFORE, None)
    person = instance.get_username()
    changes = [{"kind": RightsChangeKind.ACCOUNT, "granted": True, "person": person}] if created else []
    if created or before is not None:
        was = before or {"is_superuser": False, "is_staff": False, "is_active": False}
        changes += [
            {"kind": kind, "granted": getattr(instance, flag), "person": person}
            for flag, kind in _FLAGS.items()
            if getattr(instance, flag) != was[flag] and not (created and flag == "is_active")
        ]
    _record(changes)


def _account_deleted(sender: type[User], instance: User, **kwargs: Any) -> None:
    _record([{"kind": RightsChangeKind.ACCOUNT, "granted": False, "person": instance.get_username()}])


# --- Groups and global rights -------------------------------------------------


def _permission_names(pks: Iterable[int]) -> dict[int, str]:
    rows = Permission.objects.filter(pk__in=pks).values_list("pk", "content_type__app_label", "codename")
    return {pk: f"{app_label}.{codename}" for pk, app_label, codename in rows}


def _pairs(instance: Model, action: str, pk_set: set[int] | None, field: str) -> set[Any] | None:
    """The pks on the other side of the relation that the change touches (None: no change to record)."""
    if action == "pre_clear":
        return set(getattr(instance, field).values_list("pk", flat=True))
    if action in ("post_add", "post_remove"):
        return set(pk_set or ())
    return None


def _groups_changed(
    sender: Any, instance: Model, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    other = _pairs(instance, action, pk_set, "user_set" if reverse else "groups")
    if not other:
        return
    granted = action == "post_add"
    if reverse:  # group.user_set.add(…)
        names = User.objects.filter(pk__in=other).values_list("username", flat=True)
        pairs = [(name, str(instance)) for name in names]
    else:
        groups = Group.objects.filter(pk__in=other).values_list("name", flat=True)
        pairs = [(instance.get_username(), name) for name in groups]  # type: ignore[attr-defined]
    _record({"kind": RightsChangeKind.GROUP, "granted": granted, "person": p, "group": g} for p, g in pairs)


def _user_permissions_changed(
    sender: Any, instance: Model, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    other = _pairs(instance, action, pk_set, "user_set" if reverse else "user_permissions")
    if not other:
        return
    granted = action == "post_add"
    if reverse:  # permission.user_set.add(…)
        permission = _permission_names([instance.pk])[instance.pk]
        names = User.objects.filter(pk__in=other).values_list("username", flat=True)
        pairs = [(name, permission) for name in names]
    else:
        pairs = [(instance.get_username(), name) for name in _permission_names(other).values()]  # type: ignore[attr-defined]
    _record({"kind": RightsChangeKind.PERMISSION, "granted": granted, "person": p, "permission": r} for p, r in pairs)


def _group_permissions_changed(
    sender: Any, instance: Model, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    other = _pairs(instance, action, pk_set, "group_set" if reverse else "permissions")
    if not other:
        return
    granted = action == "post_add"
    if reverse:  # permission.group_set.add(…)
        permission = _permission_names([instance.pk])[instance.pk]
        pairs = [(name, permission) for name in Group.objects.filter(pk__in=other).values_list("name", flat=True)]
    else:
        pairs = [(str(instance), name) for name in _permission_names(other).values()]
    _record({"kind": RightsChangeKind.PERMISSION, "granted": granted, "group": g, "permission": r} for g, r in pairs)


# --- Object rights (django-guardian) -----------------------------------------


def _object_right(instance: Any) -> dict[str, Any]:
    content_type = ContentType.objects.get_for_id(instance.content_type_id)  # cached by Django
    right = {
        "kind": RightsChangeKind.OBJECT_PERMISSION,
        "permission": f"{content_type.app_label}.{instance.permission.codename}",
        "object_type": f"{content_type.app_label}.{content_type.model}",
        "object_pk": str(instance.object_pk),
    }
    if hasattr(instance, "group_id"):
        right["group"] = instance.group.name
    else:
        right["person"] = instance.user.get_username()
    return right


def object_rights_granted(instances: Iterable[Any]) -> None:
    """Record object rights granted in bulk (`bulk_create` sends no post_save for the handler below)."""
    _record([{**_object_right(instance), "granted": True} for instance in instances])


def _object_right_granted(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        _record([{**_object_right(instance), "granted": True}])


def _object_right_revoked(sender: Any, instance: Any, **kwargs: Any) -> None:
    _record([{**_object_right(instance), "granted": False}])


def connect() -> None:
    """Listen to every change of rights (ParplanConfig.ready)."""
    from guardian.models import GroupObjectPermission, UserObjectPermission

    pre_save.connect(_flags_before, sender=User, dispatch_uid="parplan-audit-flags-before")
    post_save.connect(_flags_after, sender=User, dispatch_uid="parplan-audit-flags-after")
    post_delete.connect(_account_deleted, sender=User, dispatch_uid="parplan-audit-account-deleted")
    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="parplan-audit-groups")
    m2m_changed.connect(
        _user_permissions_changed, sender=User.user_permissions.through, dispatch_uid="parplan-audit-user-perms"
    )
    m2m_changed.connect(
        _group_permissions_changed, sender=Group.permissions.through, dispatch_uid="parplan-audit-group-perms"
    )
    for model in (GroupObjectPermission, UserObjectPermission):
        post_save.connect(_object_right_granted, sender=model, dispatch_uid=f"parplan-audit-{model.__name__}-save")
        post_delete.connect(_object_right_revoked, sender=model, dispatch_uid=f"parplan-audit-{model.__name__}-del")
