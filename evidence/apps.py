from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = _("Tài liệu kiểm chứng")

    def ready(self) -> None:
        from parplan.registries import register_role_app

        # The rights on evidence the roles held while it lived in targets and tasks.
        register_role_app(self.label)
