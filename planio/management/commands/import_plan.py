from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from planio.interchange import ImportOutcome, PlanImportError, plan_import_counted
from planio.reading import read_plan_file


class Command(BaseCommand):
    help = "Nhập (tạo hoặc cập nhật) một kế hoạch từ tệp JSON; lỗi ở bất kỳ dòng nào thì không nhập gì."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument(
            "--delete-tasks-with-progress",
            "--allow-delete",
            dest="allow_delete",
            action="store_true",
            help="Cho phép xóa nhiệm vụ (chỉ tiêu) không còn trong tệp dù đã có tiến độ, báo cáo, tệp hoặc số liệu.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Chỉ kiểm tra và cho biết sẽ tạo, sửa, xóa những gì; không ghi gì vào cơ sở dữ liệu.",
        )
        parser.add_argument("--user", help="Tên đăng nhập của người nhập, ghi vào lịch sử thay đổi.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        try:
            data = read_plan_file(options["file"])
            outcome = plan_import_counted(
                data, user=user, allow_delete=options["allow_delete"], dry_run=options["dry_run"]
            )
        except PlanImportError as error:
            raise CommandError("Không nhập được kế hoạch:\n" + "\n".join(f"  - {e}" for e in error.errors)) from None
        self._report(outcome)

    def _report(self, outcome: ImportOutcome) -> None:
        plan = outcome.plan
        if outcome.dry_run:
            self.stdout.write(_("Chạy thử (không ghi gì): %(plan)s (%(year)d).") % {"plan": plan, "year": plan.year})
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã nhập: {plan} ({plan.year})."))
        for change in outcome.changes:
            self.stdout.write(
                "  "
                + _("%(label)s: tạo %(created)d, sửa %(changed)d, xóa %(deleted)d")
                % {"label": change.label, "created": change.created, "changed": change.changed,
                   "deleted": change.deleted}
            )  # fmt: skip

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        return user
