"""Fixtures of the real-process tests: a private Redis, this process sending to it, a worker."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from config.celery import app
from tests.faults.processes import PrivateRedis, Worker, forget_connections, free_port


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    server = PrivateRedis(port=free_port(), folder=tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def sending_to(private_redis: PrivateRedis) -> Iterator[None]:
    """This process sends its jobs to the private Redis, not inline."""
    names = ("task_always_eager", "broker_url", "result_backend")
    saved = {name: app.conf[name] for name in names}
    app.conf.update(task_always_eager=False, broker_url=private_redis.url, result_backend=private_redis.url)
    forget_connections()
    try:
        yield
    finally:
        app.conf.update(saved)
        # Later tests (tests/test_celery.py) must not reach this test's stopped redis-server.
        forget_connections()


@pytest.fixture
def worker(private_redis: PrivateRedis, sending_to: None, tmp_path: Path) -> Iterator[Worker]:
    if connection.vendor != "postgresql":
        pytest.skip("the worker process needs a database server it can share (DATABASE_URL to PostgreSQL)")
    running = Worker(private_redis.url, tmp_path / "media", tmp_path / "worker.log")
    running.start()
    try:
        yield running
    finally:
        running.stop()
