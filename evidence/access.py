"""Access to one evidence file, checked in one place: the rules its owner's app registered (evidence.owners)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from evidence.models import Evidence
from evidence.owners import EvidenceOwner, owner_rules


@dataclass(frozen=True)
class OwnedEvidence:
    evidence: Evidence
    owner: Any
    rules: EvidenceOwner


def get_evidence_for_user(user: User, pk: int, perm: Literal["view", "remove"] = "view") -> OwnedEvidence:
    """The file if `user` may open it (404 otherwise: not even its name is confirmed);
    `perm` "remove" also needs the owner's right to remove it (403 otherwise).

    Whether the owner still lets its files go (not yet sent or approved) is the
    removal's own check (`evidence_remove`), made under the owner's row lock.
    """
    evidence = Evidence.objects.select_related("owner_type").filter(pk=pk).first()
    rules = owner_rules(evidence.owner_type.model_class()) if evidence is not None else None
    owner = rules.load(evidence.owner_id, False) if evidence is not None and rules is not None else None
    if evidence is None or rules is None or owner is None or not rules.can_view(user, owner):
        raise Http404
    if perm == "remove" and not rules.can_remove(user, owner):
        raise PermissionDenied
    return OwnedEvidence(evidence, owner, rules)
