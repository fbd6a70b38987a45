"""The person's own notices."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render

from notifications.models import Notification
from notifications.services import notifications_mark_read
from parplan.http import AuthenticatedHttpRequest


def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's notices, unread ones flagged; they stay unread until the person marks them read (POST)."""
    notices = Notification.objects.filter(recipient=request.user)[:100]
    if request.method == "POST":
        notifications_mark_read(user=request.user)
        return redirect("notifications")
    return render(request, "notifications/notification_list.html", {"notices": notices})
