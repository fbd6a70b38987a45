from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parplan.management.options import day_option
from tasks.services import tasks_mark_overdue


class Command(BaseCommand):
    help = "Đánh dấu các nhiệm vụ quá hạn (việc chạy hằng đêm lúc 01:00)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày tính (YYYY-MM-DD); mặc định hôm nay.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = day_option(options["date"])
        marked, cleared = tasks_mark_overdue(today=today)
        self.stdout.write(f"{today:%d/%m/%Y}: {marked} nhiệm vụ mới quá hạn, {cleared} nhiệm vụ bỏ đánh dấu.")
