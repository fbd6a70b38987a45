"""`rows_update`: each row its own values, in one statement per thousand rows, NULLs and keys included."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parplan.bulk_writes import VALUES_BATCH, rows_update
from parplan.models import Unit

pytestmark = pytest.mark.django_db


def test_every_row_gets_its_own_values_and_a_column_of_nulls_is_written():
    units = list(Unit.objects.exclude(parent=None).order_by("pk")[:5])
    before = {unit.pk: (unit.name, unit.parent_id) for unit in Unit.objects.all()}
    for n, unit in enumerate(units):
        unit.name, unit.position, unit.parent_id = f"Đơn vị {n} — đổi tên", 100 + n, None
    with CaptureQueriesContext(connection) as queries:
        assert rows_update(Unit, units, ["name", "position", "parent"]) == 5
    assert len(queries) == 1
    for n, unit in enumerate(Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("pk")):
        assert (unit.name, unit.position, unit.parent_id) == (f"Đơn vị {n} — đổi tên", 100 + n, None)
    untouched = Unit.objects.exclude(pk__in=[u.pk for u in units])
    assert all((u.name, u.parent_id) == before[u.pk] for u in untouched)


def test_the_statements_grow_with_the_batches_not_the_rows():
    units = list(Unit.objects.order_by("pk"))
    assert len(units) <= VALUES_BATCH
    with CaptureQueriesContext(connection) as queries:
        rows_update(Unit, units, ["position"])
    assert len(queries) == (1 if connection.vendor == "postgresql" else -(-len(units) // 100))
    assert rows_update(Unit, [], ["position"]) == 0


def test_a_field_that_is_not_a_column_is_refused():
    with pytest.raises(ValueError, match="not a column"):
        rows_update(Unit, list(Unit.objects.all()[:1]), ["children"])
