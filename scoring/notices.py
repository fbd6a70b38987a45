"""The kinds of notice the scoring sends, registered with the notifications app (ScoringConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register_kind


class ScoringNotice:
    """Codes of the scoring's notices (stored on each `Notification.kind`)."""

    STEP_DUE_SOON = register_kind("scoring_due", _("Sắp hết hạn một bước chấm điểm Chỉ số CCHC"))
