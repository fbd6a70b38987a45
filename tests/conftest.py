"""Shared test set-up: the seed plan loaded once, and a fixed cast of users.

The cast (from `manage.py demo`, like healthchecks' alice/bob/charlie):
- noivu: secretariat (Phòng Nội vụ)          - bcd: steering committee
- dongdang.lanhdao: head of Thị trấn Đồng Đăng - dongdang.canbo: its staff
- baolam.lanhdao: head of another commune       - tuphap.lanhdao: head of an office
- admin: administrator                          - outsider: no membership at all
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.cache.backends.redis import RedisCache
from django.core.management import call_command
from django.test import Client

from parplan.celery import app as celery_app
from parplan.models import Plan

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class WorkerRedisCache(RedisCache):
    """Redis cache whose clear() drops this test process's keys only.

    pytest-xdist workers share REDIS_URL's database (each has its own SQL test
    database, but the same primary keys): each gets its own KEY_PREFIX, and clear()
    must not FLUSHDB under another worker's feet, nor Celery's queue and results.
    """

    def clear(self) -> bool:
        client = self._cache.get_client(None, write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Jobs run inline in tests; the Redis test starts a real worker instead.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    # pytest-xdist workers (scripts/test.sh) share REDIS_URL: each sends its Celery
    # jobs to a queue of its own (a Redis test's real worker takes only its own
    # process's jobs) and keeps its cache keys apart.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")  # gw0, gw1… under xdist
    celery_app.conf.task_default_queue = f"parplan-test-{worker}"
    cache = settings.CACHES["default"]
    if cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        settings.CACHES = {
            "default": {**cache, "BACKEND": f"{__name__}.WorkerRedisCache", "KEY_PREFIX": f"parplan-test-{worker}"}
        }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # Loaded once per session; each test rolls back its own changes.
    # Transactional tests (browser, Redis) flush the database and load it again.
    with django_db_blocker.unblock():
        call_command("demo", stdout=open(os.devnull, "w"))


@pytest.fixture
def seed_plan(db: Any) -> Plan:
    return Plan.objects.select_related("issuing_unit").get(issuing_unit__code="183", year=2024)


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


@pytest.fixture
def secretariat(db: Any) -> Any:
    return _user("noivu")


@pytest.fixture
def steering(db: Any) -> Any:
    return _user("bcd")


@pytest.fixture
def administrator(db: Any) -> Any:
    return _user("admin")


@pytest.fixture
def commune_head(db: Any) -> Any:
    return _user("dongdang.lanhdao")


@pytest.fixture
def commune_staff(db: Any) -> Any:
    return _user("dongdang.canbo")


@pytest.fixture
def other_commune_head(db: Any) -> Any:
    return _user("baolam.lanhdao")


@pytest.fixture
def office_head(db: Any) -> Any:
    return _user("tuphap.lanhdao")


@pytest.fixture
def outsider(db: Any) -> Any:
    return get_user_model().objects.create_user("outsider", password="x")


@pytest.fixture
def client_for() -> Any:
    def make(user: Any) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
