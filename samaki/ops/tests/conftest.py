"""What the ops tests share: how a subprocess reaches the test database."""

import os
import sqlite3
from pathlib import Path
from urllib.parse import quote

from django.db import connection


def postgresql_url(name: str) -> str:
    db = connection.settings_dict
    user = quote(db.get("USER") or "")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}{port}/{quote(name)}"


def database_url_for_subprocess(folder: Path) -> str:
    """The committed test database as a subprocess can open it: PostgreSQL's by name; SQLite's
    (in memory, so visible to this process only) copied to a file by its backup API."""
    if connection.vendor == "postgresql":
        return postgresql_url(connection.settings_dict["NAME"])
    path = folder / "copy.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    return f"sqlite:///{path}"


def subprocess_env(**variables: str) -> dict[str, str]:
    """This environment without the variables a developer may have set for herself."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMAKI_")}
    env.pop("DATABASE_URL", None)
    return {**env, **variables}
