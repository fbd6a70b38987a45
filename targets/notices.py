"""The notices the figures' review sends (notifications.kinds): registered when this module is imported."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.kinds import register_kind


class FigureNotice:
    RETURNED = register_kind("figure_returned", _("Số liệu bị trả lại"))
