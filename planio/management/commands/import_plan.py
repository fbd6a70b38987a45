from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from planio.interchange import PlanImportError, plan_import


class Command(BaseCommand):
    help = "Nhập (tạo hoặc cập nhật) một kế hoạch từ tệp JSON; lỗi ở bất kỳ dòng nào thì không nhập gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--allow-delete",
            action="store_true",
            help="Cho phép xóa nhiệm vụ (chỉ tiêu) không còn trong tệp dù đã có tiến độ, báo cáo, tệp hoặc số liệu.",
        )
        parser.add_argument("--user", help="Tên đăng nhập của người nhập, ghi vào lịch sử thay đổi.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with open(options["file"], encoding="utf-8") as handle:
                data = json.load(handle)
        except OSError as error:
            raise CommandError(f"Không đọc được tệp: {error}") from None
        except json.JSONDecodeError as error:
            raise CommandError(f"Tệp không phải JSON hợp lệ (dòng {error.lineno}, cột {error.colno}).") from None
        user = self._user(options["user"])
        try:
            plan = plan_import(data, user=user, allow_delete=options["allow_delete"])
        except PlanImportError as error:
            raise CommandError("Không nhập được kế hoạch:\n" + "\n".join(f"  - {e}" for e in error.errors)) from None
        self.stdout.write(self.style.SUCCESS(f"Đã nhập: {plan} ({plan.year})."))

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        return user
