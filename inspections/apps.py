"""Inspections (kiểm tra CCHC, kiểm tra thi hành pháp luật): yearly plans, visits, findings, recommendations."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("Kiểm tra CCHC")

    def ready(self) -> None:
        from evidence.owners import register_owner
        from inspections import notices  # noqa: F401  (registers the recommendations' notice kinds)
        from inspections.access import FINDING_EVIDENCE, RECOMMENDATION_EVIDENCE
        from inspections.indicators import (
            COVERAGE,
            FINDINGS_HANDLED,
            findings_handled_by_unit,
            inspection_figures_write,
        )
        from inspections.models import Finding, Recommendation
        from inspections.selectors import unit_page_inspections
        from inspections.templatetags.inspection_board import board_invalidate
        from parplan.events import plan_changed
        from parplan.registries import UnitSection, register_role_app, register_unit_section
        from targets.sources import register_source

        register_role_app(self.label)
        # One writer for both sources: it writes the figures of every indicator of either.
        register_source(
            COVERAGE, _("Tính từ kết quả kiểm tra: đơn vị được kiểm tra trực tiếp"), inspection_figures_write
        )
        register_source(
            FINDINGS_HANDLED,
            _("Tính từ kết quả kiểm tra thi hành pháp luật: vấn đề được xử lý"),
            unit_rates=(_("Tỷ lệ vấn đề phát hiện qua kiểm tra được xử lý đúng hạn"), findings_handled_by_unit),
        )
        register_owner(Finding, FINDING_EVIDENCE)
        register_owner(Recommendation, RECOMMENDATION_EVIDENCE)
        register_unit_section(
            UnitSection(order=30, template="inspections/_unit_inspections.html", context=unit_page_inspections)
        )
        plan_changed.connect(board_invalidate, dispatch_uid="inspections-board-invalidate")
