from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from evidence.models import Evidence
from parplan.accounts.admin import AdministratorsRead
from parplan.admin import HistoryAdmin


@admin.register(Evidence)
# Files are reached through what they prove, whose pages check the person's rights;
# the list here spans every authority, so only administrators see it, and nobody edits it.
class EvidenceAdmin(AdministratorsRead, HistoryAdmin):
    """To look files up: they come and go only with the figure or report they prove (evidence_attach)."""

    list_display = ["original_name", "owner_type", "owner_id", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["owner_type"]
    search_fields = ["original_name", "file"]
    list_select_related = ["owner_type", "uploaded_by"]
    fields = ["owner_type", "owner_id", "stored_file", "original_name", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields

    # A FileField shown read-only links to its MEDIA_URL, which serves nothing: link the download view.
    @admin.display(description=_("tệp"))
    def stored_file(self, obj: Evidence) -> SafeString:
        return format_html('<a href="{}">{}</a>', reverse("evidence-download", args=[obj.pk]), obj.file.name)
