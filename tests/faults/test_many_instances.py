"""The portal on several machines: two gunicorn instances and two workers against one database and one Redis.

Played here as processes of this machine, each started against this test's
database and a private redis-server (tests/faults/processes.py):

- the web tier keeps no state of its own: a session opened on one instance is the
  same session on the other, and ends on both when it ends on one;
- the nightly evaluation is one job per active plan, which either worker takes;
  handed out twice (two beats, or a redelivered job) each plan is still evaluated
  once, and the snapshots are those one process evaluating alone writes;
- a second beat on the same database exits at start, saying why.
"""

from __future__ import annotations

import datetime
import http.cookiejar
import json
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from config.beat import BEAT_LOCK
from config.celery import app
from parplan.models import Plan, PlanStatus, Role, Unit
from parplan.services import membership_add
from planio.interchange import plan_import
from targets.evaluation import NIGHTLY_JOB, evaluate_active_plans
from targets.models import Frequency, IndicatorSnapshot, NightlyEvaluation, Period
from tests.concurrency.conftest import PLAN
from tests.faults.processes import REDIS_SERVER, ROOT, PrivateRedis, WebInstance, Worker, process_env, wait_for
from tests.targets.builders import approved, ratio

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(REDIS_SERVER is None, reason="redis-server is not installed"),
    pytest.mark.django_db(transaction=True),
]

NIGHT = datetime.date(2024, 12, 14)
WORKER_NAMES = ("worker-a@parplan", "worker-b@parplan")
PASSWORD = "Mật-khẩu-thử-2024"


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the processes need a database server they can share (DATABASE_URL to PostgreSQL)")


@pytest.fixture
def workers(private_redis: PrivateRedis, sending_to: None, tmp_path: Path) -> Iterator[list[Worker]]:
    _postgresql_only()
    running = [Worker(private_redis.url, tmp_path / "media", tmp_path / f"{name}.log", name) for name in WORKER_NAMES]
    for worker in running:
        worker.start()
    try:
        # Both consuming before the night is sent: a worker still starting would leave every plan to the other.
        for worker in running:
            wait_for(worker.ready, 60, worker.output)
        yield running
    finally:
        for worker in running:
            worker.stop()


@pytest.fixture
def web(private_redis: PrivateRedis, tmp_path: Path) -> Iterator[list[WebInstance]]:
    _postgresql_only()
    instances = [WebInstance(private_redis.url, tmp_path / "media", tmp_path / f"web-{i}.log") for i in (1, 2)]
    try:
        for instance in instances:
            instance.start()
        yield instances
    finally:
        for instance in instances:
            instance.stop()


def _plans_of_other_years() -> list[Plan]:
    """The district's plan for 2021–2023, active, each with one approved January figure."""
    clerk = get_user_model().objects.create_user("nhieu.maychu", password=PASSWORD)
    plans = []
    for year in (2021, 2022, 2023):
        document = json.loads(json.dumps(PLAN, ensure_ascii=False).replace("2024", str(year)))
        plan = Plan.objects.get(pk=plan_import(document).pk)
        indicator = plan.areas.get(number=2).targets.get().indicators.get()
        january = Period.objects.get(plan=plan, frequency=Frequency.MONTHLY, number=1)
        approved(indicator, Unit.objects.get(code="06112"), january, ratio(70 + year % 10, 100), clerk)
        plans.append(plan)
    return plans


def _snapshots(day: datetime.date) -> list[tuple[Any, ...]]:
    return sorted(
        IndicatorSnapshot.objects.filter(day=day).values_list(
            "indicator_id", "unit_id", "numerator", "denominator", "value", "expected", "status", "missed",
            "covered_from", "covered_to",
        )
    )  # fmt: skip


def _nights_reach(workers: list[Worker], count: int) -> bool:
    return _finished_nights(workers) == count


def _finished_nights(workers: list[Worker]) -> int:
    pattern = re.compile(rf"Task {re.escape(NIGHTLY_JOB)}\[[^\]]+\] succeeded")
    return sum(len(pattern.findall(worker.output())) for worker in workers)


def test_the_night_is_shared_by_two_workers_each_plan_once_with_the_snapshots_of_a_single_run(workers):
    _plans_of_other_years()
    active = set(Plan.objects.filter(status=PlanStatus.ACTIVE).values_list("pk", flat=True))
    assert len(active) >= 3
    # Which worker takes which job is the broker's choice: a night's few short jobs can all go to one. Nights
    # are run until both have taken plans (at most three); on every night each plan is claimed exactly once.
    takers: set[str] = set()
    nights = [NIGHT - datetime.timedelta(days=k) for k in range(3)]
    for run, night in enumerate(nights, start=1):
        # Two beats (or the hand-out delivered twice): every plan is handed out twice.
        for _ in range(2):
            app.send_task("targets.tasks.evaluate_indicators", kwargs={"day": night.isoformat()}, ignore_result=True)
        expected = 2 * len(active) * run  # the jobs of this night and of the nights before
        wait_for(
            partial(_nights_reach, workers, expected), 120,
            lambda: "both hand-outs' jobs to finish\n" + "\n".join(worker.output() for worker in workers),
        )  # fmt: skip
        claims = NightlyEvaluation.objects.filter(day=night)
        assert sorted(claims.values_list("plan_id", flat=True)) == sorted(active)  # each plan once
        takers |= set(claims.values_list("worker", flat=True))
        if takers == set(WORKER_NAMES):
            break
    assert takers == set(WORKER_NAMES), "both workers took plans"

    shared = _snapshots(night)
    assert {row[0] for row in shared}, "the night wrote snapshots"
    IndicatorSnapshot.objects.filter(day=night).delete()
    evaluate_active_plans(day=night)  # one process alone, as before the split
    assert _snapshots(night) == shared


# --- The web tier ------------------------------------------------------------------------


class Browser:
    """A client keeping its cookies across both instances (one host, two ports: cookies ignore the port)."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())

    def get(self, url: str) -> tuple[int, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", "")

    def post(self, url: str, fields: dict[str, str]) -> int:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf_token(url)}).encode()
        try:
            with self.opener.open(urllib.request.Request(url, data=data, method="POST"), timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def csrf_token(self, url: str) -> str:
        status, page = self.get(url)
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not found:  # a page without a form (logout is a POST from any page): the cookie's token
            return next(cookie.value or "" for cookie in self.cookies if cookie.name == "csrftoken")
        return found.group(1)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a redirect is an answer to look at, not to follow


def test_a_session_opened_on_one_instance_is_the_same_on_the_other_and_ends_on_both(web, settings):
    first, second = web
    # The instances check passwords with the portal's hashers (the tests' MD5 is only theirs).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    plan_import(PLAN)  # an earlier transactional test may have emptied the database
    steering = get_user_model().objects.create_user("bcd.hai.may", password=PASSWORD, first_name="Lộc Văn Hai")
    membership_add(user=steering, unit=Unit.objects.get(code="182-BCD"), role=Role.STEERING)
    browser = Browser()
    assert browser.post(f"{first.url}/accounts/login/", {"username": "bcd.hai.may", "password": PASSWORD}) == 302

    status, page = browser.get(f"{second.url}/dashboard/")
    assert status == 200 and 'id="dashboard-filter"' in page, second.output()

    assert browser.post(f"{second.url}/accounts/logout/", {}) in (200, 302)
    status, location = browser.get(f"{first.url}/dashboard/")
    assert status == 302 and "/accounts/login/" in location


# --- One beat ------------------------------------------------------------------------------


def _beat_lock_held() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = %s"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            [BEAT_LOCK],
        )
        return cursor.fetchone() is not None


def test_a_second_beat_on_the_same_database_exits_at_start_saying_why(private_redis, tmp_path):
    _postgresql_only()
    env = process_env(private_redis.url, tmp_path / "media")
    celery = str(Path(sys.executable).with_name("celery"))

    def beat(name: str) -> list[str]:
        return [celery, "-A", "config", "beat", "-l", "info", "-s", str(tmp_path / f"{name}-schedule")]

    log = tmp_path / "beat-1.log"
    with log.open("ab") as out:
        first = subprocess.Popen(beat("one"), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(_beat_lock_held, 60, lambda: f"the first beat's lock\n{log.read_text(errors='replace')}")
        assert first.poll() is None, log.read_text(errors="replace")
        second = subprocess.run(beat("two"), cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode != 0
        assert "Một celery beat khác đang chạy trên cùng cơ sở dữ liệu" in second.stdout + second.stderr
        assert first.poll() is None, "the first beat keeps running"
    finally:
        first.terminate()
        first.wait(20)
    # Once the first has gone, a beat starts again (the lock dies with its process).
    log = tmp_path / "beat-3.log"
    with log.open("ab") as out:
        third = subprocess.Popen(beat("three"), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for(_beat_lock_held, 60, lambda: f"a beat after the first\n{log.read_text(errors='replace')}")
        assert third.poll() is None, log.read_text(errors="replace")
    finally:
        third.terminate()
        third.wait(20)
