"""Shared test set-up: the seed plan loaded once, and a fixed cast of users.

The cast (from `manage.py demo`, like healthchecks' alice/bob/charlie):
- noivu: secretariat (Phòng Nội vụ)          - bcd: steering committee
- dongdang.lanhdao: head of Thị trấn Đồng Đăng - dongdang.canbo: its staff
- baolam.lanhdao: head of another commune       - tuphap.lanhdao: head of an office
- admin: administrator                          - outsider: no membership at all
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from config.celery import app as celery_app
from parplan.models import Plan
from tests.tasks.version_guard import task_versions_watched

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Jobs run inline in tests; the Redis test starts a real worker instead.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    # Loaded once per session; each test rolls back its own changes.
    # Transactional tests (browser, Redis) flush the database and load it again.
    with django_db_blocker.unblock():
        call_command("demo", stdout=open(os.devnull, "w"))


@pytest.fixture
def seed_plan(db: Any) -> Plan:
    return Plan.objects.select_related("issuing_unit").get(issuing_unit__code="183", year=2024)


def _user(username: str) -> User:
    return get_user_model().objects.get(username=username)


@pytest.fixture
def secretariat(db: Any) -> User:
    return _user("noivu")


@pytest.fixture
def steering(db: Any) -> User:
    return _user("bcd")


@pytest.fixture
def administrator(db: Any) -> User:
    return _user("admin")


@pytest.fixture
def commune_head(db: Any) -> User:
    return _user("dongdang.lanhdao")


@pytest.fixture
def commune_staff(db: Any) -> User:
    return _user("dongdang.canbo")


@pytest.fixture
def other_commune_head(db: Any) -> User:
    return _user("baolam.lanhdao")


@pytest.fixture
def office_head(db: Any) -> User:
    return _user("tuphap.lanhdao")


@pytest.fixture
def outsider(db: Any) -> User:
    return get_user_model().objects.create_user("outsider", password="x")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _task_versions_watched() -> Any:
    """Every test fails on a task saved without a new version (tests/tasks/version_guard.py)."""
    with task_versions_watched():
        yield
