from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from parplan.admin import ReadOnlyAdmin
from targets.models import Indicator, Measurement, Target


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "area"]
    list_filter = ["area__plan", "area__number"]
    inlines = [IndicatorInline]
    readonly_fields = ["parse_warnings"]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    """Figures are entered, submitted, approved and returned on their own pages (targets.services)."""

    list_display = ["indicator", "unit", "period", "status"]
    list_filter = ["status"]
    list_select_related = ["indicator", "unit", "period"]
