from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from planio.interchange import PlanImportError, plan_import


class Command(BaseCommand):
    help = "Nhập (tạo hoặc cập nhật) một kế hoạch từ tệp JSON; lỗi ở bất kỳ dòng nào thì không nhập gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise CommandError(f"Không đọc được tệp: {error}") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"Tệp không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno}).") from None
        try:
            plan = plan_import(data)
        except PlanImportError as error:
            raise CommandError("Không nhập được kế hoạch:\n" + "\n".join(f"  - {e}" for e in error.errors)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã nhập: {plan} ({plan.year})."))
