"""Option parsing shared by the management commands."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError
from django.utils import timezone


def day_option(value: str | None) -> datetime.date:
    """`--date YYYY-MM-DD`, or today in Asia/Ho_Chi_Minh when not given."""
    if not value:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError("--date phải có dạng YYYY-MM-DD.") from None
