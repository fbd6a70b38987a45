from __future__ import annotations

import datetime
import io
import itertools
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from guardian.models import GroupObjectPermission

from demo.management.commands.demo import DEMO_USERS
from inspections.indicators import COVERAGE, FINDINGS_HANDLED
from inspections.models import Finding, InspectionKind, InspectionPlan, Recommendation, Visit
from parplan.models import Plan, PlanStatus, Role, Unit
from targets.models import Indicator, IndicatorSnapshot, IndicatorStatus, Measurement, MeasurementStatus, Period
from tasks.models import ProgressReport, Task


def _row_counts() -> dict[str, int]:
    # Every table: models, history, guardian rights, groups and the auto-created m2m tables.
    return {
        model._meta.db_table: model._default_manager.count() for model in apps.get_models(include_auto_created=True)
    }


def _run_demo() -> str:
    out = io.StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_the_row_count_snapshot_covers_history_rights_and_groups(db):
    # Guards the snapshot below: it must see the tables a second run would most likely touch.
    tables = _row_counts().keys()
    for model in ("parplan.HistoricalUnit", "tasks.HistoricalTask", "targets.HistoricalIndicator"):
        assert apps.get_model(model)._meta.db_table in tables
    assert GroupObjectPermission._meta.db_table in tables
    assert Group._meta.db_table in tables
    assert Group.permissions.through._meta.db_table in tables


def test_running_demo_a_second_time_changes_no_table(db):
    before = _row_counts()
    _run_demo()
    assert _row_counts() == before


def test_running_demo_a_second_time_changes_no_task_progress(db):
    def progress() -> list[tuple]:
        fields = ("pk", "status", "progress_percent", "progress_note", "completed_on", "lead_unit_id")
        return list(Task.objects.order_by("pk").values_list(*fields))

    before = progress()
    _run_demo()
    assert progress() == before


def test_demo_loads_the_plan_again_after_it_was_deleted(db):
    Plan.objects.all().delete()
    assert not Plan.objects.exists()
    _run_demo()
    assert Plan.objects.filter(issuing_unit__code="183", year=2024).exists()


def test_demo_lists_the_demo_accounts(db):
    output = _run_demo()
    assert "noivu" in output
    assert Unit.objects.get(code="06184").name in output


@override_settings(PRODUCTION=True)
def test_demo_refuses_to_run_in_production_mode(db):
    before = _row_counts()
    with pytest.raises(CommandError, match="production"):
        _run_demo()
    assert _row_counts() == before


# --- The story the demo tells (issue 12 item 7) ---------------------------------------------

TYPED_IN = ("units", "secretariat")


def _current_plan() -> Plan:
    return Plan.objects.get(issuing_unit__code="183", year=timezone.localdate().year)


def test_every_typed_in_indicator_of_the_2024_plan_has_approved_figures(seed_plan):
    # On main only 8 of the 27 indicators had figures: most of every page said "Chưa có số liệu".
    indicators = Indicator.objects.of_plan(seed_plan)
    assert indicators.count() == 27
    without = indicators.filter(source__in=TYPED_IN).exclude(measurements__status=MeasurementStatus.APPROVED)
    assert list(without.values_list("name", flat=True)) == []
    # The other two are computed from the demo's inspection records (docs/inspections.md).
    assert set(indicators.exclude(source__in=TYPED_IN).values_list("source", flat=True)) == {
        COVERAGE,
        FINDINGS_HANDLED,
    }


def test_the_2024_plan_is_closed_with_statuses_evaluated_at_its_year_end(seed_plan):
    assert seed_plan.status == PlanStatus.CLOSED
    issuer = IndicatorSnapshot.objects.filter(indicator__area__plan=seed_plan, unit=seed_plan.issuing_unit)
    assert issuer.latest_day(seed_plan) == datetime.date(2024, 12, 31)
    final = issuer.filter(day=datetime.date(2024, 12, 31)).values_list("status", flat=True)
    assert final.count() == 27
    # A real picture, not everything green, and every status final: the year is over.
    assert {IndicatorStatus.ACHIEVED, IndicatorStatus.NOT_ACHIEVED} <= set(final)
    assert set(final) <= {IndicatorStatus.ACHIEVED, IndicatorStatus.NOT_ACHIEVED, IndicatorStatus.NOT_APPLICABLE}
    # The inspections were loaded before the plan closed: their indicators are judged too (docs/inspections.md).
    computed = issuer.filter(day=datetime.date(2024, 12, 31), indicator__source__in=[COVERAGE, FINDINGS_HANDLED])
    assert dict(computed.values_list("indicator__source", "status")) == {
        COVERAGE: IndicatorStatus.ACHIEVED,
        FINDINGS_HANDLED: IndicatorStatus.NOT_ACHIEVED,
    }


def test_no_2024_work_is_dated_outside_2024(seed_plan):
    tasks = Task.objects.filter(area__plan=seed_plan)
    assert tasks.filter(confirmed_at__isnull=False).count() >= 3
    for task in tasks.exclude(confirmed_at=None):
        assert timezone.localtime(task.confirmed_at).year == 2024
        assert timezone.localtime(task.claimed_at).year == 2024 and task.completed_on.year == 2024
    reports = ProgressReport.objects.filter(task__area__plan=seed_plan)
    assert reports.exists()
    assert {timezone.localtime(r.created_at).year for r in reports} == {2024}
    # The figures people sent (the computed ones are nobody's: never sent, never reviewed).
    figures = Measurement.objects.filter(period__plan=seed_plan, indicator__source__in=TYPED_IN)
    assert not figures.filter(submitted_at=None).exists()
    assert {timezone.localtime(at).year for at in figures.values_list("submitted_at", flat=True)} == {2024}
    reviewed = figures.exclude(reviewed_at=None).values_list("reviewed_at", flat=True)
    assert {timezone.localtime(at).year for at in reviewed} == {2024}
    # The inspections: visits, handled findings, answered and confirmed recommendations.
    visits = Visit.objects.filter(inspection_plan__plan=seed_plan)
    assert {visit.start_date.year for visit in visits} == {2024}
    handled = Finding.objects.filter(visit__inspection_plan__plan=seed_plan).exclude(outcome_on=None)
    assert {day.year for day in handled.values_list("outcome_on", flat=True)} == {2024}
    answered = Recommendation.objects.filter(visit__inspection_plan__plan=seed_plan).exclude(responded_at=None)
    assert answered.count() >= 2
    assert {timezone.localtime(r.responded_at).year for r in answered} == {2024}
    assert {r.confirmed_on.year for r in answered.exclude(confirmed_on=None)} == {2024}


def test_some_tasks_are_led_by_communes_with_progress(seed_plan):
    for plan in (seed_plan, _current_plan()):
        led = Task.objects.filter(area__plan=plan, lead_unit__kind__code__in=("town", "commune"))
        assert set(led.values_list("lead_unit__code", flat=True)) >= {"06184", "06190"}
        assert led.filter(reports__isnull=False).exists()


def test_figures_show_missing_returned_and_pending_ones(seed_plan):
    current = _current_plan()
    figures = Measurement.objects.filter(period__plan__in=[seed_plan, current])
    assert figures.filter(status=MeasurementStatus.RETURNED).exclude(review_comment="").exists()
    # Công Sơn sent nothing for one period.
    cong_son = figures.filter(unit__code="06232", indicator__area__number=7, indicator__target__position=4)
    assert cong_son.filter(period__plan=seed_plan).count() == 11
    # Varied: the communes' on-time shares are not all alike.
    shares = {m.percent for m in figures.filter(indicator__area__number=7, indicator__position=2)[:50]}
    assert len(shares) > 10


def test_this_years_plan_is_active_copied_and_live_up_to_today(seed_plan):
    today = timezone.localdate()
    current = _current_plan()
    assert current.status == PlanStatus.ACTIVE
    assert Indicator.objects.of_plan(current).count() == 28  # 2024's 27 and the online-filing target
    assert Task.objects.filter(area__plan=current).count() == Task.objects.filter(area__plan=seed_plan).count()
    # Nobody has sent figures of a period not yet due (the computed ones count the records so far).
    figures = Measurement.objects.filter(period__plan=current, indicator__source__in=TYPED_IN)
    assert not figures.filter(period__due_date__gt=today).exists()
    if Period.objects.filter(plan=current, due_date__lte=today).exists():
        assert figures.exists()
        latest = IndicatorSnapshot.objects.latest_day(current)
        assert latest is not None and latest <= today and latest.year == today.year
    for report in ProgressReport.objects.filter(task__area__plan=current):
        assert timezone.localtime(report.created_at).date() <= today
        assert timezone.localtime(report.created_at).year == today.year
    assert not Task.objects.filter(area__plan=current, completed_on__gt=today).exists()


def test_this_years_plan_has_its_inspections_up_to_today_and_evaluated(db):
    today = timezone.localdate()
    current = _current_plan()
    assert set(InspectionPlan.objects.filter(plan=current).values_list("kind", flat=True)) == {
        InspectionKind.PAR,
        InspectionKind.LAW,
    }
    visits = Visit.objects.filter(inspection_plan__plan=current)
    assert not visits.filter(start_date__gt=today).exists()
    assert not visits.exclude(start_date__year=today.year).exists()
    assert not Finding.objects.filter(visit__inspection_plan__plan=current, outcome_on__gt=today).exists()
    # 2024's days in this year: by today, the visits 2024 had by the same day of its year.
    same_day = datetime.date(2024, today.month, min(today.day, 28))
    assert visits.count() == Visit.objects.filter(inspection_plan__plan__year=2024, start_date__lte=same_day).count()
    coverage = Indicator.objects.of_plan(current).get(source=COVERAGE)
    latest = IndicatorSnapshot.objects.filter(indicator=coverage, unit=current.issuing_unit).order_by("-day").first()
    assert latest is not None and latest.value is not None


@pytest.mark.parametrize("which", ["seed_plan", "current_plan"])
def test_the_dashboard_of_either_plan_shows_its_inspection_coverage(request, client_for, steering, which):
    plan = request.getfixturevalue(which)
    visited = (
        Visit.objects.filter(inspection_plan__plan=plan, inspection_plan__kind=InspectionKind.PAR, direct=True)
        .values("unit")
        .distinct()
        .count()
    )
    if which == "seed_plan":
        assert visited == 12
    page = client_for(steering).get(reverse("dashboard") + f"?plan={plan.pk}").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert f"Đã kiểm tra trực tiếp {visited}/35 đơn vị thuộc phạm vi" in text


def _readme_halves() -> tuple[str, str]:
    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    vietnamese, english = readme.split("\n# ParPlan (English)", 1)
    return vietnamese, english


def _accounts_table(text: str) -> dict[str, tuple[str, str]]:
    """The README's table of demo accounts: account → (role, unit), the unit without an English gloss."""
    lines = text.splitlines()
    start = next(
        i for i, line in enumerate(lines) if line in ("| Tài khoản | Vai trò | Đơn vị |", "| Account | Role | Unit |")
    )
    table = "\n".join(itertools.takewhile(lambda line: line.startswith("|"), lines[start + 2 :]))
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+?) \| ([^|]+?) \|$", table, flags=re.MULTILINE)
    assert len(rows) == len(table.splitlines())  # every row read
    return {name: (role, re.sub(r" \(.*\)$", "", unit)) for name, role, unit in rows}


@pytest.mark.parametrize(
    ("half", "head", "staff"), [(0, "lãnh đạo đơn vị", "cán bộ đơn vị"), (1, "unit head", "unit staff")]
)
def test_the_readme_lists_the_demo_accounts_as_the_demo_creates_them(db, half, head, staff):
    table = _accounts_table(_readme_halves()[half])
    assert {name: unit for name, (_, unit) in table.items()} == {
        user.username: Unit.objects.get(code=user.unit_code).name for user in DEMO_USERS
    }
    roles = {Role.UNIT_HEAD: head, Role.UNIT_STAFF: staff}
    for user in DEMO_USERS:
        if user.role in roles:
            assert table[user.username][0] == roles[user.role], user.username


def test_every_office_town_and_commune_the_readme_names_has_a_head_account(db):
    vietnamese, english = _readme_halves()
    heads = {user.unit_code for user in DEMO_USERS if user.role == Role.UNIT_HEAD}
    units = Unit.objects.filter(kind__code__in=("office", "service_unit", "town", "commune"))
    for half in (vietnamese, english):
        named = {unit.code for unit in units if unit.name in half}
        assert named >= {"183-NV", "06184", "06190", "06187", "06238"}
        assert named - heads == set()
