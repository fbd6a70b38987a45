"""One evidence file (tài liệu kiểm chứng), whatever it proves: a figure, a progress report, later a finding or a score.

The owner is held by a generic relation because this app sits below the apps
whose records own evidence and cannot name their models. Each owner declares
`evidence = evidence_relation(...)`, which gives it `owner.evidence`
reads and deletes its evidence rows with it. The files have no public URL:
`file.url` leads nowhere; they open through `evidence-download`, whose rights the
owner's app registers (evidence.owners, docs/files.md).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


# Owners declare `evidence = evidence_relation(...)`: the field names are not Django's defaults.
def evidence_relation(related_query_name: str) -> GenericRelation:
    """The `evidence` field an owner model declares, so `owner.evidence.all()` lists its files."""
    return GenericRelation(
        "evidence.Evidence",
        related_query_name=related_query_name,
        content_type_field="owner_type",
        object_id_field="owner_id",
    )


def evidence_path(instance: Evidence, filename: str) -> str:
    # The name is ours (sanitised by the service). The owner's model in the path
    # keeps owners of different kinds with the same id apart; one folder per owner keeps folders small.
    owner_type = instance.owner_type
    return f"evidence/{owner_type.app_label}.{owner_type.model}/{instance.owner_id}/{filename}"


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def total_size(self) -> int:
        """The bytes these files take, for the limit on one record's evidence (PARPLAN_MAX_OBJECT_EVIDENCE_MB)."""
        return int(self.aggregate(total=models.Sum("size"))["total"] or 0)


class Evidence(models.Model):
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # A default rather than auto_now_add: the data migrations that moved older
    # evidence here kept each file's own upload time.
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"), default=timezone.now, editable=False)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tài liệu kiểm chứng")
        verbose_name_plural = _("tài liệu kiểm chứng")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["owner_type", "owner_id"], name="evidence_owner")]

    def __str__(self) -> str:
        return self.original_name
