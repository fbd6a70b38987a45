from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanioConfig(AppConfig):
    name = "planio"
    verbose_name = _("Nhập, xuất kế hoạch")
