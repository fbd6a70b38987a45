from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parplan.management.options import day_option
from targets.evaluation import EvaluationSummary, evaluate_active_plans


class Command(BaseCommand):
    help = "Đánh giá mọi chỉ số của các kế hoạch đang thực hiện (việc chạy hằng đêm lúc 01:00)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày đánh giá (YYYY-MM-DD); mặc định hôm nay.")
        parser.add_argument("--plan", type=int, help="Chỉ đánh giá kế hoạch có mã (ID) này.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = day_option(options["date"])
        summaries = evaluate_active_plans(day=day, plan_id=options["plan"])
        if options["plan"] is not None and not summaries:
            raise CommandError(f"Không có kế hoạch mã {options['plan']}.")
        total = EvaluationSummary(day=day)
        for summary in summaries:
            total.indicators += summary.indicators
            total.snapshots += summary.snapshots
            total.statuses.update(summary.statuses)
        self.stdout.write(total.line())
