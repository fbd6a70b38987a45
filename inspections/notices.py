"""The kinds of notice the recommendation workflow sends, registered with the notifications app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register_kind


class InspectionNotice:
    """Codes of the recommendations' notices (stored on each `Notification.kind`)."""

    NEW_RECOMMENDATION = register_kind("rec_new", _("Có kiến nghị sau kiểm tra"))
    RETURNED = register_kind("rec_returned", _("Kết quả thực hiện kiến nghị bị trả lại"))
    ANSWERED = register_kind("rec_answered", _("Đơn vị báo cáo thực hiện kiến nghị"))
    EXTENSION_REQUESTED = register_kind("rec_extension", _("Đơn vị đề nghị gia hạn kiến nghị"))
    OVERDUE = register_kind("rec_overdue", _("Kiến nghị quá hạn"))
