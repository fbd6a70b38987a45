"""The writes of evidence files, for every kind of owner: attaching and removing."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from evidence.models import Evidence
from evidence.owners import owner_rules
from evidence.uploads import ALLOWED_EXTENSIONS, object_limit_problem, original_name, safe_filename, upload_size


@transaction.atomic
def evidence_attach(
    *, owner: models.Model, uploads: Sequence[UploadedFile], names: Sequence[str], user: Any
) -> list[Evidence]:
    """Store `uploads` as `owner`'s evidence, under the names `validate_uploads` gave them.

    The caller validates before its own writes, so a bad file leaves nothing behind;
    what is checked here are mistakes of the calling code, and the limit on all the
    files of one record (PARPLAN_MAX_OBJECT_EVIDENCE_MB), which only the stored rows
    tell: refused, the caller's transaction rolls back and no file is stored.
    """
    if owner.pk is None:
        raise ValueError("Evidence needs a saved owner.")
    if len(uploads) != len(names):
        raise ValueError(f"{len(uploads)} files but {len(names)} names.")
    if not uploads:
        return []
    # Every name is checked before the first file reaches storage, which no rollback empties.
    for name in names:
        _check_name(name)
    owner_type = ContentType.objects.get_for_model(owner)
    stored = Evidence.objects.filter(owner_type=owner_type, owner_id=owner.pk).total_size()
    problem = object_limit_problem(stored, sum(upload_size(upload) for upload in uploads))
    if problem:
        raise ValidationError({"files": [problem]})
    return [_store(owner_type, owner.pk, upload, name, user) for upload, name in zip(uploads, names, strict=True)]


def _check_name(name: str) -> None:
    # A name validate_uploads returned is already safe; anything else (a path, an
    # unchecked type) means the caller skipped the validation.
    if safe_filename(name) != name or name.rpartition(".")[2] not in ALLOWED_EXTENSIONS:
        raise ValueError(f"{name!r} is not a name validate_uploads returns.")


def _store(owner_type: ContentType, owner_id: int, upload: UploadedFile, name: str, user: Any) -> Evidence:
    evidence = Evidence(
        owner_type=owner_type, owner_id=owner_id, original_name=original_name(upload.name or name),
        size=upload_size(upload), uploaded_by=user,
    )  # fmt: skip
    # The storage adds a suffix before the extension when the name is taken.
    evidence.file.save(name, upload, save=False)
    # Who attached it, in its history too: outside a request (a job, a command) the history middleware knows nobody.
    if user is not None:
        setattr(evidence, "_history_user", user)  # noqa: B010
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user: User) -> None:
    """Take a file attached by mistake off its owner, while the owner still lets it (its app's `frozen` rule).

    The caller has checked the person's right (`get_evidence_for_user(..., "remove")`).
    The row goes; its history keeps who removed it and when, and the stored bytes
    stay where the history points (docs/files.md): the portal no longer serves them.
    """
    rules = owner_rules(evidence.owner_type.model_class())
    if rules is None:
        raise ValueError(f"No rules registered for the owner of evidence {evidence.pk}.")
    # Under the owner's row lock: an approval or a claim either came first (refused
    # here) or waits until the file is gone.
    owner = rules.load(evidence.owner_id, True)
    reason = _("Không còn hồ sơ mà tài liệu này kiểm chứng.") if owner is None else rules.frozen(owner)
    if reason:
        raise ValidationError(reason)
    current = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
    if current is None:
        return  # removed by someone else meanwhile: once is enough
    # django-simple-history reads this attribute at the delete; Model declares none.
    setattr(current, "_history_user", user)  # noqa: B010
    current.delete()
