"""Read a plan from the document its authority issued (.docx or .txt), as the review screen does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from parplan.models import Unit
from planio.documents.blocks import DocumentError
from planio.documents.drafting import plan_document_read
from planio.documents.saving import plan_document_keep
from planio.interchange import PlanImportError


class Command(BaseCommand):
    help = (
        "Đọc văn bản kế hoạch (.docx, .txt): với --dry-run ghi những gì đọc được ra tệp JSON (định dạng trao đổi, "
        "có danh sách “warnings”) và không lưu gì; không có --dry-run thì tạo kế hoạch dự thảo."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--issuer", help="Mã cơ quan ban hành (mặc định: cơ quan ghi ở đầu văn bản).")
        parser.add_argument("--year", type=int, help="Năm của kế hoạch (mặc định: năm ghi trong trích yếu).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đọc và ghi kết quả; không lưu gì.")
        parser.add_argument("-o", "--output", help="Tệp JSON ghi kết quả đọc (mặc định: màn hình).")
        parser.add_argument("--user", help="Tên đăng nhập của người nhập, ghi vào lịch sử thay đổi.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(_("Không đọc được tệp %(path)s: %(error)s") % {"path": path, "error": error}) from None
        issuer = self._issuer(options["issuer"])
        try:
            read = plan_document_read(content, path.name, issuer=issuer, year=options["year"])
        except DocumentError as error:
            raise CommandError(str(error)) from None
        self._write(read.data, options["output"])
        for warning in read.warnings:
            self.stderr.write(_("Cảnh báo (đoạn %(block)s): %(message)s") % warning)
        if options["dry_run"]:
            return
        try:
            kept = plan_document_keep(content=content, name=path.name, read=read, by=self._user(options["user"]))
        except PlanImportError as error:
            lines = "\n".join(f"  - {e}" for e in error.errors)
            raise CommandError(_("Không tạo được kế hoạch:") + "\n" + lines) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(_("Đã tạo kế hoạch dự thảo: %(plan)s.") % {"plan": kept.plan}))

    def _write(self, data: dict[str, Any], output: str | None) -> None:
        text = json.dumps(data, ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)

    def _issuer(self, code: str | None) -> Unit | None:
        if not code:
            return None
        issuer = Unit.objects.select_related("kind").filter(code=code).first()
        if issuer is None:
            raise CommandError(_("Không có đơn vị mã “%(code)s”.") % {"code": code})
        return issuer

    def _user(self, username: str | None) -> Any:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("Không có người dùng “%(name)s”.") % {"name": username})
        return user
