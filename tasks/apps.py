from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Nhiệm vụ")

    def ready(self) -> None:
        from evidence.owners import register_owner
        from parplan.registries import (
            AreaSection,
            UnitSection,
            register_area_section,
            register_role_app,
            register_unit_section,
        )
        from targets.sources import register_source
        from tasks import notices  # noqa: F401  (registers the task workflow's notice kinds)
        from tasks.access import REPORT_EVIDENCE
        from tasks.models import ProgressReport
        from tasks.selectors import tasks_on_time, unit_page_tasks

        register_role_app(self.label)
        register_area_section(
            AreaSection(20, "tasks/_area_tasks.html", ("tasks__lead_unit", "tasks__coordinating_units"))
        )
        register_source(
            "tasks", _("Tính từ nhiệm vụ"), unit_rates=(_("Tỷ lệ nhiệm vụ hoàn thành đúng hạn"), tasks_on_time)
        )
        register_unit_section(UnitSection(order=10, template="tasks/_unit_tasks.html", context=unit_page_tasks))
        register_owner(ProgressReport, REPORT_EVIDENCE)
