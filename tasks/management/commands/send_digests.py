from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from notifications.services import digests_send
from parplan.management.options import day_option
from tasks.services import reminders_create


class Command(BaseCommand):
    help = "Tạo nhắc việc trong ngày và gửi mỗi người một thư tổng hợp (việc chạy hằng sáng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày gửi (YYYY-MM-DD); mặc định hôm nay.")

    def handle(self, *args: Any, **options: Any) -> None:
        day = day_option(options["date"])
        reminders = reminders_create(today=day)
        mails = digests_send(day=day, base_url=settings.PARPLAN_BASE_URL)
        self.stdout.write(f"{day:%d/%m/%Y}: {reminders} nhắc việc mới, đã gửi {mails} thư.")
