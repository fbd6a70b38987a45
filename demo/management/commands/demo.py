"""Load the 2024 Cao Lộc plan, demo users and some progress. Safe to run twice."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.figures import demo_figures_load
from demo.inspections import demo_inspections_load
from demo.scoring import demo_scoring_load
from parplan.models import Membership, Plan, Role, Unit
from parplan.services import membership_add, roles_ensure_groups, save_if_changed
from planio.definitions import indicator_definitions_load
from planio.interchange import plan_import
from targets.services import plan_generate_periods
from tasks.models import ProgressStatus, Task
from tasks.services import task_claim_completion, task_confirm_completion, task_report_progress, task_update

SEED_PLAN = settings.BASE_DIR / "fixtures" / "plan-2024-cao-loc.json"
SEED_INDICATORS = settings.BASE_DIR / "fixtures" / "indicators-2024-cao-loc.json"
# Printed for local use; `demo` refuses to run in production mode.
DEMO_PASSWORD = "parplan-demo"


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    unit_code: str
    role: Role


DEMO_USERS = [
    DemoUser("admin", "Quản trị hệ thống", "183", Role.ADMINISTRATOR),
    DemoUser("noivu", "Hoàng Thị Lan (Thường trực CCHC)", "183-NV", Role.SECRETARIAT),
    DemoUser("bcd", "Vi Văn Thành (Ban chỉ đạo)", "183-BCD", Role.STEERING),
    DemoUser("noivu.lanhdao", "Lương Văn Hải", "183-NV", Role.UNIT_HEAD),
    DemoUser("vanphong.lanhdao", "Nông Thị Hoa", "183-VP", Role.UNIT_HEAD),
    DemoUser("tuphap.lanhdao", "Lộc Văn Bình", "183-TP", Role.UNIT_HEAD),
    DemoUser("tckh.lanhdao", "Hà Thị Mai", "183-TCKH", Role.UNIT_HEAD),
    DemoUser("vhtt.lanhdao", "Chu Văn Đức", "183-VHTT", Role.UNIT_HEAD),
    DemoUser("dongdang.lanhdao", "Hoàng Văn Tùng", "06184", Role.UNIT_HEAD),
    DemoUser("dongdang.canbo", "Lăng Thị Thu", "06184", Role.UNIT_STAFF),
    DemoUser("baolam.lanhdao", "Triệu Văn Sơn", "06190", Role.UNIT_HEAD),
]

# (area, task position, status, percent, note, completed on): enough to make
# the pages look like a plan in its second half-year.
DEMO_PROGRESS: list[tuple[int, int, str, int, str, datetime.date | None]] = [
    (
        1,
        1,
        ProgressStatus.COMPLETED,
        100,
        "Đã ban hành kế hoạch, tổ chức hội nghị quán triệt.",
        datetime.date(2024, 2, 20),
    ),
    (1, 2, ProgressStatus.IN_PROGRESS, 60, "Đã đăng 42 tin, bài trên Trang thông tin điện tử của huyện.", None),
    (1, 3, ProgressStatus.IN_PROGRESS, 40, "Đã kiểm tra 6/16 cơ quan, 4/22 xã, thị trấn.", None),
    (2, 4, ProgressStatus.IN_PROGRESS, 50, "Đã tự kiểm tra 18 văn bản.", None),
    (3, 2, ProgressStatus.COMPLETED, 100, "Đã ban hành kế hoạch kiểm soát TTHC.", datetime.date(2024, 3, 5)),
    (3, 3, ProgressStatus.IN_PROGRESS, 75, "Đã công bố, công khai 312 TTHC.", None),
    (4, 4, ProgressStatus.NOT_STARTED, 0, "", None),
    (5, 3, ProgressStatus.IN_PROGRESS, 55, "Đã mở 3 lớp bồi dưỡng.", None),
    (6, 1, ProgressStatus.PAUSED, 30, "Chờ hướng dẫn phân cấp nguồn thu của tỉnh.", None),
    (7, 3, ProgressStatus.IN_PROGRESS, 80, "Hệ thống một cửa điện tử hoạt động ổn định.", None),
]


# Due dates the secretariat set after the plan was issued (the seed gives none),
# so the demo shows tasks due, overdue and completed on time.
DEMO_DUE_DATES: list[tuple[int, int, datetime.date]] = [
    (1, 1, datetime.date(2024, 3, 31)),
    (1, 3, datetime.date(2024, 11, 30)),
    (3, 2, datetime.date(2024, 2, 29)),
    (3, 3, datetime.date(2024, 6, 30)),
    (5, 3, datetime.date(2024, 12, 31)),
    (7, 3, datetime.date(2024, 9, 30)),
]


class Command(BaseCommand):
    help = "Nạp kế hoạch CCHC 2024 huyện Cao Lộc, tài khoản mẫu và tiến độ mẫu (chạy lại không thay đổi gì)."

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("Không chạy dữ liệu mẫu ở chế độ production (mật khẩu mẫu được in ra màn hình).")
        with transaction.atomic():
            roles_ensure_groups()
            seed = json.loads(SEED_PLAN.read_text(encoding="utf-8"))
            # Imported once: afterwards the demo's own edits (due dates, progress) are
            # the plan's state, and re-importing the file would undo them.
            plan = Plan.objects.filter(
                issuing_unit__code=seed["plan"]["issuing_unit"], year=seed["plan"]["year"]
            ).first()
            if plan is None:
                plan = plan_import(seed)
            indicator_definitions_load(json.loads(SEED_INDICATORS.read_text(encoding="utf-8")))
            plan_generate_periods(plan=plan)
            self._load_users()
            self._load_progress(plan)
            figures = demo_figures_load(plan=plan)
            demo_inspections_load(plan=plan)
            demo_scoring_load()
        self.stdout.write(self.style.SUCCESS(f"Đã nạp: {plan} — {plan.areas.count()} lĩnh vực, {figures} số liệu mẫu."))
        self.stdout.write("Tài khoản mẫu (chỉ dùng trên máy cá nhân), mật khẩu chung: " + DEMO_PASSWORD)
        for demo in DEMO_USERS:
            self.stdout.write(f"  {demo.username:<18} {demo.role.label} — {Unit.objects.get(code=demo.unit_code).name}")

    def _load_users(self) -> None:
        User = get_user_model()
        for demo in DEMO_USERS:
            user = User.objects.filter(username=demo.username).first()
            if user is None:
                user = User(username=demo.username, email=f"{demo.username}@parplan.local")
                user.set_password(DEMO_PASSWORD)
            save_if_changed(user, first_name=demo.full_name)
            membership_add(user=user, unit=Unit.objects.get(code=demo.unit_code), role=demo.role)

    def _load_progress(self, plan: Plan) -> None:
        secretariat = get_user_model().objects.get(username="noivu")
        for area, position, due in DEMO_DUE_DATES:
            task = Task.objects.get(area__plan=plan, area__number=area, position=position)
            if task.due_date is None:
                task_update(task=task, expected_version=task.version, user=secretariat, due_date=due)
        for area, position, status, percent, note, completed_on in DEMO_PROGRESS:
            task = Task.objects.select_related("lead_unit").get(area__plan=plan, area__number=area, position=position)
            if task.reports.exists() or not note:
                continue  # loaded on an earlier run
            head = Membership.objects.filter(unit=task.lead_unit, role=Role.UNIT_HEAD).select_related("user").first()
            author = head.user if head else secretariat
            if status == ProgressStatus.COMPLETED and completed_on is not None:
                task_report_progress(task=task, user=author, status=ProgressStatus.IN_PROGRESS, percent=80, text=note)
                task_claim_completion(task=task, user=author, today=completed_on, text=note)
                task_confirm_completion(task=task, user=secretariat, today=completed_on)
            else:
                task_report_progress(task=task, user=author, status=status, percent=percent, text=note)
