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


def test_rows_beyond_a_batch_go_in_further_statements_all_in_one_transaction(monkeypatch):
    from parplan import bulk_writes

    monkeypatch.setattr(bulk_writes, "VALUES_BATCH", 2)
    units = list(Unit.objects.order_by("pk")[:5])
    for n, unit in enumerate(units):
        unit.position = 500 + n
    with CaptureQueriesContext(connection) as queries:
        assert rows_update(Unit, units, ["position"]) == 5
    statements = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(statements) == (3 if connection.vendor == "postgresql" else 1)
    assert list(
        Unit.objects.filter(pk__in=[u.pk for u in units]).order_by("pk").values_list("position", flat=True)
    ) == [500, 501, 502, 503, 504]


@pytest.mark.parametrize("fields", [[], ["position", "position"], ["id"]])
def test_fields_that_cannot_be_written_are_refused_before_any_sql(fields):
    with pytest.raises(ValueError, match="distinct fields"):
        rows_update(Unit, list(Unit.objects.all()[:1]), fields)
