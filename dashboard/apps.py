from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _drop_cache(sender: Any, plan_id: int, **kwargs: Any) -> None:
    from dashboard.selectors import dashboard_invalidate

    dashboard_invalidate(plan_id)


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Tổng quan")

    def ready(self) -> None:
        from parplan.events import plan_changed

        # Approvals, returns, task changes and evaluations in the apps below announce it.
        plan_changed.connect(_drop_cache, dispatch_uid="dashboard-drop-cache")
