"""Backup and restore: the database and every stored file in one archive, each part with its checksum.

An archive is a plain tar file (the parts are compressed already: pg_dump's custom
format, PDFs, Office files, images):

    database.pgdump | database.sqlite3   pg_dump --format=custom, or SQLite's own backup
    media/<path>                         every file under MEDIA_ROOT (evidence, report versions)
    manifest.json                        last: format, time, database vendor, the applied
                                         migrations, and each part's size and SHA-256

`backup_restore` reads the manifest, checks every part against it, and only then
writes anything: a damaged or altered archive restores nothing. It restores into an
empty database (the schema comes from the archive), or replaces one with `replace`.
docs/backup.md is the operator's page.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why, for the operator."""


@dataclasses.dataclass(frozen=True)
class BackupSummary:
    path: Path
    vendor: str
    files: int
    size: int


def _sha256(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _pg_env(database: Mapping[str, Any]) -> dict[str, str]:
    """libpq's variables for pg_dump/pg_restore, so the password never shows in a process list."""
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[name] = str(database[key])
    env["PGDATABASE"] = str(database["NAME"])
    return env


def _run(command: list[str], env: Mapping[str, str]) -> None:
    try:
        subprocess.run(command, env=dict(env), check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupError(
            _("Không tìm thấy %(program)s: cài gói postgresql-client.") % {"program": command[0]}
        ) from None
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]}: {error.stderr.strip()}") from None


def _dump_database(target: Path, database: Mapping[str, Any]) -> str:
    """The database into `target`; returns the vendor."""
    vendor = connection.vendor
    if vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}"], _pg_env(database))
    elif vendor == "sqlite":
        # SQLite's online backup: a consistent copy while the portal runs (also of a test's in-memory database).
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
        copy.close()
    else:
        raise BackupError(_("Chưa hỗ trợ sao lưu cơ sở dữ liệu %(vendor)s.") % {"vendor": vendor})
    return vendor


def _applied_migrations() -> list[str]:
    loader = MigrationLoader(connection)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def _media_files(media_root: Path) -> Iterator[Path]:
    if not media_root.is_dir():
        return
    for path in sorted(media_root.rglob("*")):
        # A link could point outside MEDIA_ROOT: stored files are never links.
        if path.is_file() and not path.is_symlink():
            yield path


def _add(archive: tarfile.TarFile, source: Path, name: str) -> dict[str, Any]:
    with source.open("rb") as handle:
        digest = _sha256(handle)
    info = archive.gettarinfo(str(source), arcname=name)
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    with source.open("rb") as handle:
        archive.addfile(info, handle)
    return {"name": name, "size": info.size, "sha256": digest}


def backup_create(destination: Path, *, media_root: Path | None = None) -> BackupSummary:
    """Write the archive to `destination` (first as `<name>.partial`, renamed when complete)."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    database = connections["default"].settings_dict
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="parplan-backup-") as work:
        dump = Path(work) / DUMPS.get(connection.vendor, "database")
        vendor = _dump_database(dump, database)
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive:
            parts = [_add(archive, dump, dump.name)]
            for path in _media_files(media_root):
                parts.append(_add(archive, path, MEDIA_PREFIX + path.relative_to(media_root).as_posix()))
            manifest = {
                "format": FORMAT,
                "created": timezone.now().isoformat(),
                "vendor": vendor,
                "database": dump.name,
                "migrations": _applied_migrations(),
                "parts": parts,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
    partial.replace(destination)
    media = sum(1 for part in parts if part["name"].startswith(MEDIA_PREFIX))
    return BackupSummary(destination, vendor, media, destination.stat().st_size)


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


def backup_verify(source: Path) -> dict[str, Any]:
    """The manifest, once every part of the archive matches it (size, SHA-256, nothing more, nothing less)."""
    try:
        archive = tarfile.open(source, "r:")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(_("Không mở được tệp sao lưu: %(error)s") % {"error": error}) from None
    with archive:
        try:
            manifest: dict[str, Any] = json.load(archive.extractfile(MANIFEST) or io.BytesIO())
        except (KeyError, ValueError):
            raise BackupError(_("Tệp sao lưu không có bản kê (manifest.json) đọc được.")) from None
        if manifest.get("format") != FORMAT:
            raise BackupError(_("Tệp sao lưu có định dạng %(format)s, không đọc được.") % manifest)
        expected = {part["name"]: part for part in manifest["parts"]}
        found = {member.name for member in archive.getmembers() if member.name != MANIFEST}
        if found != set(expected):
            raise BackupError(_("Tệp sao lưu không khớp bản kê: thiếu hoặc thừa tệp."))
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_name(member.name):
                raise BackupError(_("Tệp sao lưu chứa mục không hợp lệ: %(name)s") % {"name": member.name})
            handle = archive.extractfile(member)
            part = expected[member.name]
            if handle is None or member.size != part["size"] or _sha256(handle) != part["sha256"]:
                raise BackupError(_("Tệp %(name)s trong bản sao lưu bị hỏng (mã kiểm tra không khớp).") % part)
    return manifest


def _check_migrations(manifest: Mapping[str, Any]) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.disk_migrations}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            _("Bản sao lưu được tạo từ phiên bản mới hơn (có %(count)d migration chưa biết, ví dụ %(first)s).")
            % {"count": len(unknown), "first": unknown[0]}
        )


def _database_is_empty(database: Mapping[str, Any]) -> bool:
    with connections["default"].cursor() as cursor:
        tables = connections["default"].introspection.table_names(cursor)
    return "parplan_plan" not in tables


def _restore_database(dump: Path, vendor: str, database: Mapping[str, Any], *, replace: bool) -> None:
    if vendor != connection.vendor:
        raise BackupError(
            _("Bản sao lưu là của %(backup)s, cơ sở dữ liệu đích là %(target)s.")
            % {"backup": vendor, "target": connection.vendor}
        )
    if not replace and not _database_is_empty(database):
        raise BackupError(_("Cơ sở dữ liệu đích đã có dữ liệu ParPlan: dùng --replace để thay thế."))
    if vendor == "postgresql":
        command = ["pg_restore", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error"]
        if replace:
            command += ["--clean", "--if-exists"]
        connections["default"].close()
        _run([*command, f"--dbname={database['NAME']}", str(dump)], _pg_env(database))
    else:
        connection.ensure_connection()
        with sqlite3.connect(dump) as source:
            source.backup(connection.connection)
        source.close()


def backup_restore(source: Path, *, media_root: Path | None = None, replace: bool = False) -> dict[str, Any]:
    """Check the whole archive, then restore the database and the files; returns the manifest."""
    media_root = Path(media_root or settings.MEDIA_ROOT)
    manifest = backup_verify(source)
    _check_migrations(manifest)
    if not replace and any(_media_files(media_root)):
        raise BackupError(_("Thư mục tệp đích (MEDIA_ROOT) đã có tệp: dùng --replace để ghi đè."))
    database = connections["default"].settings_dict
    with tempfile.TemporaryDirectory(prefix="parplan-restore-") as work, tarfile.open(source, "r:") as archive:
        dump = Path(work) / manifest["database"]
        with archive.extractfile(manifest["database"]) as handle, dump.open("wb") as out:  # type: ignore[union-attr]
            shutil.copyfileobj(handle, out, CHUNK)
        _restore_database(dump, manifest["vendor"], database, replace=replace)
        for part in manifest["parts"]:
            if not part["name"].startswith(MEDIA_PREFIX):
                continue
            target = media_root / part["name"][len(MEDIA_PREFIX) :]
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(part["name"]) as handle, target.open("wb") as out:  # type: ignore[union-attr]
                shutil.copyfileobj(handle, out, CHUNK)
    return manifest
