"""Writing a day's indicator snapshots: only what changed, streamed while the rows are judged.

`targets.evaluation` judges every (indicator, unit) of a plan on a day and hands
its rows here as an iterator; `snapshots_replace` makes the day's stored rows of
those indicators exactly these, in the caller's transaction.

On PostgreSQL (bench/README.md has the measurements):

- **a new day** (the nightly run at 01:00: nothing stored for the day): the rows
  go straight into `COPY … FROM STDIN` as they are judged, so the database
  parses and indexes one chunk while Python judges the next (two processes, two
  cores) instead of after the last one;
- **the day again** (every approval, every report, a second run): the day's
  stored rows are read back, one indicator's at a time (a server-side cursor in
  indicator order), and compared in Python with the new ones; only the
  rows that differ are written (COPY into a scratch table, then one MERGE), the
  rows of units that left an indicator's scope are deleted, and when nothing
  changed nothing is written. Rewriting unchanged rows cost more than the
  aggregation itself.

The comparison is exact: values are rounded here to the snapshot columns' places
with the database's own rule (half away from zero), so what is compared is what
would be stored. Other databases (SQLite in development) delete and insert.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from django.db import connections

from targets.models import IndicatorSnapshot

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

# indicator id, unit id, numerator, denominator, value, expected, status, missed, covered from, to: one snapshot.
SnapshotRow = tuple[
    int, int, Decimal | None, Decimal | None, Decimal | None, Decimal | None, str, int | None,
    datetime.date | None, datetime.date | None,
]  # fmt: skip

# The columns a snapshot row sets besides its key (indicator, unit, day), in `SnapshotRow` order after the
# unit id. A new column goes here, in `SnapshotRow` and in the rows built by `targets.evaluation`.
_VALUE_COLUMNS = ("numerator", "denominator", "value", "expected", "status", "missed", "covered_from", "covered_to")
# A scratch table of the changed rows, dropped before the transaction ends.
_STAGED = "evaluation_staged_snapshots"
_NULL = "\\N"  # COPY's text format for NULL
# The advisory-lock namespace of the plans' snapshot writers ("PPLN"), the plan's id the key within it.
_SNAPSHOT_WRITERS = 0x50504C4E
# IndicatorSnapshot.value and .expected keep four places (numerator and denominator are sums of figures
# with two, already exact).
_VALUE_PLACES = Decimal("0.0001")
# How much COPY text is handed to the driver at a time: big enough that the per-call cost is nothing,
# small enough that the database starts on the rows long before the last is judged.
_COPY_CHUNK = 1 << 16
# Stored rows fetched at a time while they are compared (a server-side cursor).
_STORED_BATCH = 5000


def stored_value(value: Decimal | None) -> Decimal | None:
    """A value or expected value as the snapshot column stores it: four places, ties away from zero."""
    return None if value is None else value.quantize(_VALUE_PLACES, rounding=ROUND_HALF_UP)


def snapshots_replace(
    alias: str, plan_id: int, day: datetime.date, indicator_ids: list[int], rows: Iterable[SnapshotRow]
) -> int:
    """Make the day's snapshots of these indicators exactly `rows`, in the caller's transaction; the rows' count."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if hasattr(cursor.cursor, "copy_expert"):
                # One writer of a plan's snapshots at a time (the nightly run, the approvals' sweep, a
                # report): the second waits for the first to commit, then sees its rows and merges
                # into them, where both inserting the same new day would fail on the unique key.
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SNAPSHOT_WRITERS, plan_id])
                return _merge(cursor, day, indicator_ids, rows)
    # Other databases (SQLite in development): delete and insert.
    counted = _Counted(rows)
    IndicatorSnapshot.objects.using(alias).filter(indicator__in=indicator_ids, day=day).delete()
    IndicatorSnapshot.objects.using(alias).bulk_create(
        (
            IndicatorSnapshot(
                indicator_id=indicator_id, unit_id=unit_id, day=day, numerator=numerator, denominator=denominator,
                value=value, expected=expected, status=status, missed=missed, covered_from=covered_from,
                covered_to=covered_to,
            )
            for indicator_id, unit_id, numerator, denominator, value, expected, status, missed, covered_from,
            covered_to in counted
        ),
        batch_size=2000,
    )  # fmt: skip
    return counted.count


def _merge(cursor: CursorWrapper, day: datetime.date, indicator_ids: list[int], rows: Iterable[SnapshotRow]) -> int:
    """PostgreSQL: stream a new day's rows into COPY; for a day already stored, write only the differences."""
    if not indicator_ids:
        return 0  # no indicator, no row
    counted = _Counted(rows)
    table = cursor.db.ops.quote_name(IndicatorSnapshot._meta.db_table)
    values = ", ".join(_VALUE_COLUMNS)
    params: dict[str, Any] = {"day": day, "indicators": indicator_ids}
    cursor.execute(
        f"SELECT EXISTS (SELECT 1 FROM {table} WHERE day = %(day)s AND indicator_id = ANY(%(indicators)s::bigint[]))",
        params,
    )
    if not cursor.fetchone()[0]:
        # A new day: nothing to compare with, every row goes straight in while the next are judged.
        reader = _LinesReader(_copy_lines(counted, f"{day}\t"))
        try:
            cursor.cursor.copy_expert(
                f"COPY {table} (day, indicator_id, unit_id, {values}) FROM STDIN", reader, size=_COPY_CHUNK
            )
        except cursor.db.Database.DatabaseError:  # psycopg2's own: this is its cursor, not Django's
            # The driver cancels the COPY when judging a row failed and reports that as its own error:
            # the caller gets the failure itself (the transaction rolls back either way).
            if reader.error is not None:
                raise reader.error from None
            raise
        return counted.count
    stored = cursor.db.connection.cursor(name="evaluation_stored_snapshots")  # server-side: read as compared
    stored.itersize = _STORED_BATCH
    stored.execute(
        f"SELECT indicator_id, unit_id, {values} FROM {table}"
        " WHERE day = %(day)s AND indicator_id = ANY(%(indicators)s::bigint[]) ORDER BY indicator_id",
        params,
    )
    try:
        changed, gone = _differences(counted, iter(stored))
    finally:
        stored.close()
    if gone:
        # Not evaluated again: units that left an indicator's scope lose that day's snapshot.
        cursor.execute(
            f"DELETE FROM {table} s USING unnest(%(gone_indicators)s::bigint[], %(gone_units)s::bigint[])"
            " AS g(indicator_id, unit_id)"
            " WHERE s.day = %(day)s AND s.indicator_id = g.indicator_id AND s.unit_id = g.unit_id",
            {**params, "gone_indicators": [key[0] for key in gone], "gone_units": [key[1] for key in gone]},
        )
    if changed:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {_STAGED} AS SELECT indicator_id, unit_id, {values} FROM {table} WITH NO DATA"
        )
        cursor.cursor.copy_expert(
            f"COPY {_STAGED} (indicator_id, unit_id, {values}) FROM STDIN", io.StringIO("".join(_copy_lines(changed)))
        )
        for statement in _upsert_statements(table, cursor.db.pg_version):
            cursor.execute(statement, params)
        cursor.execute(f"DROP TABLE {_STAGED}")
    return counted.count


def _differences(
    rows: Iterable[SnapshotRow], stored: Iterator[tuple[Any, ...]]
) -> tuple[list[SnapshotRow], list[tuple[int, int]]]:
    """The new rows that differ from the stored ones, and the keys of stored rows with no new row.

    Both come in indicator order (the stored ones sorted by the database, the new ones as the
    evaluation judges the indicators, by id), so one indicator's stored rows are held at a time:
    at national size (280,000 rows a day) holding them all took 180 MB.
    """
    changed: list[SnapshotRow] = []
    gone: list[tuple[int, int]] = []
    waiting = next(stored, None)
    previous = -1
    for indicator_id, new_rows in groupby(rows, key=itemgetter(0)):
        if indicator_id <= previous:
            raise ValueError("snapshot rows must come grouped by indicator, in the order of the indicators' ids")
        previous = indicator_id
        here: dict[int, tuple[Any, ...]] = {}
        while waiting is not None and waiting[0] <= indicator_id:
            if waiting[0] == indicator_id:
                here[waiting[1]] = waiting[2:]
            else:
                gone.append((waiting[0], waiting[1]))
            waiting = next(stored, None)
        changed.extend(row for row in new_rows if here.pop(row[1], None) != row[2:])
        gone.extend((indicator_id, unit_id) for unit_id in here)
    while waiting is not None:
        gone.append((waiting[0], waiting[1]))
        waiting = next(stored, None)
    return changed, gone


class _Counted:
    """The rows, counted as they pass (a generator's length is known only once it is spent)."""

    def __init__(self, rows: Iterable[SnapshotRow]) -> None:
        self._rows = rows
        self.count = 0

    def __iter__(self) -> Iterator[SnapshotRow]:
        for row in self._rows:
            self.count += 1
            yield row


class _LinesReader:
    """A read-only text file over lines made on demand, for `copy_expert`: COPY takes each chunk as it is made."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._rest = ""
        self.error: Exception | None = None  # what making a line raised, which the driver turns into its own

    def read(self, size: int = -1) -> str:
        parts, length = [self._rest], len(self._rest)
        try:
            for line in self._lines:
                parts.append(line)
                length += len(line)
                if 0 <= size <= length:
                    break
        except Exception as error:
            self.error = error
            raise
        text = "".join(parts)
        if size < 0:
            self._rest = ""
            return text
        self._rest = text[size:]
        return text[:size]


def _copy_lines(rows: Iterable[SnapshotRow], prefix: str = "") -> Iterator[str]:
    """The rows in COPY's text format, each line starting with `prefix` (the day's column, when given).

    Decimals go as their str() (what an f-string writes), exactly as psycopg2 sends them in an INSERT.
    Spelled out, not a helper per value: tens of thousands of rows of 8 values a night.
    """
    for indicator_id, unit_id, numerator, denominator, value, expected, status, missed, start, end in rows:
        yield (
            f"{prefix}{indicator_id}\t{unit_id}\t{_NULL if numerator is None else numerator}\t"
            f"{_NULL if denominator is None else denominator}\t{_NULL if value is None else value}\t"
            f"{_NULL if expected is None else expected}\t{status}\t{_NULL if missed is None else missed}\t"
            f"{_NULL if start is None else start}\t{_NULL if end is None else end}\n"
        )


def _upsert_statements(table: str, pg_version: int) -> list[str]:
    """SQL that writes the staged rows over the stored ones of the same key and inserts the missing ones.

    One MERGE on PostgreSQL 15 and later (one join of the staged and stored rows
    instead of two); an UPDATE and an INSERT before that.
    """
    same_key = "s.indicator_id = n.indicator_id AND s.unit_id = n.unit_id AND s.day = %(day)s"
    assignments = ", ".join(f"{column} = n.{column}" for column in _VALUE_COLUMNS)
    columns = f"indicator_id, unit_id, day, {', '.join(_VALUE_COLUMNS)}"
    new_row = f"n.indicator_id, n.unit_id, %(day)s, {', '.join(f'n.{column}' for column in _VALUE_COLUMNS)}"
    if pg_version >= 150000:
        return [
            f"MERGE INTO {table} s USING {_STAGED} n ON {same_key}"
            f" WHEN MATCHED THEN UPDATE SET {assignments}"
            f" WHEN NOT MATCHED THEN INSERT ({columns}) VALUES ({new_row})"
        ]
    return [
        f"UPDATE {table} s SET {assignments} FROM {_STAGED} n WHERE {same_key}",
        f"INSERT INTO {table} ({columns}) SELECT {new_row} FROM {_STAGED} n"
        f" WHERE NOT EXISTS (SELECT 1 FROM {table} s WHERE {same_key})",
    ]
