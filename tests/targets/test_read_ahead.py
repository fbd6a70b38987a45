"""targets/read_ahead.py: the next chunk is read on the caller's connection while this one is judged."""

from __future__ import annotations

import threading
import time
from contextlib import closing
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connections

from parplan.models import UnitKind
from targets.read_ahead import read_ahead


@pytest.mark.django_db
def test_the_next_chunk_is_read_while_this_one_is_used():
    second_read = threading.Event()
    log: list[tuple[str, int, str]] = []

    def read(chunk: int) -> int:
        log.append(("read", chunk, threading.current_thread().name))
        if chunk == 2:
            second_read.set()
        return chunk * 10

    with closing(read_ahead(connections["default"], [1, 2, 3], read, lambda: None)) as chunks:
        got = []
        for chunk, result in chunks:
            if chunk == 1:
                # Chunk 2 is read while chunk 1 is in the caller's hands: were it read afterwards, this waits in vain.
                assert second_read.wait(timeout=10)
            got.append((chunk, result))
    assert got == [(1, 10), (2, 20), (3, 30)]
    assert [name.startswith("evaluation-reads") for _what, _chunk, name in log] == [True, True, True]


@pytest.mark.django_db
def test_the_thread_reads_in_the_caller_s_transaction():
    """The test's own transaction is never committed: another connection would not see the new kind."""
    UnitKind.objects.create(code="thu-nghiem", name="Loại thử nghiệm")

    caller_s = connections["default"]  # the wrapper itself: `django.db.connection` is the thread's own

    def read(code: str) -> Any:
        with caller_s.cursor() as cursor:
            cursor.execute(f"SELECT name FROM {UnitKind._meta.db_table} WHERE code = %s", [code])
            return cursor.fetchone()

    with closing(read_ahead(connections["default"], ["thu-nghiem"], read, lambda: None)) as chunks:
        assert list(chunks) == [("thu-nghiem", ("Loại thử nghiệm",))]


@pytest.mark.django_db
def test_a_failed_read_reaches_the_caller_and_closing_waits_for_the_thread():
    finished: list[int] = []
    fourth_started = threading.Event()

    def read(chunk: int) -> int:
        if chunk == 2:
            raise RuntimeError("the read failed")
        if chunk == 4:
            fourth_started.set()
            time.sleep(0.3)  # still running when the caller gives up
        finished.append(chunk)
        return chunk

    with closing(read_ahead(connections["default"], [1, 2], read, lambda: None)) as chunks:
        assert next(chunks) == (1, 1)
        with pytest.raises(RuntimeError, match="the read failed"):
            next(chunks)
    chunks = read_ahead(connections["default"], [3, 4, 5], read, lambda: None)
    assert next(chunks) == (3, 3)
    assert fourth_started.wait(timeout=10)  # chunk 4 is being read now
    chunks.close()
    assert finished == [1, 3, 4]  # closed only once the thread was done with chunk 4; chunk 5 never read
    # The connection is the caller's alone again.
    assert not connections["default"].allow_thread_sharing


def test_other_databases_read_each_chunk_in_turn_in_the_caller_s_thread():
    calls: list[Any] = []
    sqlite = SimpleNamespace(vendor="sqlite")

    def read(chunk: str) -> str:
        calls.append(("read", chunk, threading.current_thread() is threading.main_thread()))
        return chunk.upper()

    results = list(read_ahead(sqlite, ["a", "b"], read, lambda: calls.append("between")))  # type: ignore[arg-type]
    assert results == [("a", "A"), ("b", "B")]
    assert calls == ["between", ("read", "a", True), "between", ("read", "b", True)]
