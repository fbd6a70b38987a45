"""The generated report versions in the admin: to read who asked for each and its history of states."""

from __future__ import annotations

from django.contrib import admin

from parplan.admin import SCOPE_LOOKUPS, ReadOnlyAdmin
from reports.models import GeneratedReport

SCOPE_LOOKUPS[GeneratedReport] = "plan__issuing_unit__path"


@admin.register(GeneratedReport)
class GeneratedReportAdmin(ReadOnlyAdmin):
    """Versions are requested and generated on the report pages (reports.services); here they are only read.

    The files are left out: they open through the report pages, which check the reader's rights.
    """

    list_display = ["__str__", "plan", "kind", "version", "state", "author", "created_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["plan", "author"]
    fields = ["plan", "kind", "version", "cutoff_date", "author", "created_at", "state", "progress", "error",
              "page_count", "content_hash"]  # fmt: skip
    readonly_fields = fields
