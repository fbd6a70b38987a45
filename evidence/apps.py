from __future__ import annotations

from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Tài liệu kiểm chứng"

    def ready(self) -> None:
        from parplan.registries import register_role_app

        # The rights on evidence the roles held while it lived in targets and tasks.
        register_role_app(self.label)
