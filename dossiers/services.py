"""Writes of dossier statistics: a file checked, then imported whole or not at all; name mappings."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from dossiers.arithmetic import arithmetic_problems
from dossiers.indicators import DOSSIER_SOURCES
from dossiers.layout import unit_name_key
from dossiers.models import COUNTS, DossierImport, DossierMonth, ImportState, UnitNameMapping
from dossiers.reading import CheckResult, ParsedRow, check_file, spool_path, valid_rows
from parplan.bulk_writes import rows_update
from parplan.jobs import enqueue_on_commit
from parplan.models import Plan, Unit
from targets.models import Indicator
from targets.services import indicator_mark_for_evaluation

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".xlsx", ".csv")
# Rows written per statement: big enough to be fast, small enough that memory stays flat.
WRITE_CHUNK = 2000


def _progress_key(batch_id: int) -> str:
    return f"dossier-import-progress-{batch_id}"


def import_progress(batch: DossierImport) -> int:
    """Percent done: the rows are written in one transaction, so its progress is told through the cache."""
    if batch.state == ImportState.IMPORTED:
        return 100
    done = cache.get(_progress_key(batch.pk))
    return int(done * 100 // batch.row_count) if done and batch.row_count else 0


def _upload_check(upload: UploadedFile) -> None:
    name = (upload.name or "").lower()
    if not name.endswith(ALLOWED_SUFFIXES):
        raise ValidationError({"file": [_("Chỉ nhận tệp .xlsx hoặc .csv.")]})
    if upload.size and upload.size > settings.PARPLAN_DOSSIER_UPLOAD_MAX_BYTES:
        limit = settings.PARPLAN_DOSSIER_UPLOAD_MAX_BYTES // (1024 * 1024)
        raise ValidationError({"file": [_("Tệp lớn hơn %(mb)d MB.") % {"mb": limit}]})


def dossier_import_check(
    *, plan: Plan, upload: UploadedFile, user: User | None, default_month: datetime.date | None = None,
    inline: bool = False,
) -> tuple[DossierImport, CheckResult | None]:  # fmt: skip
    """Keep the file and check every row of it; nothing of it is imported yet (see `dossier_import_confirm`).

    A large file is checked by a background job (no result yet: None); its page shows the rows read.
    `inline` (the command, the bench: already out of any request): always here and now.
    """
    _upload_check(upload)
    batch = DossierImport(
        plan=plan, file_name=Path(upload.name or "").name, default_month=default_month, uploaded_by=user,
        state=ImportState.CHECKED,
    )  # fmt: skip
    batch.file.save(batch.file_name, upload, save=False)
    if not inline and (upload.size or 0) > settings.PARPLAN_DOSSIER_INLINE_CHECK_BYTES:
        # A 60,000-row .xlsx takes 45 s to read: longer than a page may wait (the proxy gives up at 60 s).
        batch.state = ImportState.CHECKING
        batch.save()
        enqueue_on_commit("dossiers.tasks.check_dossiers", batch.pk, key=f"check-dossiers-{batch.pk}")
        return batch, None
    path = Path(batch.file.path)
    result = check_file(plan, path, batch.file_name, default_month, spool=spool_path(path))
    _check_keep(batch, result)
    batch.save()
    return batch, result


# A background check is tried this many times (a worker lost mid-file puts its job back) before it is given up.
_CHECK_ATTEMPTS = 3


def dossier_import_check_run(*, batch: DossierImport) -> DossierImport:
    """The background check of a large file (`dossier_import_check`): its rows counted as they are read.

    The file is read outside any transaction (45 s for 60,000 rows, no lock held meanwhile) by the one
    run that claims it; its result is written only while the import is still "checking". A run that
    fails, or the third attempt after lost workers, leaves the import refused with a line saying so,
    never "checking" for good.
    """
    batch = DossierImport.objects.select_related("plan__issuing_unit").get(pk=batch.pk)
    claim = check_claim_key(batch.pk)
    if batch.state != ImportState.CHECKING or not cache.add(claim, 1, settings.PARPLAN_JOB_VISIBILITY_SECONDS):
        return batch  # a job delivered twice: the first run checked it, or is checking it
    try:
        attempts = int(cache.get(check_attempts_key(batch.pk)) or 0) + 1
        cache.set(check_attempts_key(batch.pk), attempts, 86400)
        if attempts > _CHECK_ATTEMPTS:
            return _check_failed(batch)
        path = Path(batch.file.path)
        try:
            result = check_file(batch.plan, path, batch.file_name, batch.default_month, spool=spool_path(path),
                                progress=lambda rows: cache.set(_check_progress_key(batch.pk), rows, 3600))  # fmt: skip
        except Exception:
            logger.exception("dossier import %s: the check failed", batch.pk)
            return _check_failed(batch)
        _check_keep(batch, result)
        DossierImport.objects.filter(pk=batch.pk, state=ImportState.CHECKING).update(
            row_count=batch.row_count, errors=batch.errors, check_summary=batch.check_summary, state=batch.state
        )
    finally:
        cache.delete(claim)
    batch.refresh_from_db()
    return batch


def _check_failed(batch: DossierImport) -> DossierImport:
    """The import refused with one line for the whole file; the cause is in the log, not on the page."""
    message = _("Không kiểm tra được tệp (tệp hỏng, hoặc máy chủ gặp sự cố khi đọc): hãy tải tệp lên lại.")
    failed = CheckResult()
    failed.add(0, "", message)
    DossierImport.objects.filter(pk=batch.pk, state=ImportState.CHECKING).update(
        state=ImportState.INVALID, errors=[e.as_dict() for e in failed.errors], check_summary=failed.summary()
    )
    batch.refresh_from_db()
    return batch


def _check_progress_key(batch_id: int) -> str:
    return f"dossier-check-progress-{batch_id}"


def check_claim_key(batch_id: int) -> str:
    """The cache key the one run checking an import holds while it reads the file."""
    return f"dossier-check-claim-{batch_id}"


def check_attempts_key(batch_id: int) -> str:
    """The cache key counting the runs that started checking an import (lost workers included)."""
    return f"dossier-check-attempts-{batch_id}"


def check_progress(batch: DossierImport) -> int:
    """The rows a background check has read so far."""
    return int(cache.get(_check_progress_key(batch.pk)) or 0) if batch.state == ImportState.CHECKING else 0


def dossier_import_recheck(*, batch: DossierImport, save: bool = False) -> CheckResult | None:
    """Check the kept file again: for its preview page, or (`save`) after name mappings were saved.

    Saved, a large file is checked again by the background job (None).
    """
    path = Path(batch.file.path)
    saving = save and batch.state in (ImportState.CHECKED, ImportState.INVALID)
    if saving and path.stat().st_size > settings.PARPLAN_DOSSIER_INLINE_CHECK_BYTES:
        # Only from a state that waits for a person: a confirm meanwhile (another tab) keeps its import.
        waiting = DossierImport.objects.filter(pk=batch.pk, state__in=(ImportState.CHECKED, ImportState.INVALID))
        if waiting.update(state=ImportState.CHECKING):
            batch.state = ImportState.CHECKING
            cache.delete(_check_progress_key(batch.pk))
            cache.delete(check_attempts_key(batch.pk))
            enqueue_on_commit("dossiers.tasks.check_dossiers", batch.pk)  # no key: the first check's job had it
        return None
    # Saved, the check's spool is written again: a name mapped since changes the rows' units.
    result = check_file(
        batch.plan, path, batch.file_name, batch.default_month, spool=spool_path(path) if saving else None
    )
    if saving:
        _check_keep(batch, result)
        batch.save(update_fields=["row_count", "errors", "check_summary", "state"])
    return result


def _check_keep(batch: DossierImport, result: CheckResult) -> None:
    batch.row_count = result.row_count
    batch.errors = [error.as_dict() for error in result.errors]
    batch.check_summary = result.summary()
    batch.state = ImportState.CHECKED if result.ok else ImportState.INVALID


def dossier_import_result(batch: DossierImport) -> CheckResult | None:
    """The check of a file waiting for confirmation, or refused, as kept: None once it is imported or running.

    A 60,000-row .xlsx takes some 20 s to check: its page must not check it again on every visit.
    An import checked before the check was kept is checked once more and keeps it from then on.
    """
    if batch.state not in (ImportState.CHECKED, ImportState.INVALID):
        return None
    if not batch.check_summary:
        return dossier_import_recheck(batch=batch)  # checked before the result was kept: read, not written
    return CheckResult.from_summary(batch.row_count, batch.errors, batch.check_summary)


def dossier_import_confirm(*, batch: DossierImport, inline: bool = False) -> DossierImport:
    """Import a checked file: at once when it is small (or `inline`), as a background job when it is large."""
    with transaction.atomic():
        batch = DossierImport.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportState.CHECKED:
            message = _("Tệp này không còn chờ xác nhận (%(state)s).")
            raise ValidationError(message % {"state": batch.get_state_display()})
        batch.state = ImportState.RUNNING
        batch.save(update_fields=["state"])
        if not inline and batch.row_count > settings.PARPLAN_DOSSIER_INLINE_ROWS:
            enqueue_on_commit("dossiers.tasks.import_dossiers", batch.pk, key=f"import-dossiers-{batch.pk}")
            return batch
    # Outside the claim's transaction: a failed import rolls its rows back but stays marked "failed".
    return dossier_import_run(batch=batch)


def dossier_import_run(*, batch: DossierImport) -> DossierImport:
    """Write every row of the file in one transaction, or none; a failure leaves the import "failed"."""
    batch = DossierImport.objects.select_related("plan__issuing_unit", "uploaded_by").get(pk=batch.pk)
    if batch.state != ImportState.RUNNING:
        return batch  # a job delivered twice: the first run imported it, or it failed and was not retried
    try:
        written = _rows_write(batch)
    except Exception as error:
        # The transaction rolled back: nothing of the file is imported.
        DossierImport.objects.filter(pk=batch.pk).update(
            state=ImportState.FAILED, errors=[{"row": 0, "column": "", "message": f"{type(error).__name__}: {error}"}]
        )
        raise
    batch.refresh_from_db()
    batch.done_rows = written
    return batch


def _rows_write(batch: DossierImport) -> int:
    path = Path(batch.file.path)
    written = _rows_save(batch, valid_rows(batch.plan, path, batch.file_name, batch.default_month))
    spool_path(path).unlink(missing_ok=True)  # imported: the kept file is the record, the spool is done
    return written


@transaction.atomic
def dossier_rows_import(*, plan: Plan, rows: Iterable[ParsedRow], source: str, user: User | None) -> DossierImport:
    """Import rows read elsewhere (the demo, a script) as one import named `source`: checked, then all or none.

    The rows are checked as a file's are, except that units and months come as ids and dates.
    """
    rows = list(rows)
    problems = [(row.row, key, message) for row in rows for key, message in _row_problems(plan, row)]
    if problems:
        raise ValidationError([f"{row}: {key}: {message}" for row, key, message in problems])
    batch = DossierImport.objects.create(
        plan=plan, file_name=source, state=ImportState.RUNNING, row_count=len(rows), uploaded_by=user
    )
    _rows_save(batch, iter(rows))
    batch.refresh_from_db()
    return batch


def _row_problems(plan: Plan, row: ParsedRow) -> list[tuple[str, str]]:
    problems = arithmetic_problems(row.counts, received_total=None, resolved_total=None)
    if row.month.year != plan.year or row.month.day != 1:
        problems.append(("month", _("Tháng %(month)s ngoài năm của kế hoạch.") % {"month": f"{row.month:%m/%Y}"}))
    if any(value is not None and value < 0 for value in row.counts.values()):
        problems.append(("counts", _("Số âm: số hồ sơ không được âm.")))
    return problems


@transaction.atomic
def _rows_save(batch: DossierImport, rows: Iterator[ParsedRow]) -> int:
    reason = _("Nhập từ tệp %(name)s") % {"name": batch.file_name}
    written = 0
    for chunk in _chunks(rows, WRITE_CHUNK):
        _chunk_write(chunk, batch, reason)
        written += len(chunk)
        cache.set(_progress_key(batch.pk), written, timeout=3600)
    DossierImport.objects.filter(pk=batch.pk).update(
        state=ImportState.IMPORTED, done_rows=written, imported_at=timezone.now()
    )
    # The figures and statuses computed from the rows follow at the next sweep (a minute or two).
    indicators = Indicator.objects.of_plan(batch.plan).filter(source__in=DOSSIER_SOURCES)
    for indicator_id in indicators.values_list("pk", flat=True):
        indicator_mark_for_evaluation(indicator_id=indicator_id, plan_id=batch.plan_id)
    return written


def _chunks(rows: Iterator[ParsedRow], size: int) -> Iterator[list[ParsedRow]]:
    while chunk := list(islice(rows, size)):
        yield chunk


def _chunk_write(chunk: list[ParsedRow], batch: DossierImport, reason: str) -> None:
    """A re-imported month replaces the unit's row (its old counts stay in the history), never a second row."""
    existing = {
        (row.unit_id, row.month): row
        for row in DossierMonth.objects.select_for_update().filter(
            unit_id__in={r.unit_id for r in chunk}, month__in={r.month for r in chunk}
        )
    }
    new, changed = [], []
    for parsed in chunk:
        row = existing.get((parsed.unit_id, parsed.month))
        if row is None:
            new.append(DossierMonth(unit_id=parsed.unit_id, month=parsed.month, batch=batch, **parsed.counts))
            continue
        for key, value in parsed.counts.items():
            setattr(row, key, value)
        row.batch = batch
        changed.append(row)
    user = batch.uploaded_by
    if new:
        bulk_create_with_history(new, DossierMonth, batch_size=WRITE_CHUNK, default_user=user,
                                 default_change_reason=reason)  # fmt: skip
    if changed:
        # simple_history's bulk_update_with_history, with the update linear in the rows (parplan.bulk_writes).
        rows_update(DossierMonth, changed, [*COUNTS, "batch"])
        DossierMonth.history.bulk_history_create(changed, batch_size=WRITE_CHUNK, update=True, default_user=user,
                                                 default_change_reason=reason)  # fmt: skip


@transaction.atomic
def unit_mappings_save(*, plan: Plan, names: Iterable[tuple[str, Unit]]) -> int:
    """Remember that the one-stop system's `name` means `unit`, for this authority's next files."""
    issuer = plan.issuing_unit
    saved = 0
    for name, unit in names:
        if not Unit.objects.below(issuer).filter(pk=unit.pk).exists():
            raise ValidationError(_("“%(unit)s” không thuộc cơ quan ban hành kế hoạch.") % {"unit": unit})
        UnitNameMapping.objects.update_or_create(authority=issuer, name=unit_name_key(name), defaults={"unit": unit})
        saved += 1
    return saved
