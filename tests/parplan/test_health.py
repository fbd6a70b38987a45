"""/healthz and `manage.py healthcheck`: the database, Redis and a worker running the beat's jobs (docs/deploy.md)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from config.celery import app as celery_app
from parplan.models import WorkerHeartbeat
from parplan.tasks import heartbeat

pytestmark = pytest.mark.django_db


def _beat(seconds_ago: float) -> None:
    WorkerHeartbeat.objects.update_or_create(
        name="heartbeat", defaults={"seen_at": timezone.now() - datetime.timedelta(seconds=seconds_ago)}
    )


def test_healthz_answers_anonymous_monitoring_with_every_part_ok(client):
    heartbeat.delay()  # what the beat sends every minute (eager in tests: a worker runs it)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["redis"]["ok"] and body["worker"]["ok"]
    assert response["Cache-Control"] == "no-store"
    # Monitoring polls it every few seconds: no session, no cookie.
    assert not response.cookies


def test_healthz_is_503_without_a_worker_heartbeat(client):
    WorkerHeartbeat.objects.all().delete()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"] == {"ok": False, "detail": "no heartbeat yet"}


def test_a_stale_heartbeat_means_the_worker_is_down(client, settings):
    settings.PARPLAN_HEARTBEAT_STALE_SECONDS = 180
    _beat(seconds_ago=120)
    assert client.get("/healthz").status_code == 200
    _beat(seconds_ago=400)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["worker"]["detail"] == "last heartbeat 400 s ago"


def test_healthz_reports_redis_down(client, settings):
    _beat(seconds_ago=0)
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["redis"]["ok"] is False and body["database"]["ok"] is True


def test_the_beat_sends_the_heartbeat_more_often_than_it_is_called_stale(settings):
    entry = celery_app.conf.beat_schedule["heartbeat"]
    assert entry["task"] == "parplan.tasks.heartbeat"
    assert entry["schedule"] * 2 <= settings.PARPLAN_HEARTBEAT_STALE_SECONDS


def test_the_healthcheck_command_fails_on_a_failing_part_and_can_check_one(settings, capsys):
    WorkerHeartbeat.objects.all().delete()
    with pytest.raises(CommandError, match="failing: worker"):
        call_command("healthcheck")
    call_command("healthcheck", only=["database"])
    assert "database: ok" in capsys.readouterr().out
