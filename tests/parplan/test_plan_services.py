"""The core's writes of plans, areas, responsibilities and unit renames: typed services with who and why."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parplan.models import Plan, ReformArea, Responsibility, Unit
from parplan.services import (
    area_delete,
    area_upsert,
    plan_upsert,
    responsibility_delete,
    responsibility_upsert,
    unit_update,
)


def _latest(instance) -> Any:
    return instance.history.order_by("-history_date", "-history_id").first()


def _plan_fields(plan: Plan) -> dict:
    names = ("title", "number", "symbol", "place", "issue_date", "legal_bases", "purpose", "requirements",
             "status", "signer_name", "signer_title", "signing_authority", "recipients", "closing")  # fmt: skip
    return {name: getattr(plan, name) for name in names}


def test_plan_upsert_with_the_stored_values_writes_no_history(seed_plan: Plan):
    before = seed_plan.history.count()
    plan = plan_upsert(issuing_unit=seed_plan.issuing_unit, year=2024, **_plan_fields(seed_plan))
    assert plan.pk == seed_plan.pk
    assert seed_plan.history.count() == before


def test_plan_upsert_records_who_changed_the_plan_and_why(seed_plan: Plan, secretariat):
    fields = _plan_fields(seed_plan) | {"number": "20"}
    plan_upsert(issuing_unit=seed_plan.issuing_unit, year=2024, user=secretariat, reason="Lấy số văn bản", **fields)
    latest = _latest(Plan.objects.get(pk=seed_plan.pk))
    assert (latest.number, latest.history_user, latest.history_change_reason) == ("20", secretariat, "Lấy số văn bản")


def test_plan_upsert_creates_the_issuers_plan_of_a_new_year(seed_plan: Plan):
    # Next year: the demo holds 2024's plan and this year's, none of next year.
    year = timezone.localdate().year + 1
    before = Plan.objects.filter(issuing_unit=seed_plan.issuing_unit).count()
    plan = plan_upsert(issuing_unit=seed_plan.issuing_unit, year=year, title=f"Kế hoạch CCHC năm {year}")
    assert (plan.year, plan.status, plan.symbol) == (year, "draft", "KH-UBND")
    assert Plan.objects.filter(issuing_unit=seed_plan.issuing_unit).count() == before + 1


def test_area_upsert_renames_the_area_of_that_number(seed_plan: Plan, secretariat):
    area = area_upsert(plan=seed_plan, number=2, name="Cải cách thể chế (sửa)", user=secretariat)
    assert area.pk == seed_plan.areas.get(number=2).pk
    assert (_latest(area).name, _latest(area).history_user) == ("Cải cách thể chế (sửa)", secretariat)


def test_area_delete_records_who_deleted_it(seed_plan: Plan, secretariat):
    area = area_upsert(plan=seed_plan, number=8, name="Lĩnh vực thử")
    pk = area.pk
    area_delete(area=area, user=secretariat, reason="Thêm nhầm")
    assert not ReformArea.objects.filter(pk=pk).exists()
    record = ReformArea.history.filter(id=pk).order_by("-history_date", "-history_id").first()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("-", secretariat, "Thêm nhầm")


def test_responsibility_upsert_sets_its_text_and_units(seed_plan: Plan):
    units = list(Unit.objects.filter(code__in=["183-NV", "183-VP"]))
    responsibility = responsibility_upsert(plan=seed_plan, number=9, heading="Văn phòng", text="Phối hợp.", units=units)
    assert {unit.code for unit in responsibility.units.all()} == {"183-NV", "183-VP"}
    responsibility_delete(responsibility=responsibility)
    assert not Responsibility.objects.filter(plan=seed_plan, number=9).exists()


def test_unit_update_with_a_new_code_renames_the_unit_and_its_subtree_paths(db, secretariat):
    district = Unit.objects.get(code="183")
    count = Unit.objects.count()
    unit_update(unit=district, code="183-CL", name=district.name, kind=district.kind, parent=district.parent,
                position=district.position, user=secretariat)  # fmt: skip
    assert Unit.objects.count() == count
    assert Unit.objects.get(code="06184").path == "/20/183-CL/06184/"
    assert _latest(Unit.objects.get(code="06184")).history_user == secretariat


def test_unit_update_refuses_a_parent_inside_the_units_own_subtree(db):
    district = Unit.objects.get(code="183")
    with pytest.raises(ValidationError):
        unit_update(unit=district, code="183", name=district.name, kind=district.kind,
                    parent=Unit.objects.get(code="06184"))  # fmt: skip
    assert Unit.objects.get(code="183").path == "/20/183/"


def test_unit_update_refuses_the_code_of_another_unit(db):
    commune = Unit.objects.get(code="06184")
    with pytest.raises(ValidationError):
        unit_update(unit=commune, code="06190", name=commune.name, kind=commune.kind, parent=commune.parent)
