"""One-stop dossier statistics: monthly rows per unit, their import, and the indicators computed from them."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "dossiers"
    verbose_name = _("Thống kê hồ sơ TTHC")

    def ready(self) -> None:
        from dossiers.indicators import APOLOGY, DIGITISED, ON_TIME, ONLINE, RESULTS_DIGITISED, dossier_figures_write
        from parplan.registries import register_role_app
        from targets.sources import register_source

        register_role_app(self.label)
        # One writer for every dossier source: it writes the figures of every indicator of any of them.
        register_source(ON_TIME, _("Tính từ thống kê hồ sơ: giải quyết trước và đúng hạn"), dossier_figures_write)
        register_source(APOLOGY, _("Tính từ thống kê hồ sơ: hồ sơ quá hạn có phiếu xin lỗi"))
        register_source(ONLINE, _("Tính từ thống kê hồ sơ: tiếp nhận trực tuyến"))
        register_source(DIGITISED, _("Tính từ thống kê hồ sơ: hồ sơ được số hóa"))
        register_source(RESULTS_DIGITISED, _("Tính từ thống kê hồ sơ: kết quả được số hóa"))
