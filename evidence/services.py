"""The one write of evidence files, for every kind of owner."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from evidence.models import Evidence
from evidence.uploads import ALLOWED_EXTENSIONS, safe_filename, upload_size


@transaction.atomic
def evidence_attach(
    *, owner: models.Model, uploads: Sequence[UploadedFile], names: Sequence[str], user: Any
) -> list[Evidence]:
    """Store `uploads` as `owner`'s evidence, under the names `validate_uploads` gave them.

    The caller validates before its own writes, so a bad file leaves nothing behind;
    what is checked here are mistakes of the calling code.
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
    return [_store(owner_type, owner.pk, upload, name, user) for upload, name in zip(uploads, names, strict=True)]


def _check_name(name: str) -> None:
    # A name validate_uploads returned is already safe; anything else (a path, an
    # unchecked type) means the caller skipped the validation.
    if safe_filename(name) != name or name.rpartition(".")[2] not in ALLOWED_EXTENSIONS:
        raise ValueError(f"{name!r} is not a name validate_uploads returns.")


def _store(owner_type: ContentType, owner_id: int, upload: UploadedFile, name: str, user: Any) -> Evidence:
    evidence = Evidence(
        owner_type=owner_type, owner_id=owner_id, original_name=(upload.name or name)[:255], size=upload_size(upload),
        uploaded_by=user,
    )  # fmt: skip
    # The storage adds a suffix before the extension when the name is taken.
    evidence.file.save(name, upload, save=False)
    evidence.save()
    return evidence
