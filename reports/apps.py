from __future__ import annotations

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Báo cáo"

    def ready(self) -> None:
        from parplan.registries import register_role_app

        register_role_app(self.label)
