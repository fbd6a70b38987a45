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
            UnitSuccession,
            register_area_section,
            register_role_app,
            register_unit_section,
            register_unit_succession,
        )
        from targets.sources import register_source
        from tasks import notices  # noqa: F401  (registers the task workflow's notice kinds)
        from tasks.access import REPORT_EVIDENCE
        from tasks.models import ProgressReport
        from tasks.selectors import tasks_on_time, unit_page_tasks
        from tasks.services.succession import unit_open_tasks, unit_tasks_hand_over

        register_role_app(self.label)
        register_area_section(
            AreaSection(20, "tasks/_area_tasks.html", ("tasks__lead_unit", "tasks__coordinating_units"))
        )
        register_source(
            "tasks", _("Tính từ nhiệm vụ"), unit_rates=(_("Tỷ lệ nhiệm vụ hoàn thành đúng hạn"), tasks_on_time)
        )
        register_unit_section(UnitSection(order=10, template="tasks/_unit_tasks.html", context=unit_page_tasks))
        register_owner(ProgressReport, REPORT_EVIDENCE)
        # A unit that ends (two communes merged) hands its open tasks to the unit that succeeds it.
        register_unit_succession(
            UnitSuccession(_("nhiệm vụ đang thực hiện"), open_work=unit_open_tasks, hand_over=unit_tasks_hand_over)
        )
