"""Load the 2024 Cao Lộc plan, demo users, progress and figures, and this year's plan copied from it.

The story: the 2024 plan ran its year (progress, claims and confirmations dated
in 2024, figures for the periods due in it, inspections), was closed at its end with its statuses
evaluated as of 31/12/2024; this year's plan, copied from it, is live up to
today. Safe to run twice: what exists is left alone.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from demo.dossiers import demo_dossier_sources_switch, demo_dossiers_load, demo_online_target_add
from demo.figures import demo_figures_load, demo_story_figures_load
from demo.inspections import demo_inspections_load
from demo.scoring import demo_scoring_load
from parplan.models import Membership, Plan, PlanStatus, Role, Unit
from parplan.services import membership_add, plan_upsert, roles_ensure_groups, save_if_changed
from planio.copying import plan_copy
from planio.definitions import indicator_definitions_load
from planio.interchange import plan_import
from targets.evaluation import evaluate_plan
from targets.services import plan_generate_periods
from tasks.models import ProgressStatus, Task
from tasks.services import (
    task_assign,
    task_claim_completion,
    task_confirm_completion,
    task_report_progress,
    task_update,
)

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
    DemoUser("caoloc.lanhdao", "Lý Thị Hằng", "06187", Role.UNIT_HEAD),
    DemoUser("mauson.lanhdao", "Đàm Văn Quý", "06238", Role.UNIT_HEAD),
]

# Tasks the secretariat gave to communes to lead (the seed gives every task to an office):
# (area, task position, lead unit, coordinating units).
DEMO_COMMUNE_LEADS: list[tuple[int, int, str, list[str]]] = [
    (3, 8, "06184", ["183-VP"]),
    (4, 2, "06190", ["183-NV"]),
    (7, 4, "06187", ["183-VHTT"]),
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
    (3, 8, ProgressStatus.IN_PROGRESS, 45, "Đã hướng dẫn 1.250 lượt người dân nộp hồ sơ trực tuyến.", None),
    (
        4,
        2,
        ProgressStatus.COMPLETED,
        100,
        "Đã sáp nhập 3 thôn theo Nghị quyết của HĐND tỉnh.",
        datetime.date(2024, 8, 30),
    ),
    (7, 4, ProgressStatus.IN_PROGRESS, 70, "Đã hướng dẫn 2.100 người dân cài đặt App Lạng Sơn Smart.", None),
]
# When the 2024 plan's reports in progress were written: the plan's second half-year.
_REPORTED_ON = (10, 1)


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
            secretariat = get_user_model().objects.get(username="noivu")
            self._load_leads(plan, secretariat)
            self._load_progress(plan, secretariat, datetime.date(plan.year, 12, 31))
            figures = demo_figures_load(plan=plan)
            # Before the plan closes: its year's inspections are part of the statuses made final below.
            demo_inspections_load(plan=plan)
            year_end = datetime.date(plan.year, 12, 31)
            if timezone.localdate() > year_end:
                # Its year is over: closed, so its statuses (evaluated as of 31/12) are final.
                plan = _plan_update(plan, secretariat, status=PlanStatus.CLOSED)
                # Judged again once closed: a closed plan's year is settled (docs/indicators.md).
                evaluate_plan(plan=plan, day=year_end)
            current = self._current_plan(plan, secretariat)
            if current is not None:
                today = timezone.localdate()
                self._load_progress(current, secretariat, today)
                # Its inspections so far first: the evaluation as of today then counts them too.
                demo_inspections_load(plan=current, until=today)
                # This year the one-stop system's export feeds the dossier indicators: its rows first.
                demo_dossier_sources_switch(plan=current)
                demo_online_target_add(plan=current)
                demo_dossiers_load(plan=current, until=today)
                figures += demo_story_figures_load(plan=current, until=today)
            # Last: its items suggest points from both plans' records (2024's final, this year's so far).
            demo_scoring_load()
        for shown in [plan, current] if current is not None else [plan]:
            self.stdout.write(self.style.SUCCESS(f"Đã nạp: {shown} ({shown.get_status_display()})."))
        self.stdout.write(f"{figures} số liệu mẫu mới.")
        self.stdout.write("Tài khoản mẫu (chỉ dùng trên máy cá nhân), mật khẩu chung: " + DEMO_PASSWORD)
        for demo in DEMO_USERS:
            self.stdout.write(f"  {demo.username:<18} {demo.role.label} — {Unit.objects.get(code=demo.unit_code).name}")

    def _current_plan(self, seed: Plan, secretariat: User) -> Plan | None:
        """This year's plan, copied from the seed's on the first run; none when this year is the seed's."""
        year = timezone.localdate().year
        if year <= seed.year:
            return None
        plan = Plan.objects.filter(issuing_unit=seed.issuing_unit, year=year).first()
        if plan is None:
            plan = plan_copy(seed, year, by=secretariat, status=PlanStatus.ACTIVE)
            issued = min(datetime.date(year, 1, 10), timezone.localdate())
            _plan_update(plan, secretariat, number="15", issue_date=issued)
        return plan

    def _load_leads(self, plan: Plan, secretariat: User) -> None:
        for area, position, lead, coordinating in DEMO_COMMUNE_LEADS:
            task = Task.objects.get(area__plan=plan, area__number=area, position=position)
            task_assign(
                task=task,
                lead_unit=Unit.objects.get(code=lead),
                coordinating_units=list(Unit.objects.filter(code__in=coordinating)),
                user=secretariat,
            )

    def _load_users(self) -> None:
        User = get_user_model()
        for demo in DEMO_USERS:
            user = User.objects.filter(username=demo.username).first()
            if user is None:
                user = User(username=demo.username, email=f"{demo.username}@parplan.local")
                user.set_password(DEMO_PASSWORD)
            save_if_changed(user, first_name=demo.full_name)
            membership_add(user=user, unit=Unit.objects.get(code=demo.unit_code), role=demo.role)

    def _load_progress(self, plan: Plan, secretariat: User, until: datetime.date) -> None:
        """Due dates, then the lead units' reports and completions, dated inside the plan's year and by `until`."""
        for area, position, due in DEMO_DUE_DATES:
            task = Task.objects.get(area__plan=plan, area__number=area, position=position)
            if task.due_date is None:
                task_update(
                    task=task, expected_version=task.version, user=secretariat, due_date=_in_year(due, plan.year)
                )
        reported_on = min(datetime.date(plan.year, *_REPORTED_ON), until)
        for area, position, status, percent, note, completed_on in DEMO_PROGRESS:
            task = Task.objects.select_related("lead_unit").get(area__plan=plan, area__number=area, position=position)
            if task.reports.exists() or not note:
                continue  # loaded on an earlier run
            head = Membership.objects.filter(unit=task.lead_unit, role=Role.UNIT_HEAD).select_related("user").first()
            author = head.user if head else secretariat
            done_on = _in_year(completed_on, plan.year) if completed_on is not None else None
            if status == ProgressStatus.COMPLETED and done_on is not None and done_on < until:
                started = _at(max(done_on - datetime.timedelta(days=20), datetime.date(plan.year, 1, 2)), 9)
                task_report_progress(
                    task=task, user=author, status=ProgressStatus.IN_PROGRESS, percent=80, text=note, at=started
                )
                task_claim_completion(task=task, user=author, today=done_on, text=note, at=_at(done_on, 10))
                task_confirm_completion(task=task, user=secretariat, today=done_on, at=_at(done_on, 16))
            else:
                in_progress = ProgressStatus.IN_PROGRESS if status == ProgressStatus.COMPLETED else status
                shown = min(percent, 90) if status == ProgressStatus.COMPLETED else percent
                task_report_progress(
                    task=task, user=author, status=in_progress, percent=shown, text=note, at=_at(reported_on, 9)
                )


def _in_year(day: datetime.date, year: int) -> datetime.date:
    """The same day in `year` (the seed's dates are 2024's; 29/02 becomes 28/02)."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


def _plan_update(plan: Plan, user: User, **changes: Any) -> Plan:
    """Change some of a plan's fields through the plan service (which takes them all)."""
    names = (
        "title", "number", "symbol", "place", "issue_date", "legal_bases", "purpose", "requirements", "status",
        "signer_name", "signer_title", "signing_authority", "recipients", "closing",
    )  # fmt: skip
    fields = {name: getattr(plan, name) for name in names} | changes
    return plan_upsert(issuing_unit=plan.issuing_unit, year=plan.year, user=user, **fields)
