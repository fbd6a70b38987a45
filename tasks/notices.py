"""The kinds of notice the task workflow sends, registered with the notifications app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register_kind


class TaskNotice:
    """Codes of the task workflow's notices (stored on each `Notification.kind`)."""

    ASSIGNED = register_kind("assigned", _("Được giao nhiệm vụ"))
    DUE_IN_7_DAYS = register_kind("due_7", _("Còn 7 ngày đến hạn"))
    DUE_TOMORROW = register_kind("due_1", _("Ngày mai đến hạn"))
    OVERDUE = register_kind("overdue", _("Quá hạn"))
    RETURNED = register_kind("returned", _("Bị trả lại"))
    CONFIRMED = register_kind("confirmed", _("Được xác nhận hoàn thành"))
    EXTENSION_DECIDED = register_kind("extension", _("Đề nghị gia hạn đã có kết quả"))
    CLAIMED = register_kind("claimed", _("Đơn vị báo hoàn thành"))
    EXTENSION_REQUESTED = register_kind("extension_requested", _("Đơn vị đề nghị gia hạn"))
