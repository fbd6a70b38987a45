"""An owner's evidence files in a page: `{% evidence_files report can_open=... removable_in=... %}`."""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from django import template
from django.db import models

register = template.Library()


@register.inclusion_tag("evidence/_files.html", takes_context=True)
def evidence_files(
    context: template.Context, owner: models.Model, *, can_open: bool, removable_in: Container[int] = ()
) -> dict[str, Any]:
    """The files of `owner` (prefetched `owner.evidence`), linked to their download when the page's
    person may open them, each with a "Xóa" link when `owner` is among those whose files they may remove now.

    The rights are decided once for the page by the owner's app (a figure page, a task page),
    so a list of owners costs no query per file.
    """
    request = context.get("request")
    evidence: Any = getattr(owner, "evidence")  # noqa: B009  (the relation every owner declares)
    return {
        "files": list(evidence.all()),
        "can_open": can_open,
        "removable": owner.pk in removable_in,
        "here": request.get_full_path() if request is not None else "",
    }
