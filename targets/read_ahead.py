"""Reading the next chunk of work while this one is judged: the evaluation's database and Python side by side.

The nightly evaluation is database work (adding up each indicator's figures, reading
the day's stored rows, writing the new ones) and Python work (rolling the totals up
the tree, the status rule, the comparison), about half each at province size. Done
one after the other, the database waited for Python and Python for the database.
Here one worker thread holds the connection, a chunk of indicators ahead: while the
caller judges chunk k, the thread writes what chunk k-1 left (`between`) and reads
chunk k+1. The query runs in PostgreSQL's own process and psycopg2 releases the GIL
while it waits, so the two run on two cores (bench/README.md, "Indicators").

The thread uses the caller's own connection (Django's thread sharing), so everything
stays in the caller's transaction; the caller runs no query while it holds a chunk.
Other databases (SQLite in development) read each chunk in turn, in the caller's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar, cast

from django.db.backends.base.base import BaseDatabaseWrapper

Chunk = TypeVar("Chunk")
Read = TypeVar("Read")


def read_ahead(
    connection: BaseDatabaseWrapper, chunks: Sequence[Chunk], read: Callable[[Chunk], Read], between: Callable[[], None]
) -> Generator[tuple[Chunk, Read], None, None]:
    """Each chunk with what `read` made of it; the next one is read (after `between`) while this one is used.

    Close the iterator (`contextlib.closing`) inside the transaction: closing waits for
    the thread's last query, so that no query runs after the transaction has ended.
    """
    if connection.vendor != "postgresql":
        for chunk in chunks:
            between()
            yield chunk, read(chunk)
        return

    if not chunks:
        return
    closed = threading.Event()

    def job(chunk: Chunk) -> Read | None:
        # Closed while this job waited (the caller failed): no write, no read, on a transaction being undone.
        if closed.is_set():
            return None
        between()
        return read(chunk)

    connection.inc_thread_sharing()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="evaluation-reads")
    try:
        pending: Future[Read | None] = pool.submit(job, chunks[0])
        for index, chunk in enumerate(chunks):
            done = pending.result()
            if index + 1 < len(chunks):
                pending = pool.submit(job, chunks[index + 1])
            yield chunk, cast(Read, done)
    finally:
        closed.set()
        pool.shutdown(wait=True)
        connection.dec_thread_sharing()
