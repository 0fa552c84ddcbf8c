"""Backups and restores of a whole installation: the database and the uploaded media.

A backup is a folder, `samaki-backup-<UTC time>/`, holding three files:

- `database.pgdump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite3` (SQLite, a copy
  made by its online backup API while Samaki keeps running);
- `media.tar`: everything under MEDIA_ROOT (the photos and files phones send with submissions);
- `manifest.json`: Samaki's version, the applied migrations, when it was made, and the SHA-256
  of each part.

Never the field keys (SAMAKI_FIELD_KEYS): the narratives in the dump stay encrypted, and the keys
are kept apart (docs/deploy.md, "Backups"). Errors the operator can act on are `BackupError`.
"""

import dataclasses
import datetime
import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from glob import glob
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
MEDIA = "media.tar"
FORMAT = "samaki-backup"
FORMAT_VERSION = 1
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


class BackupError(Exception):
    """Bad input or a failed step, in words the operator can act on."""


@dataclasses.dataclass(frozen=True)
class RestoreResult:
    engine: str
    database: str
    tables: int
    media_files: int
    created_at: str
    samaki_version: str
    migrations_behind: int  # migrations this code has that the backup had not applied


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def samaki_version() -> str:
    try:
        return importlib.metadata.version("samaki")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def postgresql_program(name: str) -> str:
    """The newest installed PostgreSQL's `pg_dump`/`pg_restore` (as scripts/run-tests finds
    initdb), else the one on PATH."""
    installed = sorted(
        glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda path: (
            int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0
        ),
    )
    found = installed[-1] if installed else shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed: apt-get install postgresql-client.")
    return found


def _postgresql_env_args() -> tuple[dict[str, str], list[str]]:
    db = connection.settings_dict
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    args = []
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    return env, [*args, "--no-password", "--dbname", db["NAME"]]


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")


def backup_create(*, into: Path, now: datetime.datetime | None = None) -> Path:
    """Write a backup folder under `into` and return its path."""
    engine = connection.vendor
    if engine not in DATABASE_FILES:
        raise BackupError(f"Samaki backs up PostgreSQL and SQLite, not {engine}.")
    now = now or datetime.datetime.now(tz=datetime.UTC)
    into.mkdir(parents=True, exist_ok=True)
    folder = into / f"samaki-backup-{now:%Y%m%dT%H%M%SZ}"
    if folder.exists():
        raise BackupError(f"{folder} exists already: wait a second, or choose another -o.")
    partial = Path(tempfile.mkdtemp(prefix=".samaki-backup-", dir=into))
    try:
        database_file = partial / DATABASE_FILES[engine]
        if engine == "postgresql":
            env, args = _postgresql_env_args()
            argv = [postgresql_program("pg_dump"), "--format=custom", "--file", str(database_file)]
            _run([*argv, *args], env, "pg_dump")
        else:
            if connection.in_atomic_block:  # the copy would wait for ever on its own lock
                raise BackupError("A SQLite backup cannot run inside a transaction.")
            connection.ensure_connection()
            target = sqlite3.connect(database_file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        media_root = Path(settings.MEDIA_ROOT)
        media_files = 0
        with tarfile.open(partial / MEDIA, "w") as archive:
            if media_root.is_dir():
                for path in sorted(media_root.rglob("*")):
                    if path.is_file():
                        archive.add(path, arcname=str(path.relative_to(media_root)))
                        media_files += 1
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "samaki_version": samaki_version(),
            "created_at": now.isoformat(),
            "engine": engine,
            "migrations": applied_migrations(),
            "media_files": media_files,
            "parts": {name: sha256_of(partial / name) for name in (DATABASE_FILES[engine], MEDIA)},
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(folder)  # a backup folder is whole or absent
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def manifest_read(path: Path) -> tuple[Path, dict[str, Any]]:
    """The backup folder and its checked manifest, from the folder or its manifest.json."""
    if not path.exists():
        raise BackupError(f"There is no backup at {path}.")
    folder = path if path.is_dir() else path.parent
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(
            f"{path} is not a Samaki backup: {MANIFEST} is missing. Give the folder that "
            "`samaki backup` made (samaki-backup-…) or its manifest.json."
        )
    try:
        manifest = json.loads(manifest_path.read_text())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{manifest_path} is not a readable manifest: {error}.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_path} is not the manifest of a Samaki backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"This backup has format version {manifest.get('format_version')!r}; this Samaki "
            f"reads version {FORMAT_VERSION}."
        )
    engine = manifest.get("engine")
    if engine not in DATABASE_FILES or not isinstance(manifest.get("parts"), dict):
        raise BackupError(f"{manifest_path} names no database part Samaki knows.")
    return folder, manifest


def _parts_check(folder: Path, manifest: dict[str, Any]) -> None:
    for name in (DATABASE_FILES[manifest["engine"]], MEDIA):
        part = folder / name
        expected = manifest["parts"].get(name)
        if not part.is_file() or expected is None:
            raise BackupError(f"The backup is incomplete: {name} is missing.")
        if sha256_of(part) != expected:
            raise BackupError(
                f"{name} does not match its SHA-256 in the manifest: the backup is damaged or "
                "was changed. Restore another one."
            )


def target_contents() -> tuple[int, int]:
    """Tables in the database in use, and files under MEDIA_ROOT: what a restore replaces."""
    tables = len(connection.introspection.table_names())
    media_root = Path(settings.MEDIA_ROOT)
    files = sum(1 for path in media_root.rglob("*") if path.is_file()) if media_root.is_dir() else 0
    return tables, files


def backup_restore(*, path: Path, replace: bool) -> RestoreResult:
    """Restore a backup into the database in use and MEDIA_ROOT.

    Checks everything first (manifest, kind of database, hashes, an empty target unless
    `replace`), so a refused restore changes nothing.
    """
    folder, manifest = manifest_read(path)
    engine = manifest["engine"]
    if engine != connection.vendor:
        raise BackupError(
            f"This is a backup of a {ENGINE_NAMES[engine]} database, and this Samaki runs on "
            f"{ENGINE_NAMES.get(connection.vendor, connection.vendor)} (DATABASE_URL). Restore "
            f"it into a {ENGINE_NAMES[engine]} database."
        )
    _parts_check(folder, manifest)
    tables, files = target_contents()
    if (tables or files) and not replace:
        raise BackupError(
            f"The target is not empty: the database {connection.settings_dict['NAME']} has "
            f"{tables} tables and {settings.MEDIA_ROOT} has {files} files. A restore replaces "
            "them all: run again with --yes to do so (make a backup of them first)."
        )
    database_file = folder / DATABASE_FILES[engine]
    if engine == "postgresql":
        _postgresql_restore(database_file)
    else:
        _sqlite_restore(database_file)
    media_files = _media_restore(folder / MEDIA)
    behind = _migrations_behind()
    return RestoreResult(
        engine=ENGINE_NAMES[engine],
        database=str(connection.settings_dict["NAME"]),
        tables=len(connection.introspection.table_names()),
        media_files=media_files,
        created_at=str(manifest.get("created_at", "?")),
        samaki_version=str(manifest.get("samaki_version", "?")),
        migrations_behind=behind,
    )


def _postgresql_restore(database_file: Path) -> None:
    with connection.cursor() as cursor:  # what the dump will recreate, and anything newer
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connection.close()
    env, args = _postgresql_env_args()
    argv = [
        postgresql_program("pg_restore"),
        "--no-owner",
        "--no-acl",
        "--single-transaction",
        "--exit-on-error",
    ]
    _run([*argv, *args, str(database_file)], env, "pg_restore")


def _sqlite_restore(database_file: Path) -> None:
    source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    try:
        connection.ensure_connection()
        source.backup(connection.connection)  # replaces every page of the target
    except sqlite3.DatabaseError as error:
        raise BackupError(
            f"{database_file.name} is not a readable SQLite database: {error}."
        ) from error
    finally:
        source.close()
    connection.close()


def _media_restore(archive_path: Path) -> int:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media_root.parent))
    try:
        with tarfile.open(archive_path) as archive:
            archive.extractall(incoming, filter="data")  # no absolute paths, links or ../
        count = sum(1 for path in incoming.rglob("*") if path.is_file())
        if media_root.exists():
            shutil.rmtree(media_root)
        incoming.rename(media_root)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
    return count


def _migrations_behind() -> int:
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
