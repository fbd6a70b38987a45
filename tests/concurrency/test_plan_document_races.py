"""Plans from documents, activation and unit merges raced by real threads: one winner, one clear refusal.

Each thread holds its own PostgreSQL connection (tests/concurrency/conftest.py); the issuer's row, the
document's and the plan's are the locks.
"""

from __future__ import annotations

import datetime
from functools import partial

import pytest
from django.core.exceptions import ValidationError

from parplan.models import Plan, PlanStatus, Unit
from parplan.services import plan_activate, unit_create, units_merge
from planio.documents.drafting import plan_document_read
from planio.documents.saving import plan_document_confirm, plan_document_store
from tests.concurrency.conftest import District, at_once
from tests.planio.documents import docx_bytes

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

LINES = [
    "KẾ HOẠCH", "Cải cách hành chính năm 2025", "II. NHIỆM VỤ, GIẢI PHÁP", "1. Cải cách thể chế", "a) Chỉ tiêu",
    "- 100% văn bản quy phạm pháp luật được ban hành đúng thủ tục.", "b) Nhiệm vụ, giải pháp", "- Rà soát văn bản.",
]  # fmt: skip


def _stored(district: District, name: str):
    content = docx_bytes(LINES)
    read = plan_document_read(content, name, issuer=district.plan.issuing_unit)
    return plan_document_store(content=content, name=name, read=read, by=district.secretariat)


def _refusals(outcomes) -> list[str]:
    return [" ".join(o.error.messages) for o in outcomes if isinstance(o.error, ValidationError)]


def test_two_documents_of_one_issuer_confirmed_at_once_make_one_plan(district: District):
    first, second = _stored(district, "ban-1.docx"), _stored(district, "ban-2.docx")
    outcomes = at_once([
        partial(plan_document_confirm, document=first, by=district.secretariat),
        partial(plan_document_confirm, document=second, by=district.secretariat_2),
    ])  # fmt: skip
    assert sum(o.error is None for o in outcomes) == 1
    assert _refusals(outcomes) == [
        "Cơ quan này đã có kế hoạch năm 2025: văn bản không được nhập đè lên kế hoạch đã có."
    ]
    assert Plan.objects.filter(issuing_unit=district.plan.issuing_unit, year=2025).count() == 1


def test_one_document_confirmed_twice_at_once_makes_one_plan(district: District):
    document = _stored(district, "ban.docx")
    outcomes = at_once([partial(plan_document_confirm, document=document, by=user)
                        for user in (district.secretariat, district.secretariat_2)])  # fmt: skip
    assert sum(o.error is None for o in outcomes) == 1
    assert _refusals(outcomes) == ["Văn bản này đã được xác nhận thành kế hoạch."]


def test_a_draft_activated_twice_at_once_is_activated_once(district: District):
    plan = plan_document_confirm(document=_stored(district, "ban.docx"), by=district.secretariat)
    outcomes = at_once(
        [partial(plan_activate, plan=plan, user=user) for user in (district.secretariat, district.secretariat_2)]
    )
    assert sum(o.error is None for o in outcomes) == 1
    assert _refusals(outcomes) == ["Kế hoạch này không còn là dự thảo (có người vừa kích hoạt hoặc kết thúc nó)."]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and plan.history.filter(status=PlanStatus.ACTIVE).count() == 1


def test_two_merges_in_opposite_directions_at_once_end_one_unit_without_a_deadlock(district: District):
    town = district.town
    other = unit_create(code="06115", name="Xã Hoàng Văn Thụ", kind=town.kind, parent=town.parent, user=None)
    day = datetime.date(2025, 7, 1)
    outcomes = at_once([
        partial(units_merge, units=[other], into=town, on=day, user=district.secretariat, reason="NQ 1"),
        partial(units_merge, units=[town], into=other, on=day, user=district.secretariat_2, reason="NQ 2"),
    ])  # fmt: skip
    assert sum(o.error is None for o in outcomes) == 1
    assert len(_refusals(outcomes)) == 1  # the second finds its target, or its unit, ended
    assert sorted(Unit.objects.filter(pk__in=[town.pk, other.pk]).values_list("active", flat=True)) == [False, True]
