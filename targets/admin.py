from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from targets.models import Indicator, Target


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "area"]
    list_filter = ["area__plan", "area__number"]
    inlines = [IndicatorInline]
    readonly_fields = ["parse_warnings"]
