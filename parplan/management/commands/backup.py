"""`manage.py backup`: the database and the stored files in one archive with checksums (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from parplan.backups import BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và mọi tệp đã tải lên vào một tệp .tar có mã kiểm tra SHA-256."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            help="Tệp sao lưu sẽ ghi (mặc định var/backups/parplan-<ngày giờ>.tar).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        output = Path(options["output"] or Path(settings.VAR_DIR) / "backups" / f"parplan-{stamp}.tar")
        try:
            summary = backup_create(output)
        except BackupError as error:
            raise CommandError(f"Không sao lưu được: {error}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {summary.path}: cơ sở dữ liệu ({summary.vendor}) và {summary.files} tệp, "
                f"{summary.size / 1024 / 1024:.1f} MB."
            )
        )
