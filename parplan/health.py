"""Is the portal working: the database, Redis, and a worker that runs the beat's jobs.

One list of checks serves `/healthz` (the proxy and monitoring) and
`manage.py healthcheck` (docker-compose's health check, which reaches no URL:
the web container answers only the hosts in ALLOWED_HOSTS and redirects plain HTTP).
"""

from __future__ import annotations

import dataclasses
import datetime
import socket
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection
from django.utils import timezone

HEARTBEAT = "heartbeat"


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any driver error means "not working", said in the detail
        return Check("database", False, type(error).__name__)
    return Check("database", True, connection.vendor)


def check_redis() -> Check:
    """A PING to REDIS_URL; an install without Redis (development) has nothing to check."""
    if not settings.REDIS_URL:
        return Check("redis", True, "not configured")
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except (redis.RedisError, OSError) as error:
        return Check("redis", False, type(error).__name__)
    return Check("redis", True, "ping")


def check_worker(now: datetime.datetime | None = None) -> Check:
    """The beat sends `parplan.tasks.heartbeat` every minute; a worker running it updates the row."""
    from parplan.models import WorkerHeartbeat

    try:
        beat = WorkerHeartbeat.objects.filter(name=HEARTBEAT).first()
    except Exception as error:  # the database check reports the cause
        return Check("worker", False, type(error).__name__)
    if beat is None:
        return Check("worker", False, "no heartbeat yet")
    age = ((now or timezone.now()) - beat.seen_at).total_seconds()
    fresh = age <= settings.PARPLAN_HEARTBEAT_STALE_SECONDS
    return Check("worker", fresh, f"last heartbeat {int(age)} s ago")


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database,
    "redis": check_redis,
    "worker": check_worker,
}


def run_checks(names: Iterable[str] | None = None) -> list[Check]:
    return [CHECKS[name]() for name in (names or CHECKS)]


def heartbeat_record(worker: str = "") -> None:
    """What the heartbeat job does: note that a worker is running the beat's jobs now."""
    from parplan.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        name=HEARTBEAT, defaults={"seen_at": timezone.now(), "worker": worker or socket.gethostname()}
    )
