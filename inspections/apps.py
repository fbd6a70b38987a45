from __future__ import annotations

from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Kiểm tra CCHC"

    def ready(self) -> None:
        from parplan.registries import register_role_app

        register_role_app(self.label)
