"""The demo's data, copied once per test database and put back for each transactional test.

`manage.py demo` takes about half a minute (the plan, a year of figures and their
evaluations, inspections, scoring rounds). Ordinary tests share the session's load and
roll back; a transactional test (browser, real Celery worker) starts on a database its
predecessor emptied, and loading the demo again for each of them was a third of the
suite's time. On PostgreSQL the session copies every table into a schema of its own
right after loading the demo (`demo_copy_take`), and `demo_copy_restore` puts the rows
back in one transaction: Django's foreign keys there are DEFERRABLE INITIALLY DEFERRED,
so the tables' order does not matter and the keys are still checked at commit.
Elsewhere (SQLite) the restore runs the demo command, as before.

The demo's files (the scoring's evidence) are copied too and put back into the test's
MEDIA_ROOT, so the rows never name a file that is not there.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

SCHEMA = "parplan_demo_copy"


@dataclass(frozen=True)
class _Copy:
    tables: tuple[str, ...]
    media: Path


_copy: _Copy | None = None


def _quoted(table: str) -> str:
    return connection.ops.quote_name(table)


def demo_load(media: Path) -> None:
    """Load the demo with its files written under `media`, then copy both (PostgreSQL only)."""
    global _copy
    media.mkdir(parents=True, exist_ok=True)
    saved = settings.MEDIA_ROOT, settings.SENDFILE_ROOT
    settings.MEDIA_ROOT = settings.SENDFILE_ROOT = media
    try:
        call_command("demo", stdout=open(os.devnull, "w"))
    finally:
        settings.MEDIA_ROOT, settings.SENDFILE_ROOT = saved
    # The tests that read the demo's files from the default MEDIA_ROOT find them there.
    shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    if connection.vendor != "postgresql":
        return
    tables = tuple(sorted(connection.introspection.django_table_names(only_existing=True, include_views=False)))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in tables:
            cursor.execute(f"CREATE TABLE {SCHEMA}.{_quoted(table)} AS TABLE public.{_quoted(table)}")
    _copy = _Copy(tables=tables, media=media)


def demo_restore() -> None:
    """The database as the demo left it, whatever the test before this one did; caches emptied."""
    if _copy is None:
        call_command("demo", stdout=open(os.devnull, "w"))
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(_quoted(table) for table in _copy.tables) + " RESTART IDENTITY")
            for table in _copy.tables:
                cursor.execute(f"INSERT INTO public.{_quoted(table)} SELECT * FROM {SCHEMA}.{_quoted(table)}")
            # New rows the test adds take ids after the copied ones.
            for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
                cursor.execute(sql)
        shutil.copytree(_copy.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    # The flush before re-created the content types under new ids; this process remembers those.
    ContentType.objects.clear_cache()
    cache.clear()  # the live server shares this process's cache
