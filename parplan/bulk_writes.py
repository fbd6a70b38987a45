"""Many rows updated at once, each with its own values, in time linear in the rows.

Django's `bulk_update` writes one `CASE WHEN id = … THEN …` per field, so each row of
a batch is matched against every branch: 2 000 rows of 17 fields took 10 s a batch in
PostgreSQL (bench/README.md, the dossier re-import). On PostgreSQL the rows go instead
as one `UPDATE … FROM (VALUES …)`, joined on the primary key; elsewhere (SQLite, for
development) `bulk_update` runs in small batches, where its cost stays small.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models, router, transaction

# Rows per statement: PostgreSQL takes up to 65 535 parameters in one.
VALUES_BATCH = 1000
FALLBACK_BATCH = 100


def rows_update(model: type[models.Model], rows: Sequence[models.Model], fields: Sequence[str]) -> int:
    """Write `fields` of every row in `rows` (model instances with their primary key); the rows written.

    Like `bulk_update`, no signal is sent and `save()` is not called: the caller keeps
    the history (simple_history's `bulk_history_create`) as it would around bulk_update.
    """
    if not fields or len(set(fields)) != len(fields) or model._meta.pk.name in fields:
        raise ValueError("rows_update needs distinct fields to write, the primary key not among them")
    if not rows:
        return 0
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return model._default_manager.using(alias).bulk_update(rows, fields, batch_size=FALLBACK_BATCH)
    meta = model._meta
    columns = [meta.pk, *(_concrete(model, name) for name in fields)]
    quote = connection.ops.quote_name
    # Each value cast to its column's type: a column of NULLs alone would otherwise be read as text.
    placeholder = "(" + ", ".join(f"CAST(%s AS {field.db_type(connection)})" for field in columns) + ")"
    names = ", ".join(quote(field.column) for field in columns)
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in columns[1:])
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    written = 0
    # All the batches or none, as bulk_update does.
    with transaction.atomic(using=alias, savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(rows), VALUES_BATCH):
            batch = rows[start : start + VALUES_BATCH]
            params: list[Any] = []
            for row in batch:
                params.extend(field.get_db_prep_save(getattr(row, field.attname), connection) for field in columns)
            values = ", ".join([placeholder] * len(batch))
            cursor.execute(
                f"UPDATE {table} AS t SET {assignments} FROM (VALUES {values}) AS v({names}) WHERE t.{pk} = v.{pk}",
                params,
            )
            written += cursor.rowcount
    return written


def _concrete(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.concrete:
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field
