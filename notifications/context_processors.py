from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from notifications.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    """The count in the header; queried only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(lambda: Notification.objects.filter(recipient=user).unread().count())
    }
