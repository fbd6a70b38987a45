"""What a page says after an edit: the same words on every edit form of the portal."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

NOTHING_CHANGED = _("Không có thay đổi nào để lưu.")


def say_saved(request: HttpRequest, *, changed: bool, done: str) -> None:
    """`done` when the edit changed something; otherwise that nothing was saved, so "Đã lưu" is never a false report."""
    if changed:
        messages.success(request, done)
    else:
        messages.info(request, NOTHING_CHANGED)
