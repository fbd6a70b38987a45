from __future__ import annotations

from django.contrib import admin

from parplan.admin import SCOPE_LOOKUPS, ReadOnlyAdmin, ScopedAdmin, ScopedInline
from targets.models import Indicator, Measurement, Target

SCOPE_LOOKUPS.update({Target: "area__plan__issuing_unit__path", Indicator: "area__plan__issuing_unit__path"})
SCOPE_LOOKUPS[Measurement] = "indicator__area__plan__issuing_unit__path"


class IndicatorInline(ScopedInline):
    model = Indicator
    extra = 0


@admin.register(Target)
class TargetAdmin(ScopedAdmin):
    list_display = ["__str__", "area"]
    list_filter = [("area__plan", admin.RelatedOnlyFieldListFilter), "area__number"]
    inlines = [IndicatorInline]
    readonly_fields = ["parse_warnings"]


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    """Figures are entered, submitted, approved and returned on their own pages (targets.services)."""

    list_display = ["indicator", "unit", "period", "status"]
    list_filter = ["status"]
    list_select_related = ["indicator", "unit", "period"]
