"""The registry of notification kinds that the apps above fill in their `AppConfig.ready()`.

A kind is a short code stored on each notice and a label shown to people. The
core does not know the kinds of the apps above it (tasks, inspections, scoring):
each registers its own, so adding an app needs no migration here.
"""

from __future__ import annotations

from django.utils.functional import Promise

_KINDS: dict[str, str | Promise] = {}


def register_kind(code: str, label: str | Promise) -> str:
    """Make `code` a known kind labelled `label`; return the code, for use as a constant."""
    if len(code) > 24:
        raise ValueError(f"notification kind {code!r} is longer than 24 characters")
    existing = _KINDS.get(code)
    if existing is not None and str(existing) != str(label):
        raise ValueError(f"notification kind {code!r} is registered twice with different labels")
    _KINDS[code] = label
    return code


def kind_choices() -> list[tuple[str, str | Promise]]:
    """Choices for `Notification.kind`: a callable, so migrations do not list the kinds."""
    return list(_KINDS.items())
