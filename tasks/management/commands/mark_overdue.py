from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tasks.services import tasks_mark_overdue


class Command(BaseCommand):
    help = "Đánh dấu các nhiệm vụ quá hạn (việc chạy hằng đêm lúc 01:00)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày tính (YYYY-MM-DD); mặc định hôm nay.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date phải có dạng YYYY-MM-DD.") from None
        marked, cleared = tasks_mark_overdue(today=today)
        self.stdout.write(f"{today:%d/%m/%Y}: {marked} nhiệm vụ mới quá hạn, {cleared} nhiệm vụ bỏ đánh dấu.")
