"""`manage.py restore FILE`: check a backup archive in full, then restore its database and files (docs/backup.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parplan.backups import BackupError, backup_restore, backup_verify


class Command(BaseCommand):
    help = (
        "Khôi phục cơ sở dữ liệu và các tệp từ một tệp sao lưu của `manage.py backup`, "
        "sau khi kiểm tra mã SHA-256 của từng phần."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Thay thế cơ sở dữ liệu và ghi đè các tệp đang có (mặc định chỉ khôi phục vào nơi còn trống).",
        )
        parser.add_argument("--check", action="store_true", help="Chỉ kiểm tra tệp sao lưu, không khôi phục.")

    def handle(self, *args: Any, **options: Any) -> None:
        source = Path(options["file"])
        try:
            if options["check"]:
                manifest = backup_verify(source)
                self.stdout.write(self.style.SUCCESS(f"Tệp sao lưu nguyên vẹn: {len(manifest['parts'])} phần."))
                return
            manifest = backup_restore(source, replace=options["replace"])
        except BackupError as error:
            raise CommandError(f"Không khôi phục được: {error}") from None
        # A backup made before an upgrade: bring its schema up to the code's.
        call_command("migrate", interactive=False, verbosity=0)
        files = sum(1 for part in manifest["parts"] if part["name"].startswith("media/"))
        self.stdout.write(
            self.style.SUCCESS(f"Đã khôi phục bản sao lưu lúc {manifest['created']}: cơ sở dữ liệu và {files} tệp.")
        )
