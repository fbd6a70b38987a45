from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanioConfig(AppConfig):
    name = "planio"
    verbose_name = _("Nhập, xuất kế hoạch")

    def ready(self) -> None:
        from parplan.registries import register_role_app

        # The secretariat reads plans from documents; the steering committee may see them.
        register_role_app(self.label)
