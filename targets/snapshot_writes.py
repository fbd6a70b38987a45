"""Writing a day's indicator snapshots: only what changed, a chunk of indicators at a time.

`targets.evaluation` judges every (indicator, unit) of a plan on a day, a chunk of
indicators at a time, and hands each chunk's rows to a `SnapshotWriter`, which
makes the day's stored rows of those indicators exactly these, in the caller's
transaction.

On PostgreSQL (bench/README.md has the measurements):

- **a new day** (the nightly run at 01:00: nothing stored for the day): each
  chunk's rows go into `COPY … FROM STDIN` while the next chunk is judged, so the
  database parses and indexes one chunk while Python judges the next (two
  processes, two cores) instead of after the last one;
- **the day again** (every approval, every report, a second run): the day's
  stored rows of a chunk's indicators are read with its figures and compared in
  Python with the new ones; only the rows that differ are written (COPY into a
  scratch table, then one MERGE), the rows of units that left an indicator's
  scope are deleted, and when nothing changed nothing is written. Rewriting
  unchanged rows cost more than the aggregation itself.

The comparison is exact: values are rounded here to the snapshot columns' places
with the database's own rule (half away from zero), so what is compared is what
would be stored. Other databases (SQLite in development) delete and insert.
"""

from __future__ import annotations

import datetime
import io
from collections import deque
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
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
# How much COPY text is handed to the driver at a time (its default is 8 kB): the per-call cost is nothing.
_COPY_CHUNK = 1 << 16
# IndicatorSnapshot.value and .expected keep four places (numerator and denominator are sums of figures
# with two, already exact).
_VALUE_PLACES = Decimal("0.0001")


def stored_value(value: Decimal | None) -> Decimal | None:
    """A value or expected value as the snapshot column stores it: four places, ties away from zero."""
    return None if value is None else value.quantize(_VALUE_PLACES, rounding=ROUND_HALF_UP)


class SnapshotWriter:
    """Makes the day's snapshots of a plan's indicators exactly the rows handed over, in the caller's transaction.

    The rows come a chunk of indicators at a time (`take`), each chunk with the day's
    stored rows of its indicators (`stored_of`, read beforehand). `take` is pure Python:
    the evaluation calls it while its read-ahead thread (targets/read_ahead.py) holds the
    connection to read the next chunk and hand the previous chunk's new rows to COPY
    (`copy_pending`). `finish` writes what is left and says how many rows there were.
    """

    def __init__(self, alias: str, plan_id: int, day: datetime.date, indicator_ids: list[int]) -> None:
        self.connection = connections[alias]
        self.alias, self.day, self.indicator_ids = alias, day, indicator_ids
        self.count = 0
        self._table = self.connection.ops.quote_name(IndicatorSnapshot._meta.db_table)
        self._changed: list[SnapshotRow] = []
        self._gone: list[tuple[int, int]] = []
        self._rows: list[SnapshotRow] = []  # other databases: written in `finish`
        self._pending: deque[str] = deque()  # a new day's COPY text, chunk by chunk, until `copy_pending`
        self._postgresql = False
        self.new_day = False
        if self.connection.vendor == "postgresql" and indicator_ids:
            with self.connection.cursor() as cursor:
                self._postgresql = hasattr(cursor.cursor, "copy_expert")
                if self._postgresql:
                    # One writer of a plan's snapshots at a time (the nightly run, the approvals' sweep, a
                    # report): the second waits for the first to commit, then sees its rows and merges
                    # into them, where both inserting the same new day would fail on the unique key.
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_SNAPSHOT_WRITERS, plan_id])
                    cursor.execute(
                        f"SELECT EXISTS (SELECT 1 FROM {self._table}"
                        " WHERE day = %s AND indicator_id = ANY(%s::bigint[]))",
                        [day, indicator_ids],
                    )
                    self.new_day = not cursor.fetchone()[0]

    def stored_of(self, indicator_ids: list[int]) -> list[tuple[Any, ...]]:
        """The day's stored rows of these indicators, as read: what `take` compares the new ones with."""
        if not self._postgresql or self.new_day or not indicator_ids:
            return []
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT indicator_id, unit_id, {', '.join(_VALUE_COLUMNS)} FROM {self._table}"
                " WHERE day = %s AND indicator_id = ANY(%s::bigint[])",
                [self.day, indicator_ids],
            )
            rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows

    def take(self, rows: Iterable[SnapshotRow], stored_rows: list[tuple[Any, ...]]) -> None:
        """One chunk's new rows, with the stored rows of its indicators (`stored_of`); no query.

        A new day's rows become COPY text, written by the next `copy_pending`. On a day already
        stored, only the rows that differ from the stored ones are kept for `finish`, and the
        stored rows left without a new row (units out of the indicator's scope now) are deleted.
        """
        if not self._postgresql:
            before = len(self._rows)
            self._rows.extend(rows)
            self.count += len(self._rows) - before
            return
        if self.new_day:
            chunk = list(rows)
            self._pending.append("".join(_copy_lines(chunk, f"{self.day}\t")))
            self.count += len(chunk)
            return
        stored = {(row[0], row[1]): row[2:] for row in stored_rows}
        for row in rows:
            self.count += 1
            if stored.pop((row[0], row[1]), None) != row[2:]:
                self._changed.append(row)
        self._gone.extend(stored)

    def copy_pending(self) -> None:
        """COPY the new day's rows taken so far (the read-ahead thread calls it between its reads)."""
        while self._pending:
            text = self._pending.popleft()
            if text:
                with self.connection.cursor() as cursor:
                    cursor.cursor.copy_expert(
                        f"COPY {self._table} (day, indicator_id, unit_id, {', '.join(_VALUE_COLUMNS)}) FROM STDIN",
                        io.StringIO(text),
                        size=_COPY_CHUNK,
                    )

    def finish(self) -> int:
        """Write what is left; the number of rows taken."""
        if not self._postgresql:
            self._replace_all()
            return self.count
        self.copy_pending()
        if self._gone or self._changed:
            with self.connection.cursor() as cursor:
                self._write_differences(cursor)
        return self.count

    def _write_differences(self, cursor: CursorWrapper) -> None:
        table, values = self._table, ", ".join(_VALUE_COLUMNS)
        params: dict[str, Any] = {"day": self.day}
        if self._gone:
            # Not evaluated again: units that left an indicator's scope lose that day's snapshot.
            cursor.execute(
                f"DELETE FROM {table} s USING unnest(%(gone_indicators)s::bigint[], %(gone_units)s::bigint[])"
                " AS g(indicator_id, unit_id)"
                " WHERE s.day = %(day)s AND s.indicator_id = g.indicator_id AND s.unit_id = g.unit_id",
                {**params, "gone_indicators": [k[0] for k in self._gone], "gone_units": [k[1] for k in self._gone]},
            )
        if self._changed:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_STAGED} AS SELECT indicator_id, unit_id, {values} FROM {table} WITH NO DATA"
            )
            cursor.cursor.copy_expert(
                f"COPY {_STAGED} (indicator_id, unit_id, {values}) FROM STDIN",
                io.StringIO("".join(_copy_lines(self._changed))),
            )
            for statement in _upsert_statements(table, cursor.db.pg_version):
                cursor.execute(statement, params)
            cursor.execute(f"DROP TABLE {_STAGED}")

    def _replace_all(self) -> None:
        """Other databases (SQLite in development): delete and insert."""
        snapshots = IndicatorSnapshot.objects.using(self.alias)
        snapshots.filter(indicator__in=self.indicator_ids, day=self.day).delete()
        snapshots.bulk_create(
            (
                IndicatorSnapshot(
                    indicator_id=indicator_id, unit_id=unit_id, day=self.day, numerator=numerator,
                    denominator=denominator, value=value, expected=expected, status=status, missed=missed,
                    covered_from=covered_from, covered_to=covered_to,
                )
                for indicator_id, unit_id, numerator, denominator, value, expected, status, missed, covered_from,
                covered_to in self._rows
            ),
            batch_size=2000,
        )  # fmt: skip


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
