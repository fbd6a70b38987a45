"""A notice to one person, shown in the portal and sent in the daily digest."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from notifications.kinds import kind_choices


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)

    def not_emailed(self) -> NotificationQuerySet:
        return self.filter(emailed_at__isnull=True)


class Notification(models.Model):
    """Something a person should know; shown in the portal and sent in one daily digest."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=24, choices=kind_choices)
    message = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    # The object and day the notice is about, so a reminder is made once per day.
    subject_key = models.CharField(max_length=60, blank=True)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "subject_key", "day"],
                condition=~models.Q(subject_key=""),
                name="one_notice_per_subject_and_day",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notice_recipient_read_idx")]

    def __str__(self) -> str:
        return self.message
