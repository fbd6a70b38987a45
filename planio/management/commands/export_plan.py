from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parplan.models import Plan, Unit
from planio.interchange import plan_export


class Command(BaseCommand):
    help = "Xuất kế hoạch của một năm ra tệp JSON (định dạng trong docs/plan-format.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", help="Mã cơ quan ban hành; mặc định là đơn vị gốc.")
        parser.add_argument("-o", "--output", help="Tệp ghi ra; mặc định in ra màn hình.")

    def handle(self, *args: Any, **options: Any) -> None:
        issuer = self._issuer(options["unit"])
        plan = Plan.objects.filter(issuing_unit=issuer, year=options["year"]).first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch năm {options['year']} của {issuer}.")
        text = json.dumps(plan_export(plan), ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"Đã ghi {options['output']}.")
        else:
            sys.stdout.write(text)

    def _issuer(self, code: str | None) -> Unit:
        if code:
            unit = Unit.objects.filter(code=code).first()
            if unit is None:
                raise CommandError(f"Không có đơn vị mã “{code}”.")
            return unit
        # "The root authority": the top-most unit that issues plans.
        plan = Plan.objects.select_related("issuing_unit").order_by("issuing_unit__path").first()
        if plan is None:
            raise CommandError("Chưa có kế hoạch nào.")
        return plan.issuing_unit
