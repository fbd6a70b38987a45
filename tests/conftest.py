"""Shared test set-up: the seed plan loaded once, and a fixed cast of users.

The cast (from `manage.py demo`, like healthchecks' alice/bob/charlie):
- noivu: secretariat (Phòng Nội vụ)          - bcd: steering committee
- dongdang.lanhdao: head of Thị trấn Đồng Đăng - dongdang.canbo: its staff
- baolam.lanhdao: head of another commune       - tuphap.lanhdao: head of an office
- admin: administrator                          - outsider: no membership at all

A second authority beside the seed's, built per test by `other_authority` (not
by the demo): UBND huyện Văn Lãng, another district of the same province, with
its own plan and its own people (vanlang.noivu, vanlang.bcd, nasam.lanhdao).
`province_secretariat` (langson.noivu) is the secretariat of the province above both.
"""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation

from config.celery import app as celery_app
from evidence.models import Evidence
from evidence.services import evidence_attach
from evidence.uploads import validate_uploads
from parplan.cache import ForgivingRedisCache
from parplan.models import Plan, Role, Unit
from parplan.services import membership_add
from planio.interchange import plan_import
from reports.models import GeneratedReport, ReportKind
from targets.models import Frequency, Indicator, Measurement, Period
from targets.services import FigureInput, measurement_save
from tasks.models import Task
from tests.demo_copy import demo_load
from tests.files import pdf_bytes
from tests.tasks.builders import TODAY
from tests.tasks.version_guard import task_versions_watched

# The count of tests/security/'s requests, printed at the end of the run (its module says why it is here).
pytest_plugins = ["tests.security.tally"]

# Playwright's sync API runs an event loop in the test thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class WorkerRedisCache(ForgivingRedisCache):
    """Redis cache whose clear() drops this test process's keys only.

    pytest-xdist workers share REDIS_URL's database (each has its own SQL test
    database, but the same primary keys): each gets its own KEY_PREFIX, and clear()
    must not FLUSHDB under another worker's feet, nor Celery's queue and results.
    """

    def clear(self) -> None:
        client = self._cache.get_client(None, write=True)  # type: ignore[attr-defined]  # RedisCache's client, not in the stubs
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    if "PYTEST_XDIST_WORKER" not in os.environ:
        # The .mo files are not in git: compile the catalogues that are missing or older than
        # their .po (as scripts/bootstrap.sh does), once, before any worker starts.
        script = str(settings.BASE_DIR / "scripts" / "messages.py")
        compiled = subprocess.run([sys.executable, script, "compile"], capture_output=True, text=True)
        if compiled.returncode != 0:
            pytest.exit(f"The message catalogues do not compile:\n{compiled.stdout}{compiled.stderr}", returncode=1)

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
    if cache["BACKEND"] == "parplan.cache.ForgivingRedisCache":
        settings.CACHES = {
            "default": {**cache, "BACKEND": f"{__name__}.WorkerRedisCache", "KEY_PREFIX": f"parplan-test-{worker}"}
        }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Loaded once per session; each test rolls back its own changes. Transactional
    # tests (browser, Redis) start on an emptied database and put the demo back with
    # tests.demo_copy.demo_restore(), from the copy taken here.
    with django_db_blocker.unblock():
        demo_load(tmp_path_factory.mktemp("demo-media"))


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    """A private MEDIA_ROOT for the test's files; downloads (django-sendfile2) read from the same folder."""
    settings.MEDIA_ROOT = settings.SENDFILE_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def nginx_sendfile(settings: Any) -> Iterator[str]:
    """Production's way of sending files (django-sendfile2's nginx backend); yields the internal URL prefix."""
    from django_sendfile.utils import _get_sendfile

    settings.SENDFILE_BACKEND = "django_sendfile.backends.nginx"
    settings.SENDFILE_URL = "/protected-files"
    # django-sendfile2 imports its backend once per process and keeps it.
    _get_sendfile.cache_clear()
    yield settings.SENDFILE_URL
    _get_sendfile.cache_clear()


@pytest.fixture
def seed_plan(db: Any) -> Plan:
    """The 2024 plan: its year is over, closed, its figures and statuses final."""
    return Plan.objects.select_related("issuing_unit").get(issuing_unit__code="183", year=2024)


@pytest.fixture
def current_plan(db: Any) -> Plan:
    """This year's active plan, which the demo copies from the 2024 one; pages open on it by default."""
    year = timezone.localdate().year
    return Plan.objects.select_related("issuing_unit").get(issuing_unit__code="183", year=year)


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
def _default_language() -> Any:
    """Each test starts in the default language: a request with the English cookie leaves English active.

    Numbers are written with the active language's decimal mark, so a leftover would change later tests.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _task_versions_watched() -> Any:
    """Every test fails on a task saved without a new version (tests/tasks/version_guard.py)."""
    with task_versions_watched():
        yield


# --- A second authority ---------------------------------------------------------------------

# Test data in the seed's shapes (codes and names made up where the seed has none).
OTHER_PLAN = {
    "format": "parplan-plan",
    "version": 1,
    "units": [
        {"code": "182", "name": "UBND huyện Văn Lãng", "kind": "district", "parent": "20"},
        {"code": "182-NV", "name": "Phòng Nội vụ huyện Văn Lãng", "kind": "office", "parent": "182"},
        {"code": "182-BCD", "name": "Ban Chỉ đạo CCHC huyện Văn Lãng", "kind": "steering_committee", "parent": "182"},
        {"code": "06112", "name": "Thị trấn Na Sầm", "kind": "town", "parent": "182"},
    ],
    "plan": {"issuing_unit": "182", "year": 2024, "title": "Cải cách hành chính huyện Văn Lãng năm 2024",
             "place": "Văn Lãng", "issue_date": "2024-01-20", "status": "active"},
    "areas": [
        {"number": 1, "name": "Chỉ đạo, điều hành CCHC huyện Văn Lãng", "tasks": [
            {"text": "Kiểm tra công tác CCHC tại Thị trấn Na Sầm, huyện Văn Lãng.", "lead_unit": "06112",
             "coordinating_units": ["182-NV"], "due_date": "2024-10-31"}]},
        {"number": 2, "name": "Hiện đại hóa hành chính huyện Văn Lãng", "targets": [
            {"text": "Trên 80% hồ sơ của Thị trấn Na Sầm được nộp trực tuyến.", "indicators": [{
                "name": "Tỷ lệ hồ sơ trực tuyến của Na Sầm", "kind": "ratio", "comparator": "gt", "threshold": "80",
                "unit_of_measure": "%", "aggregation": "ratio_of_sums", "target_type": "level",
                "frequency": "monthly", "scope": "units", "source": "units", "scope_units": ["06112"]}]}],
         "tasks": [{"text": "Số hóa hồ sơ giải quyết thủ tục tại huyện Văn Lãng.", "lead_unit": "182-NV",
                    "due_date": "2024-12-31"}]},
    ],
    "responsibilities": [
        {"number": 1, "heading": "Phòng Nội vụ huyện Văn Lãng", "text": "Theo dõi, đôn đốc thực hiện Kế hoạch.",
         "units": ["182-NV"]},
    ],
}  # fmt: skip


@dataclass(frozen=True)
class Authority:
    """An issuing authority's plan, one object of each kind a URL names, and its people."""

    plan: Plan
    unit: Unit  # a town of the authority, led by `unit_head`
    task: Task
    indicator: Indicator
    period: Period
    figure: Measurement
    evidence: Evidence  # a file attached to `figure`
    report: GeneratedReport
    secretariat: Any
    steering: Any
    unit_head: Any
    markers: tuple[str, ...]  # words only this authority's data puts on a page


def _member(username: str, unit: Unit, role: Role) -> Any:
    user = get_user_model().objects.create_user(username, password="x")
    membership_add(user=user, unit=unit, role=role)
    return user


def _evidence(figure: Measurement, user: Any) -> Evidence:
    upload = SimpleUploadedFile("Báo cáo.pdf", pdf_bytes(), content_type="application/pdf")
    return evidence_attach(owner=figure, uploads=[upload], names=validate_uploads([upload]), user=user)[0]


def _report(plan: Plan, author: Any) -> GeneratedReport:
    """A year report as generated, to stand behind /reports/<pk>/… (the demo makes none)."""
    cutoff = datetime.date(plan.year, 12, 14)
    return GeneratedReport.objects.create(plan=plan, kind=ReportKind.YEAR, version=1, cutoff_date=cutoff, author=author)


@pytest.fixture
def other_authority(db: Any, media_root: Path) -> Authority:
    """UBND huyện Văn Lãng's 2024 plan: two areas, two tasks, an indicator with a figure sent, a report."""
    plan = Plan.objects.select_related("issuing_unit").get(pk=plan_import(OTHER_PLAN).pk)
    town = Unit.objects.get(code="06112")
    head = _member("nasam.lanhdao", town, Role.UNIT_HEAD)
    secretariat = _member("vanlang.noivu", Unit.objects.get(code="182-NV"), Role.SECRETARIAT)
    indicator = Indicator.objects.get(area__plan=plan)
    january = Period.objects.get(plan=plan, frequency=Frequency.MONTHLY, number=1)
    sent = FigureInput(numerator=Decimal(41), denominator=Decimal(50))
    figure = measurement_save(indicator=indicator, unit=town, period=january, figure=sent, user=head, submit=True)
    return Authority(
        plan=plan,
        unit=town,
        task=Task.objects.get(area__plan=plan, lead_unit=town),
        indicator=indicator,
        period=january,
        figure=figure,
        evidence=_evidence(figure, head),
        report=_report(plan, secretariat),
        secretariat=secretariat,
        steering=_member("vanlang.bcd", Unit.objects.get(code="182-BCD"), Role.STEERING),
        unit_head=head,
        markers=("Văn Lãng", "Na Sầm"),
    )


@pytest.fixture
def seed_authority(seed_plan: Plan, secretariat: Any, steering: Any, commune_head: Any, media_root: Path) -> Authority:
    """The seed's authority seen the same way: UBND huyện Cao Lộc and the demo cast."""
    town = Unit.objects.get(code="06184")
    figure = Measurement.objects.filter(indicator__area__plan=seed_plan, unit=town).select_related("period").first()
    return Authority(
        plan=seed_plan,
        unit=town,
        task=Task.objects.get(area__plan=seed_plan, area__number=1, position=2),  # open: in progress
        indicator=figure.indicator,
        period=figure.period,
        figure=figure,
        evidence=_evidence(figure, commune_head),
        report=_report(seed_plan, secretariat),
        secretariat=secretariat,
        steering=steering,
        unit_head=commune_head,
        markers=("Cao Lộc", "Đồng Đăng", "Bảo Lâm", *seed_plan.areas.values_list("name", flat=True)),
    )


@pytest.fixture
def province_secretariat(db: Any) -> Any:
    """The secretariat of UBND tỉnh Lạng Sơn, the province above both districts."""
    return _member("langson.noivu", Unit.objects.get(code="20"), Role.SECRETARIAT)


@pytest.fixture
def clock_on_today(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """Today (`timezone.localdate()`) is TODAY, a day of the seed plan's year; the time of day runs on.

    Pages and jobs take today from it; a task of the 2024 plan is due within
    2023–2025 (parplan.validators), so "due in 30 days" is counted from a day of
    that year, not from the day the tests run. Only the day is pinned: history
    records keep real times, after the demo data's.
    """
    real_localdate = timezone.localdate

    def localdate(value: datetime.datetime | None = None, timezone: Any = None) -> datetime.date:
        return TODAY if value is None else real_localdate(value, timezone)

    monkeypatch.setattr(timezone, "localdate", localdate)
    return TODAY
