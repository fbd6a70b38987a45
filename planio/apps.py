from __future__ import annotations

from django.apps import AppConfig


class PlanioConfig(AppConfig):
    name = "planio"
    verbose_name = "Nhập, xuất kế hoạch"
