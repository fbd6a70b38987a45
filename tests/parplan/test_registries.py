"""The registries the core offers are filled by the apps above it, with no migration of the core."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from guardian.shortcuts import get_perms

from notifications.kinds import kind_choices, register_kind
from notifications.models import Notification
from parplan.events import plan_changed_now
from parplan.models import Role, Unit
from parplan.registries import role_apps, unit_rights, unit_sections
from parplan.services import unit_group
from targets.models import Indicator
from targets.sources import source_choices, source_codes


def test_every_installed_capability_app_gives_its_rights_to_the_roles():
    assert {"parplan", "targets", "tasks", "inspections", "reports"} <= set(role_apps())


@pytest.mark.django_db
def test_the_secretariat_holds_the_registered_apps_rights_and_the_steering_only_reads_them():
    secretariat = set(Group.objects.get(name=Role.SECRETARIAT).permissions.values_list("codename", flat=True))
    steering = set(Group.objects.get(name=Role.STEERING).permissions.values_list("codename", flat=True))
    assert {"change_indicator", "change_task", "review_figures", "add_generatedreport"} <= secretariat
    assert {"view_indicator", "view_task", "view_plan"} <= steering
    assert all(codename.startswith("view_") for codename in steering)


@pytest.mark.django_db
def test_the_figure_rights_targets_registers_are_granted_on_each_unit_to_its_groups():
    assert {right.codename for right in unit_rights()} >= {"enter_figures", "submit_figures", "review_figures"}
    unit = Unit.objects.get(code="06184")
    assert set(get_perms(unit_group(unit, Role.UNIT_HEAD), unit)) >= {"enter_figures", "submit_figures"}
    staff = set(get_perms(unit_group(unit, Role.UNIT_STAFF), unit))
    assert "enter_figures" in staff and "submit_figures" not in staff
    # A global right is not granted per unit.
    assert "review_figures" not in set(get_perms(unit_group(unit, Role.UNIT_HEAD), unit))


def test_a_units_page_is_made_of_the_sections_the_apps_register_in_order():
    templates = [section.template for section in unit_sections()]
    assert templates == [
        "tasks/_unit_tasks.html",
        "targets/_unit_indicators.html",
        "inspections/_unit_inspections.html",
    ]


def test_the_task_workflow_registers_its_notice_kinds():
    codes = dict(kind_choices())
    assert {"assigned", "due_7", "due_1", "overdue", "returned", "confirmed", "claimed"} <= set(codes)
    assert str(codes["assigned"]) == "Được giao nhiệm vụ"


@pytest.mark.django_db
def test_a_new_notice_kind_is_valid_at_once_and_needs_no_migration():
    code = register_kind("test_kind", "Loại thử")
    notice = Notification(recipient_id=1, kind=code, message="x", day="2024-01-01")
    notice.full_clean(exclude=["recipient"])
    assert notice.get_kind_display() == "Loại thử"
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)  # raises SystemExit on changes
    assert "No changes detected" in out.getvalue()


def test_a_kind_registered_twice_with_another_label_is_an_error():
    with pytest.raises(ValueError):
        register_kind("assigned", "Khác")


def test_indicator_sources_grow_with_the_installed_apps():
    assert source_codes()[:2] == ["units", "secretariat"]
    assert {"tasks", "inspections"} <= set(source_codes())
    assert Indicator._meta.get_field("source").choices == source_choices()


@pytest.mark.django_db
def test_the_plan_changed_event_drops_the_dashboard_cache(seed_plan):
    key = f"dashboard-generation-{seed_plan.pk}"
    cache.set(key, 5, timeout=None)
    plan_changed_now(seed_plan.pk)
    assert cache.get(key) == 6


def test_an_areas_parts_on_the_plan_pages_are_the_sections_the_apps_register():
    from parplan.registries import area_prefetch, area_sections

    assert [section.template for section in area_sections()] == ["targets/_area_targets.html", "tasks/_area_tasks.html"]
    assert area_prefetch() == ["targets__indicators", "tasks__lead_unit", "tasks__coordinating_units"]
