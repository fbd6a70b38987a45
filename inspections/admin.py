"""Inspections in the Django admin: to look at the records and their history, never to change them.

Plans, visits, findings and the recommendations' workflow are written on the
inspection pages through `inspections.services` (checks, row locks, versions,
notices, the indicators' re-evaluation); an edit here would bypass all of them.
"""

from __future__ import annotations

from django.contrib import admin

from inspections.models import AreaCheck, Finding, InspectionPlan, PlannedUnit, Recommendation, Visit
from parplan.admin import SCOPE_LOOKUPS, ReadOnlyAdmin

SCOPE_LOOKUPS[InspectionPlan] = "plan__issuing_unit__path"
SCOPE_LOOKUPS.update(dict.fromkeys([PlannedUnit, Visit], "inspection_plan__plan__issuing_unit__path"))
SCOPE_LOOKUPS.update(
    dict.fromkeys([AreaCheck, Finding, Recommendation], "visit__inspection_plan__plan__issuing_unit__path")
)


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "plan", "conducting_unit", "decision_number", "decision_date"]
    list_filter = ["kind", ("plan", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["plan__issuing_unit", "conducting_unit"]


@admin.register(PlannedUnit)
class PlannedUnitAdmin(ReadOnlyAdmin):
    list_display = ["unit", "inspection_plan", "month", "unannounced"]
    list_filter = ["unannounced", "month"]
    list_select_related = ["unit", "inspection_plan__plan"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyAdmin):
    list_display = ["unit", "inspection_plan", "start_date", "end_date", "unannounced", "direct"]
    list_filter = ["inspection_plan__kind", "unannounced", "direct"]
    search_fields = ["unit__name", "conclusion"]
    list_select_related = ["unit", "inspection_plan__plan"]
    date_hierarchy = "start_date"


@admin.register(AreaCheck)
class AreaCheckAdmin(ReadOnlyAdmin):
    list_display = ["visit", "area"]
    list_select_related = ["visit__unit", "area"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "visit", "area", "severity", "deadline", "outcome", "outcome_on"]
    list_filter = ["severity", "outcome", "visit__inspection_plan__kind"]
    search_fields = ["text"]
    list_select_related = ["visit__unit", "area"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "unit", "deadline", "state", "requested_deadline", "confirmed_on"]
    list_filter = ["state"]
    search_fields = ["text", "unit__name"]
    list_select_related = ["unit"]
