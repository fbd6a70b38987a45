from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TargetsConfig(AppConfig):
    name = "targets"
    verbose_name = _("Chỉ tiêu và chỉ số")

    def ready(self) -> None:
        from evidence.owners import register_owner
        from parplan.models import Role
        from parplan.registries import (
            AreaSection,
            UnitRight,
            UnitSection,
            UnitSuccession,
            register_area_section,
            register_role_app,
            register_unit_right,
            register_unit_section,
            register_unit_succession,
        )
        from targets.access import FIGURE_EVIDENCE
        from targets.models import Measurement
        from targets.selectors import figures_on_time, unit_page_indicators
        from targets.services import unit_open_scopes, unit_scopes_hand_over
        from targets.sources import Source, register_source

        register_role_app(self.label)
        register_area_section(AreaSection(10, "targets/_area_targets.html", ("targets__indicators",)))
        # Staff prepare the unit's figures; only its heads send them; the secretariat reviews (globally).
        register_unit_right(
            UnitRight("enter_figures", _("Nhập số liệu chỉ số của đơn vị"), (Role.UNIT_HEAD, Role.UNIT_STAFF))
        )
        register_unit_right(UnitRight("submit_figures", _("Gửi số liệu chỉ số của đơn vị để duyệt"), (Role.UNIT_HEAD,)))
        register_unit_right(UnitRight("review_figures", _("Duyệt số liệu chỉ số")))
        register_unit_section(
            UnitSection(order=20, template="targets/_unit_indicators.html", context=unit_page_indicators)
        )
        register_owner(Measurement, FIGURE_EVIDENCE)
        # A unit that ends: its successor reports where it did (its own figures stay under its name).
        register_unit_succession(
            UnitSuccession(_("chỉ số đơn vị báo cáo"), open_work=unit_open_scopes, hand_over=unit_scopes_hand_over)
        )
        # The units' typed-in figures: their share sent on time is what the scoring suggests from this source.
        register_source(Source.UNITS, _("Đơn vị nhập"), unit_rates=(_("Tỷ lệ số liệu gửi đúng hạn"), figures_on_time))
