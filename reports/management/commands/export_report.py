from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parplan.models import Plan, Unit
from reports.models import ReportKind
from reports.services import report_gather


class Command(BaseCommand):
    help = "Xuất báo cáo CCHC (PDF theo thể thức NĐ 30/2020 hoặc Excel các phụ lục) ra tệp."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", help="Mã cơ quan ban hành kế hoạch; mặc định là đơn vị gốc.")
        parser.add_argument("--kind", choices=ReportKind.values, required=True)
        parser.add_argument("--format", choices=["pdf", "xlsx"], required=True)
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        plans = Plan.objects.select_related("issuing_unit").filter(year=options["year"])
        if options["unit"]:
            if not Unit.objects.filter(code=options["unit"]).exists():
                raise CommandError(f"Không có đơn vị mã “{options['unit']}”.")
            plans = plans.filter(issuing_unit__code=options["unit"])
        plan = plans.order_by("issuing_unit__path").first()
        if plan is None:
            issuer = f" do đơn vị mã “{options['unit']}” ban hành" if options["unit"] else ""
            raise CommandError(f"Không có kế hoạch năm {options['year']}{issuer}.")
        data = report_gather(plan=plan, kind=options["kind"])
        if options["format"] == "pdf":
            from reports.renderers.pdf import render_pdf

            content, pages = render_pdf(data)
            detail = f"{pages} trang"
        else:
            from reports.renderers.xlsx import render_xlsx

            content, detail = render_xlsx(data), "4 phụ lục"
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"Đã ghi {options['output']} ({detail}).")
