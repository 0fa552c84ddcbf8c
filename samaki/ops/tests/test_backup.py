"""`samaki backup` and `samaki restore`: the demo round-trips into a fresh database, every table
and every row; bad input is refused with a message and changes nothing."""

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from samaki.demo.builder import demo_build
from samaki.ops.backups import DATABASE_FILES
from samaki.ops.tests.conftest import postgresql_url, subprocess_env

PHOTO = b"\xff\xd8\xff\xe0 a phone's photo, not really a JPEG"


def row_texts_sql(cursor, vendor: str, table: str, columns: list[str], pk: str | None) -> str:
    """Each row as one string, made by the database itself (so no Python type conversion can
    differ between the two connections), in primary-key order."""
    quote = connection.ops.quote_name
    order = quote(pk) if pk else "1"
    if vendor == "postgresql":
        return f"SELECT t::text FROM {quote(table)} AS t ORDER BY {order}"  # noqa: S608 - names from introspection
    row = " || '|' || ".join(f"quote({quote(column)})" for column in columns)
    return f"SELECT {row} FROM {quote(table)} ORDER BY {order}"  # noqa: S608 - likewise


def fingerprints(cursor, vendor: str) -> dict[str, tuple[int, str]]:
    """Every table of the schema: its row count and the SHA-256 of its rows' text."""
    result = {}
    with connection.cursor() as schema:
        tables = connection.introspection.table_names(schema)
        for table in tables:
            columns = [
                c.name for c in connection.introspection.get_table_description(schema, table)
            ]
            pk = connection.introspection.get_primary_key_column(schema, table)
            cursor.execute(row_texts_sql(cursor, vendor, table, columns, pk))
            rows = [row[0] for row in cursor.fetchall()]
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def restore_in_subprocess(path: Path, env: dict[str, str], *extra: str):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "samaki", "restore", str(path), *extra],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_the_demo_round_trips_into_a_fresh_database(transactional_db, media, tmp_path):
    demo_build()
    photo = default_storage.save("openrosa/1/1/photo.jpg", ContentFile(PHOTO))
    folder = Path(_backup(tmp_path / "backups"))

    manifest = json.loads((folder / "manifest.json").read_text())
    database_file = DATABASE_FILES[connection.vendor]
    assert sorted(path.name for path in folder.iterdir()) == sorted(
        [database_file, "media.tar", "manifest.json"]
    )
    assert manifest["engine"] == connection.vendor
    assert manifest["media_files"] == 1
    assert "0001_initial" in manifest["migrations"]["people"]
    for name, digest in manifest["parts"].items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest

    restored_var = tmp_path / "restored"
    vendor = connection.vendor
    if vendor == "postgresql":
        fresh = f"{connection.settings_dict['NAME']}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {fresh}")
            cursor.execute(f"CREATE DATABASE {fresh}")
        url = postgresql_url(fresh)
    else:
        fresh_file = tmp_path / "fresh.sqlite3"
        url = f"sqlite:///{fresh_file}"
    env = subprocess_env(DATABASE_URL=url, SAMAKI_VAR_DIR=str(restored_var))
    try:
        done = restore_in_subprocess(folder, env)
        assert done.returncode == 0, done.stderr
        assert "Restored the" in done.stdout
        assert "and 1 media files into" in done.stdout

        with connection.cursor() as cursor:
            expected = fingerprints(cursor, vendor)
        if vendor == "postgresql":
            with psycopg.connect(url.replace("postgres://", "postgresql://")) as target:
                target.execute("SET TIME ZONE 'UTC'")
                actual = fingerprints(target.cursor(), vendor)
        else:
            target = sqlite3.connect(fresh_file)
            try:
                actual = fingerprints(target.cursor(), vendor)
            finally:
                target.close()
        assert expected["people_person"][0] > 1000  # the demo, not an empty schema
        assert actual == expected
        assert (restored_var / "media" / photo).read_bytes() == PHOTO

        again = restore_in_subprocess(folder, env)  # the target is now not empty
        assert again.returncode == 1
        assert "The target is not empty" in again.stderr
        assert "--yes" in again.stderr
        assert "Traceback" not in again.stderr

        replaced = restore_in_subprocess(folder / "manifest.json", env, "--yes")
        assert replaced.returncode == 0, replaced.stderr
    finally:
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {fresh} WITH (FORCE)")


def _backup(into: Path) -> str:
    call_command("backup", "-o", str(into), stdout=(out := _Lines()))
    return out.text.strip()


class _Lines:
    def __init__(self) -> None:
        self.text = ""

    def write(self, line: str) -> None:
        self.text += line

    def flush(self) -> None:
        pass


def _restore_refused(path: Path, *extra: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), *extra)
    return str(refused.value)


def test_restore_of_a_missing_path_says_so(db, media, tmp_path):
    assert (
        _restore_refused(tmp_path / "nowhere") == f"There is no backup at {tmp_path / 'nowhere'}."
    )


def test_restore_of_a_folder_that_is_no_backup_says_so(db, media, tmp_path):
    (tmp_path / "photos").mkdir()
    assert "is not a Samaki backup: manifest.json is missing" in _restore_refused(
        tmp_path / "photos"
    )


def test_restore_refuses_the_other_kind_of_database(db, media, tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    folder = tmp_path / "samaki-backup-x"
    folder.mkdir()
    manifest = {"format": "samaki-backup", "format_version": 1, "engine": other, "parts": {}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    message = _restore_refused(folder, "--yes")
    assert "This is a backup of a" in message
    assert "Restore it into a" in message


def test_restore_refuses_a_changed_part_and_changes_nothing(transactional_db, media, tmp_path):
    default_storage.save("logo.png", ContentFile(b"logo"))
    folder = Path(_backup(tmp_path))
    with (folder / "media.tar").open("ab") as tar:
        tar.write(b"tampered")
    tables_before = connection.introspection.table_names()

    message = _restore_refused(folder, "--yes")

    assert message == (
        "media.tar does not match its SHA-256 in the manifest: the backup is damaged or was "
        "changed. Restore another one."
    )
    assert connection.introspection.table_names() == tables_before
    assert (media / "logo.png").read_bytes() == b"logo"


def test_restore_refuses_a_non_empty_target_without_yes(transactional_db, media, tmp_path):
    folder = Path(_backup(tmp_path))
    message = _restore_refused(folder)
    assert message.startswith("The target is not empty: the database")
    assert "run again with --yes" in message
