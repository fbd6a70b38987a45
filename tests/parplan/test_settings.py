"""Settings read the environment and fail loudly; production refuses unsafe start-ups.

Start-up checks run in a subprocess with a controlled environment: the settings
module is imported once per process, and this one is already configured.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_bool, env_int, env_list

PRINT_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "db_engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "db_host": settings.DATABASES["default"].get("HOST", ""),
    "db_conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE", 0),
    "broker": settings.CELERY_BROKER_URL,
    "result_backend": settings.CELERY_RESULT_BACKEND,
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "debug": settings.DEBUG,
    "production": settings.PRODUCTION,
    "media_root": str(settings.MEDIA_ROOT),
    "sendfile_root": settings.SENDFILE_ROOT,
    "sendfile_backend": settings.SENDFILE_BACKEND,
    "sendfile_url": settings.SENDFILE_URL,
}))
"""


# --- Typed helpers ------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["maybe", "2", "tru", "yes please"])
def test_env_bool_refuses_a_value_that_is_not_a_boolean(monkeypatch: pytest.MonkeyPatch, raw: str):
    monkeypatch.setenv("PARPLAN_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="PARPLAN_TEST_FLAG"):
        env_bool("PARPLAN_TEST_FLAG")


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), (" Yes ", True), ("1", True), ("off", False), ("", False)]
)
def test_env_bool_reads_the_usual_spellings(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool):
    monkeypatch.setenv("PARPLAN_TEST_FLAG", raw)
    assert env_bool("PARPLAN_TEST_FLAG", default=not expected) is expected


def test_env_bool_falls_back_to_the_default_when_unset(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("PARPLAN_TEST_FLAG", raising=False)
    assert env_bool("PARPLAN_TEST_FLAG", default=True) is True


@pytest.mark.parametrize("raw", ["12x", "twelve", "1.5"])
def test_env_int_refuses_a_value_that_is_not_an_integer(monkeypatch: pytest.MonkeyPatch, raw: str):
    monkeypatch.setenv("PARPLAN_TEST_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match="PARPLAN_TEST_NUMBER"):
        env_int("PARPLAN_TEST_NUMBER", 5)


def test_env_int_reads_an_integer(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PARPLAN_TEST_NUMBER", "587")
    assert env_int("PARPLAN_TEST_NUMBER", 25) == 587


def test_env_int_falls_back_to_the_default_when_blank(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PARPLAN_TEST_NUMBER", " ")
    assert env_int("PARPLAN_TEST_NUMBER", 25) == 25


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PARPLAN_TEST_HOSTS", " parplan.example.vn, ,localhost,")
    assert env_list("PARPLAN_TEST_HOSTS") == ["parplan.example.vn", "localhost"]


# --- Start-up in a controlled environment --------------------------------------------


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    # Local state goes to tmp_path so the repository's var/ folder is left alone.
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SQLITE_PATH": str(tmp_path / "parplan.sqlite3"),
        "CELERY_FILESYSTEM_DIR": str(tmp_path / "celery"),
        **values,
    }


def _production_env(tmp_path: Path, **values: str) -> dict[str, str]:
    complete = {
        "PARPLAN_MODE": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "parplan.example.vn",
        # Only read at start-up here: nothing connects to them.
        "DATABASE_URL": "postgres://parplan@127.0.0.1:5432/parplan",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
    }
    return _env(tmp_path, **{**complete, **values})


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120
    )


def _setup(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run(["-c", "import django; django.setup()"], env)


def _settings_seen(env: dict[str, str]) -> dict[str, object]:
    result = _run(["-c", f"import django; django.setup(){PRINT_SETTINGS}"], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_a_complete_production_environment_starts(tmp_path: Path):
    # The baseline the refusals below differ from by one variable.
    result = _setup(_production_env(tmp_path))
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path):
    env = _production_env(tmp_path)
    del env["SECRET_KEY"]
    result = _setup(env)
    assert result.returncode != 0
    assert "Production mode needs SECRET_KEY" in result.stderr


def test_production_refuses_a_short_secret_key(tmp_path: Path):
    result = _setup(_production_env(tmp_path, SECRET_KEY="x" * 20))
    assert result.returncode != 0
    assert "SECRET_KEY (at least 50 characters)" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path: Path):
    env = _production_env(tmp_path)
    del env["ALLOWED_HOSTS"]
    result = _setup(env)
    assert result.returncode != 0
    assert "Production mode needs ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize("missing", [["DATABASE_URL"], ["REDIS_URL"], ["DATABASE_URL", "REDIS_URL"]])
def test_production_refuses_to_start_without_postgresql_and_redis(tmp_path: Path, missing: list[str]):
    # Before: it started on a SQLite file inside the container and a cache and queue per process.
    env = _production_env(tmp_path)
    for name in missing:
        del env[name]
    result = _setup(env)
    assert result.returncode != 0
    assert f"Production mode needs {' and '.join(missing)} (PostgreSQL and Redis)" in result.stderr


def test_production_refuses_to_start_with_debug_on(tmp_path: Path):
    result = _setup(_production_env(tmp_path, DEBUG="true"))
    assert result.returncode != 0
    assert "DEBUG must be off in production mode" in result.stderr


def test_an_unknown_mode_refuses_to_start(tmp_path: Path):
    result = _setup(_env(tmp_path, PARPLAN_MODE="prod"))
    assert result.returncode != 0
    assert "PARPLAN_MODE='prod'" in result.stderr


def test_a_garbled_boolean_in_the_environment_stops_start_up(tmp_path: Path):
    result = _setup(_env(tmp_path, DEBUG="maybe"))
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_a_garbled_integer_in_the_environment_stops_start_up(tmp_path: Path):
    result = _setup(_env(tmp_path, EMAIL_PORT="25x"))
    assert result.returncode != 0
    assert "EMAIL_PORT='25x' is not an integer" in result.stderr


def test_deploy_check_in_production_mode_reports_no_issues(tmp_path: Path):
    result = _run(["manage.py", "check", "--deploy"], _production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


def test_deploy_check_in_development_mode_does_warn(tmp_path: Path):
    # Shows the check above can fail: the same command finds issues without the hardening.
    result = _run(["manage.py", "check", "--deploy"], _env(tmp_path))
    assert "security.W" in result.stdout + result.stderr


def test_with_no_environment_the_database_is_sqlite(tmp_path: Path):
    seen = _settings_seen(_env(tmp_path))
    assert seen["db_engine"] == "django.db.backends.sqlite3"
    assert seen["db_name"] == str(tmp_path / "parplan.sqlite3")


def test_with_no_environment_celery_uses_the_filesystem_broker(tmp_path: Path):
    seen = _settings_seen(_env(tmp_path))
    assert seen["broker"] == "filesystem://"
    assert seen["result_backend"] == f"file://{tmp_path / 'celery' / 'results'}"
    assert {path.name for path in (tmp_path / "celery").iterdir()} == {"queue", "processed", "results", "control"}


def test_with_no_environment_debug_is_on_and_the_cache_is_local_memory(tmp_path: Path):
    seen = _settings_seen(_env(tmp_path))
    assert seen["debug"] is True
    assert seen["production"] is False
    assert seen["cache_backend"] == "django.core.cache.backends.locmem.LocMemCache"


def test_redis_url_sets_broker_results_and_cache(tmp_path: Path):
    redis_url = "redis://redis.invalid:6379/3"
    seen = _settings_seen(_env(tmp_path, REDIS_URL=redis_url))
    assert seen["broker"] == redis_url
    assert seen["result_backend"] == redis_url
    # RedisCache that degrades to no cache while Redis is away (parplan/cache.py).
    assert seen["cache_backend"] == "parplan.cache.ForgivingRedisCache"
    assert seen["cache_location"] == redis_url
    assert not (tmp_path / "celery").exists()


def test_database_url_switches_to_postgresql_with_persistent_connections(tmp_path: Path):
    # Only parsed in the subprocess: nothing connects to this made-up server.
    seen = _settings_seen(_env(tmp_path, DATABASE_URL="postgres://parplan:secret@db.invalid:5432/parplan"))
    assert seen["db_engine"] == "django.db.backends.postgresql"
    assert (seen["db_name"], seen["db_host"]) == ("parplan", "db.invalid")
    assert seen["db_conn_max_age"] == 600


def test_production_hands_file_bytes_to_nginx_from_the_media_folder(tmp_path: Path):
    seen = _settings_seen(_production_env(tmp_path, MEDIA_ROOT="/srv/parplan/media"))
    assert seen["sendfile_backend"] == "django_sendfile.backends.nginx"
    assert seen["sendfile_root"] == seen["media_root"] == "/srv/parplan/media"
    # The internal location of deploy/nginx.conf.
    assert seen["sendfile_url"] == "/protected-files"


def test_development_sends_file_bytes_itself(tmp_path: Path):
    seen = _settings_seen(_env(tmp_path))
    assert seen["sendfile_backend"] == "django_sendfile.backends.simple"
    assert seen["sendfile_root"] == seen["media_root"]


# --- Sign-in settings (docs/access.md, "Đăng nhập và phiên") --------------------------

PRINT_SIGN_IN = """
import json
from django.conf import settings
print(json.dumps({
    "cookie_age": settings.SESSION_COOKIE_AGE,
    "idle_minutes": settings.PARPLAN_SESSION_IDLE_MINUTES,
    "failure_limit": settings.AXES_FAILURE_LIMIT,
    "cool_off_seconds": settings.AXES_COOLOFF_TIME.total_seconds(),
    "proxy_count": getattr(settings, "AXES_IPWARE_PROXY_COUNT", None),
    "min_length": [v.get("OPTIONS", {}).get("min_length") for v in settings.AUTH_PASSWORD_VALIDATORS],
}))
"""


def _sign_in_settings(env: dict[str, str]) -> dict[str, object]:
    result = _run(["-c", f"import django; django.setup(){PRINT_SIGN_IN}"], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_sign_in_limits_are_read_from_the_environment(tmp_path: Path):
    seen = _sign_in_settings(
        _env(
            tmp_path,
            PARPLAN_SESSION_HOURS="4",
            PARPLAN_SESSION_IDLE_MINUTES="15",
            PARPLAN_LOGIN_FAILURE_LIMIT="3",
            PARPLAN_LOCKOUT_MINUTES="60",
            PARPLAN_PROXY_COUNT="1",
            PARPLAN_PASSWORD_MIN_LENGTH="12",
        )
    )
    assert seen == {
        "cookie_age": 4 * 3600,
        "idle_minutes": 15,
        "failure_limit": 3,
        "cool_off_seconds": 3600,
        "proxy_count": 1,
        "min_length": [None, 12, None, None],
    }


def test_the_sign_in_defaults(tmp_path: Path):
    seen = _sign_in_settings(_env(tmp_path))
    assert seen == {
        "cookie_age": 8 * 3600,
        "idle_minutes": 30,
        "failure_limit": 5,
        "cool_off_seconds": 900,
        "proxy_count": None,
        "min_length": [None, 10, None, None],
    }


@pytest.mark.parametrize(
    "name",
    ["PARPLAN_SESSION_HOURS", "PARPLAN_SESSION_IDLE_MINUTES", "PARPLAN_LOGIN_FAILURE_LIMIT", "PARPLAN_LOCKOUT_MINUTES"],
)
@pytest.mark.parametrize("raw", ["0", "soon"])
def test_a_sign_in_limit_must_be_a_positive_number(tmp_path: Path, name: str, raw: str):
    result = _setup(_env(tmp_path, **{name: raw}))
    assert result.returncode != 0
    assert name in result.stderr
