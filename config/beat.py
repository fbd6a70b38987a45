"""One beat for the whole portal: a second `celery beat` on the same database exits at start, saying why.

Beat sends the schedule (config/celery.py); two of them would send every nightly
job twice and every minute's sweep twice. The jobs survive that (the night's
claims, the sweeps' row locks: docs/scaling.md), but it is a mistake of the
deployment, so it is refused rather than absorbed. The guard is a PostgreSQL
advisory lock held by a connection of beat's own for as long as the process
lives, so it spans machines and is freed when the process dies (within about a
minute and a half when its machine vanishes: the session's TCP keepalives);
on SQLite (one machine by definition) a lock on a file beside the schedule.
"""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO, Any

from celery.beat import PersistentScheduler
from django.conf import settings
from django.db import connections
from django.utils.translation import gettext as _

# The advisory lock's key: "BEAT" in ASCII.
BEAT_LOCK = 0x42454154


def beat_guard_take() -> Any | None:
    """What holds the lock (keep it referenced for the process's life), or None when another beat holds it."""
    database = connections.create_connection("default")  # not in `connections`: nothing closes it
    if database.vendor == "postgresql":
        with database.cursor() as cursor:
            # A beat whose machine loses power or network holds the lock until the server notices:
            # with these, within about a minute and a half (the defaults: two hours).
            cursor.execute(
                "SET tcp_keepalives_idle = 60; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3"
            )
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [BEAT_LOCK])
            (taken,) = cursor.fetchone()
        if taken:
            return database
        database.close()
        return None
    database.close()
    return _file_lock(Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).with_suffix(".lock"))


def _file_lock(path: Path) -> IO[str] | None:
    handle = path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


class SingleBeatScheduler(PersistentScheduler):
    """Celery's file-backed scheduler, which first takes the one-beat lock (CELERY_BEAT_SCHEDULER)."""

    _guard: Any = None

    def setup_schedule(self) -> None:
        self._guard = beat_guard_take()
        if self._guard is None:
            # SystemExit, not an error Celery would log and carry on after: the process ends here.
            raise SystemExit(
                _("Một celery beat khác đang chạy trên cùng cơ sở dữ liệu; chỉ chạy một beat (docs/scaling.md).")
            )
        super().setup_schedule()
