from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Kiểm tra CCHC")

    def ready(self) -> None:
        from parplan.registries import register_role_app
        from targets.sources import register_source

        register_role_app(self.label)
        # Inspection coverage ("kiểm tra trên 30% …"): computed from inspection records once that app has them.
        register_source("inspections", _("Tính từ kết quả kiểm tra"))
