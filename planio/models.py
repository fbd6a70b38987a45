"""A plan document uploaded for reading: the file, what was read, and the plan it became."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parplan.models import Plan, Unit


def plan_document_path(document: PlanDocument, name: str) -> str:
    # A random name on disk: the original name (any characters, any length) is kept in the row.
    extension = name.rpartition(".")[2].lower()[:8]
    return f"plan-documents/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PlanDocumentQuerySet(models.QuerySet["PlanDocument"]):
    def drafts(self) -> PlanDocumentQuerySet:
        return self.filter(plan__isnull=True)

    def for_list(self) -> PlanDocumentQuerySet:
        return self.select_related("issuer", "uploaded_by", "plan").order_by("-uploaded_at")


class PlanDocument(models.Model):
    """One upload: kept as the plan's source file once the secretariat confirms what was read."""

    file = models.FileField(_("tệp"), upload_to=plan_document_path, max_length=300)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    issuer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành"))
    year = models.PositiveIntegerField(_("năm"))
    # The draft plan file (docs/plan-format.md) as read, then as corrected in the review.
    data = models.JSONField(_("nội dung đọc được"))
    blocks = models.JSONField(_("các đoạn của văn bản"))
    version = models.PositiveIntegerField(default=1)  # each saved correction; two reviewers cannot overwrite
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now, editable=False)
    plan = models.OneToOneField(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="source_document",
        verbose_name=_("kế hoạch đã tạo"),
    )  # fmt: skip
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)

    objects = PlanDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản kế hoạch")
        verbose_name_plural = _("văn bản kế hoạch")
        ordering = ["-uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return list(self.data.get("warnings", []))
