"""Who may open and remove an owner's evidence: the owner's app says, in its AppConfig.ready().

This app sits below the apps whose records own evidence (targets, tasks, later
inspections…) and cannot import their access rules, so each of them registers
its owner model with the functions that decide, built on its own access checks
(docs/files.md). An owner model nobody registered is denied to everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import models


@dataclass(frozen=True)
class EvidenceOwner:
    """The rules for one owner model's evidence.

    - `load(pk, for_update)`: the owner with what the other functions read
      (None when it is gone); with `for_update`, its row (or the row its workflow
      locks) is locked, so an approval cannot slip between the check and a removal.
    - `can_view(user, owner)`: who may open its files.
    - `can_remove(user, owner)`: who may remove them while they can be removed.
    - `frozen(owner)`: why its files can no longer be removed (in Vietnamese), or None.
    - `page(owner)`: where the person goes back to after a removal.
    """

    load: Callable[[int, bool], Any]
    can_view: Callable[[User, Any], bool]
    can_remove: Callable[[User, Any], bool]
    frozen: Callable[[Any], str | None]
    page: Callable[[Any], str]


_OWNERS: dict[type[models.Model], EvidenceOwner] = {}


def register_owner(model: type[models.Model], owner: EvidenceOwner) -> None:
    _OWNERS[model] = owner


def owner_rules(model: type[models.Model] | None) -> EvidenceOwner | None:
    """The registered rules for `model`, or None: then nobody opens or removes its files."""
    return _OWNERS.get(model) if model is not None else None
