"""manage.py import_dossiers FILE --period YYYY-MM [--plan PK] [--dry-run]: a one-stop export, checked then imported."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from dossiers.forms import parse_period
from dossiers.models import DossierImport
from dossiers.reading import spool_path
from dossiers.services import dossier_import_check, dossier_import_confirm
from parplan.models import Plan, PlanStatus


class Command(BaseCommand):
    help = "Kiểm tra rồi nhập tệp số liệu hồ sơ TTHC (.xlsx/.csv) của hệ thống một cửa; có lỗi thì không nhập dòng nào."

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--period", required=True, help="YYYY-MM: the month of rows without a month column")
        parser.add_argument("--plan", type=int, help="the plan's id (default: the only active plan of that year)")
        parser.add_argument("--dry-run", action="store_true", help="check only, import nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        month = parse_period(options["period"])
        if month is None:
            raise CommandError("--period phải có dạng YYYY-MM (năm-tháng), ví dụ 2024-03")
        plan = self._plan(options["plan"], month.year)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: không có tệp này")
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        batch, result = dossier_import_check(plan=plan, upload=upload, user=None, default_month=month, inline=True)
        assert result is not None  # inline: checked here
        for error in result.errors:
            self.stdout.write(f"dòng {error.row}, cột “{error.column}”: {error.message}")
        if not result.ok:
            raise CommandError(f"{result.error_total} lỗi: không nhập dòng nào")
        self.stdout.write(f"{result.row_count} dòng, {len(result.unit_ids)} đơn vị: không có lỗi")
        if options["dry_run"]:
            # Nothing of a dry run stays: its kept copy and the rows spooled for an import go with it.
            spool_path(Path(batch.file.path)).unlink(missing_ok=True)
            batch.file.delete(save=False)
            DossierImport.objects.filter(pk=batch.pk).delete()
            self.stdout.write("--dry-run: không nhập")
            return
        batch = dossier_import_confirm(batch=batch, inline=True)
        self.stdout.write(f"đã nhập {batch.done_rows} dòng ({batch.get_state_display()})")

    def _plan(self, pk: int | None, year: int) -> Plan:
        plans = Plan.objects.select_related("issuing_unit")
        if pk is not None:
            plan = plans.filter(pk=pk).first()
            if plan is None:
                raise CommandError(f"Không có kế hoạch số {pk}")
            return plan
        active = list(plans.filter(year=year, status=PlanStatus.ACTIVE))
        if len(active) != 1:
            raise CommandError(
                f"Có {len(active)} kế hoạch năm {year} đang thực hiện: chọn một kế hoạch bằng --plan <số>"
            )
        return active[0]
