from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from targets.evaluation import EvaluationSummary, evaluate_active_plans


class Command(BaseCommand):
    help = "Đánh giá mọi chỉ số của các kế hoạch đang thực hiện (việc chạy hằng đêm lúc 01:00)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày đánh giá (YYYY-MM-DD); mặc định hôm nay.")
        parser.add_argument("--plan", type=int, help="Chỉ đánh giá kế hoạch có mã (ID) này.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date phải có dạng YYYY-MM-DD.") from None
        summaries = evaluate_active_plans(day=day, plan_id=options["plan"])
        if options["plan"] is not None and not summaries:
            raise CommandError(f"Không có kế hoạch mã {options['plan']}.")
        total = EvaluationSummary(day=day)
        for summary in summaries:
            total.indicators += summary.indicators
            total.snapshots += summary.snapshots
            total.statuses.update(summary.statuses)
        self.stdout.write(total.line())
