"""Who reads plans from documents: the secretariat of the issuing authority (and administrators).

One place per object: `documents_for` is every read, `get_document_for_user` every
page of one document. Rights are the role's (parplan.access), over the issuer's subtree.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from parplan.access import SERVING_KINDS, scope_filter
from parplan.models import Unit
from planio.models import PlanDocument, PlanDocumentQuerySet

UPLOAD = "planio.add_plandocument"
REVIEW = "planio.change_plandocument"
START = "parplan.add_plan"


def document_issuers(user: User, perm: str = UPLOAD) -> list[Unit]:
    """The units `user` may read a plan document (or start a plan) for: issuing units in their authority's subtrees."""
    units = Unit.objects.current().exclude(kind__code__in=SERVING_KINDS).select_related("kind")
    scope = scope_filter(user, perm, "path")
    return list((units if scope is None else units.filter(scope)).order_by("path"))


def documents_for(user: User) -> PlanDocumentQuerySet:
    scope = scope_filter(user, REVIEW, "issuer__path")
    documents = PlanDocument.objects.all()
    return documents if scope is None else documents.filter(scope)


def get_document_for_user(user: User, pk: int) -> PlanDocument:
    """The document if `user` reviews documents of its issuer; 404 otherwise (its existence is not told)."""
    return get_object_or_404(documents_for(user).select_related("issuer__kind", "plan"), pk=pk)


def require_upload_right(user: User, perm: str = UPLOAD) -> list[Unit]:
    issuers = document_issuers(user, perm)
    if not issuers:
        raise PermissionDenied
    return issuers
