from __future__ import annotations

import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from guardian.models import GroupObjectPermission

from parplan.models import Plan, Unit
from tasks.models import Task


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
