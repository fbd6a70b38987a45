from __future__ import annotations

from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = "Chỉ tiêu và chỉ số"

    def ready(self) -> None:
        from parplan.registries import UnitSection, register_role_app, register_unit_section
        from targets.selectors import unit_page_indicators

        register_role_app(self.label)
        register_unit_section(
            UnitSection(order=20, template="targets/_unit_indicators.html", context=unit_page_indicators)
        )
