"""Writes for plan documents: keep an upload as a draft, save the review's corrections, confirm.

Nothing of the plan is written before `plan_document_confirm`; it creates the
plan in one transaction through `plan_import` (the same services, history and
rights as a plan file), then links the document to it as its source file.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from parplan.models import Plan, Unit
from planio.documents.drafting import ReadDocument
from planio.interchange import plan_import
from planio.models import PlanDocument


class StaleReview(Exception):
    """Someone else saved this review since it was opened."""


def plan_document_store(*, content: bytes, name: str, read: ReadDocument, by: Any) -> PlanDocument:
    """Keep an upload and what was read from it, for review; no plan is written."""
    data = read.data
    document = PlanDocument(
        original_name=name[:255],
        size=len(content),
        issuer_id=_issuer_id(data),
        year=data["plan"]["year"],
        data=data,
        blocks=[_block(block) for block in read.blocks],
        uploaded_by=by,
    )
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def plan_document_revise(*, document: PlanDocument, data: dict[str, Any], version: int) -> PlanDocument:
    """Save the review's corrections; raises StaleReview if another reviewer saved first."""
    with transaction.atomic():
        saved = (
            PlanDocument.objects.drafts().filter(pk=document.pk, version=version).update(data=data, version=version + 1)
        )
    if not saved:
        raise StaleReview
    document.refresh_from_db()
    return document


def plan_document_confirm(*, document: PlanDocument, by: Any, version: int | None = None) -> Plan:
    """Create the draft plan the review agreed on; the document becomes its source file.

    Raises ValidationError when the document was confirmed already (a second
    click, another reviewer) or the issuer already has a plan for the year, and
    PlanImportError when the corrected draft is not a valid plan.
    """
    with transaction.atomic():
        locked = PlanDocument.objects.select_for_update().get(pk=document.pk)
        if locked.plan_id is not None or locked.confirmed_at is not None:
            raise ValidationError(_("Văn bản này đã được xác nhận thành kế hoạch."))
        if version is not None and locked.version != version:
            raise StaleReview  # another reviewer saved between this one's save and confirmation
        # The issuer's row is the lock: two documents of one issuer confirmed at once create one plan, not
        # one plan then an import over it. By id: a unit recoded since the upload is the same unit.
        issuer = Unit.objects.select_for_update().get(pk=locked.issuer_id)
        _refuse_existing_plan(issuer, locked.year)
        data = {key: value for key, value in locked.data.items() if key not in ("warnings",)}
        data["plan"] = {**data["plan"], "issuing_unit": issuer.code, "year": locked.year}
        plan = plan_import(data, user=by)
        locked.plan, locked.confirmed_by, locked.confirmed_at = plan, by, timezone.now()
        locked.save(update_fields=["plan", "confirmed_by", "confirmed_at"])
    document.refresh_from_db()
    return plan


def plan_document_keep(*, content: bytes, name: str, read: ReadDocument, by: Any) -> PlanDocument:
    """Store and confirm at once (the command line, where there is no review screen)."""
    _refuse_existing_plan(Unit.objects.get(code=read.data["plan"]["issuing_unit"]), read.data["plan"]["year"])
    with transaction.atomic():
        document = plan_document_store(content=content, name=name, read=read, by=by)
        plan_document_confirm(document=document, by=by)
    return document


def _refuse_existing_plan(issuer: Unit, year: int) -> None:
    if Plan.objects.filter(issuing_unit=issuer, year=year).exists():
        raise ValidationError(
            _("Cơ quan này đã có kế hoạch năm %(year)s: văn bản không được nhập đè lên kế hoạch đã có.")
            % {"year": year}
        )


def _issuer_id(data: dict[str, Any]) -> int:
    return Unit.objects.only("pk").get(code=data["plan"]["issuing_unit"]).pk


def _block(block: Any) -> dict[str, Any]:
    fields = asdict(block)
    fields["rows"] = [list(row) for row in fields["rows"]]
    return fields
