import os
import subprocess
import sys
from pathlib import Path

import pytest

from samaki.settings import database_from_url

ROOT = Path(__file__).resolve().parents[3]


def run_check(**env) -> subprocess.CompletedProcess:
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("SAMAKI_", "DATABASE_URL"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "samaki", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_production_with_development_defaults_is_refused(tmp_path):
    result = run_check(SAMAKI_DEBUG="false", SAMAKI_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    for code in ["samaki.E001", "samaki.E002", "samaki.E004", "samaki.E005"]:
        assert code in result.stderr


def test_a_complete_production_configuration_passes(tmp_path):
    result = run_check(
        SAMAKI_DEBUG="false",
        SAMAKI_VAR_DIR=str(tmp_path),
        SAMAKI_SECRET_KEY="x" * 60,
        SAMAKI_ALLOWED_HOSTS="samaki.example.org",
        SAMAKI_ALLOW_SQLITE="true",
        SAMAKI_FIELD_KEYS="xcT0c4hGkbV9bYb8p0ZJvY6w2X3OqvNn1mI5cQm5l0A=",  # any real Fernet key
    )
    assert result.returncode == 0, result.stderr


def test_development_defaults_run_without_complaint(tmp_path):
    assert run_check(SAMAKI_VAR_DIR=str(tmp_path)).returncode == 0


def test_database_url_selects_postgresql(tmp_path):
    config = database_from_url(
        "postgres://samaki:s%40cret@db.example.org:6543/samaki_prod", tmp_path
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "samaki",
        "s@cret",
        "db.example.org",
        "6543",
        "samaki_prod",
    )


def test_sqlite_is_the_default_in_the_var_folder(tmp_path):
    config = database_from_url("", tmp_path)
    assert config["NAME"] == tmp_path / "samaki.sqlite3"
    assert "WAL" in config["OPTIONS"]["init_command"]


def test_an_unknown_database_scheme_is_refused(tmp_path):
    with pytest.raises(ValueError, match="mysql"):
        database_from_url("mysql://x@y/z", tmp_path)
