"""Celery jobs for dossier statistics: thin wrappers around dossiers.services."""

from __future__ import annotations

from celery import shared_task

from dossiers.models import DossierImport
from dossiers.services import dossier_import_check_run, dossier_import_run


@shared_task
def import_dossiers(batch_id: int) -> str:
    """Idempotent: an import already done (or failed) is left as it is."""
    batch = DossierImport.objects.filter(pk=batch_id).first()
    if batch is None:
        return f"dossier import {batch_id} is gone"
    batch = dossier_import_run(batch=batch)
    return f"{batch}: {batch.state} ({batch.done_rows} rows)"


@shared_task
def check_dossiers(batch_id: int) -> str:
    """Idempotent: a file already checked is left as it is."""
    batch = DossierImport.objects.filter(pk=batch_id).first()
    if batch is None:
        return f"dossier import {batch_id} is gone"
    batch = dossier_import_check_run(batch=batch)
    return f"{batch}: {batch.state} ({batch.row_count} rows)"
