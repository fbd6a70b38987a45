from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from parplan.notifications import digests_send
from tasks.services import reminders_create


class Command(BaseCommand):
    help = "Tạo nhắc việc trong ngày và gửi mỗi người một thư tổng hợp (việc chạy hằng sáng)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Ngày gửi (YYYY-MM-DD); mặc định hôm nay.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date phải có dạng YYYY-MM-DD.") from None
        reminders = reminders_create(today=day)
        mails = digests_send(day=day, base_url=settings.PARPLAN_BASE_URL)
        self.stdout.write(f"{day:%d/%m/%Y}: {reminders} nhắc việc mới, đã gửi {mails} thư.")
