"""`manage.py backup` and `restore`, end to end on PostgreSQL: a backup restored into an empty database
gives the same rows in every table (plan, figures, history, rights…) and the same files, byte for byte;
a damaged archive restores nothing.

The commands run as separate processes, as an operator runs them, against this test database
(its demo data is committed; the test itself writes nothing to it).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the backup test needs PostgreSQL (pg_dump, pg_restore), as in CI"
    ),
]

ROOT = Path(settings.BASE_DIR)
FILES = {
    "evidence/2024/bien-ban-kiem-tra.pdf": b"%PDF-1.7\n" + bytes(range(256)) * 40,
    "evidence/2024/Báo cáo quý I.docx": b"PK\x03\x04" + os.urandom(5000),
    "reports/bao-cao-nam-2024-v1.xlsx": b"PK\x03\x04" + b"\x00" * 3000,
}


def _url(name: str) -> str:
    db = connection.settings_dict
    user, host, port = db["USER"] or "postgres", db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def _manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in {"REDIS_URL", "PARPLAN_MODE"}}
    env.update(DATABASE_URL=_url(database), MEDIA_ROOT=str(media))
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def _server() -> Any:
    db = connection.settings_dict
    server = psycopg2.connect(
        dbname="postgres", user=db["USER"] or "postgres", password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
    )  # fmt: skip
    server.autocommit = True
    return server


@pytest.fixture
def empty_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    server = _server()
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    server.close()


def _tables(name: str) -> dict[str, tuple[int, str]]:
    """Every table of the public schema: its row count and a digest of all its rows."""
    db = connection.settings_dict
    with psycopg2.connect(
        dbname=name, user=db["USER"] or "postgres", password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
    ) as conn, conn.cursor() as cursor:  # fmt: skip
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, chr(10) ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            result[table] = cursor.fetchone()
    conn.close()
    return result


def _digests(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in root.rglob("*")
        if path.is_file()
    }


@pytest.fixture
def backup(tmp_path: Path) -> tuple[Path, Path]:
    media = tmp_path / "media"
    for name, data in FILES.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(data)
    archive = tmp_path / "backups" / "parplan.tar"
    done = _manage("backup", "--output", str(archive), database=connection.settings_dict["NAME"], media=media)
    assert done.returncode == 0, done.stderr
    assert "3 tệp" in done.stdout
    return archive, media


def test_a_backup_restored_into_an_empty_database_gives_the_same_rows_and_files(backup, empty_database, tmp_path):
    archive, media = backup
    restored_media = tmp_path / "restored-media"
    done = _manage("restore", str(archive), database=empty_database, media=restored_media)
    assert done.returncode == 0, done.stderr

    original, restored = _tables(connection.settings_dict["NAME"]), _tables(empty_database)
    assert original == restored
    # The comparison covers what the issue names, and they hold data.
    for table in (
        "parplan_plan",
        "targets_measurement",
        "targets_historicalmeasurement",
        "tasks_historicaltask",
        "auth_user",
    ):
        assert original[table][0] > 0, table
    assert _digests(restored_media) == _digests(media)
    assert len(_digests(media)) == len(FILES)


def test_a_damaged_archive_restores_nothing(backup, empty_database, tmp_path):
    archive, _ = backup
    with tarfile.open(archive) as tar:
        member = tar.getmember("media/evidence/2024/bien-ban-kiem-tra.pdf")
    data = bytearray(archive.read_bytes())
    data[member.offset_data + 100] ^= 0xFF  # one bit pattern changed inside one stored file
    damaged = tmp_path / "damaged.tar"
    damaged.write_bytes(bytes(data))

    check = _manage("restore", "--check", str(damaged), database=empty_database, media=tmp_path / "m")
    assert check.returncode != 0
    assert "bien-ban-kiem-tra.pdf" in check.stderr and "mã kiểm tra không khớp" in check.stderr

    done = _manage("restore", str(damaged), database=empty_database, media=tmp_path / "m")
    assert done.returncode != 0
    assert _tables(empty_database) == {}
    assert not (tmp_path / "m").exists()


def test_restore_does_not_overwrite_a_database_in_use_without_replace(backup, tmp_path):
    archive, _ = backup
    done = _manage("restore", str(archive), database=connection.settings_dict["NAME"], media=tmp_path / "m")
    assert done.returncode != 0
    assert "--replace" in done.stderr
    assert not (tmp_path / "m").exists()


def test_an_archive_with_a_path_outside_the_media_folder_is_refused(backup, empty_database, tmp_path):
    archive, _ = backup
    # A part named ../… would be written outside MEDIA_ROOT: refused before anything is written.
    hostile = tmp_path / "hostile.tar"
    escaped = "media/../../escaped.xlsx"
    with tarfile.open(archive) as source, tarfile.open(hostile, "w") as target:
        manifest = json.load(source.extractfile("manifest.json"))
        for part in manifest["parts"]:
            if part["name"].endswith(".xlsx"):
                part["name"] = escaped  # the manifest agrees: only the name rule can refuse it
        for member in source.getmembers():
            if member.name == "manifest.json":
                data = json.dumps(manifest).encode()
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
                continue
            if member.name.endswith(".xlsx"):
                member.name = escaped
            target.addfile(member, source.extractfile(member))
    done = _manage("restore", str(hostile), database=empty_database, media=tmp_path / "m")
    assert done.returncode != 0
    assert "escaped.xlsx" in done.stderr
    assert not (tmp_path / "escaped.xlsx").exists()
    assert _tables(empty_database) == {}
