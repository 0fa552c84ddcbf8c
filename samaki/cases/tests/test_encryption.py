"""Narratives are Fernet tokens in the database; old keys still decrypt; rotation re-encrypts."""

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection

from samaki.accounts.access import SYSTEM
from samaki.accounts.checks import production_settings_check
from samaki.cases.models import Case
from samaki.cases.services import service_record
from samaki.cases.tests.conftest import NARRATIVE


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 - test
        return cursor.fetchone()[0]


def test_the_raw_column_holds_no_plaintext(safe_house):
    case = safe_house.case
    stored = raw("cases_case", "incident_description", case.pk)
    assert stored and "drunk" not in stored and NARRATIVE not in stored
    assert stored.startswith("gAAAA")  # a Fernet token
    assert "aunt" not in raw("cases_case", "safety_plan", case.pk)
    assert Case.objects.get(pk=case.pk).incident_description == NARRATIVE


def test_a_service_note_is_encrypted_too(safe_house):
    service = service_record(
        case=safe_house.case,
        by=SYSTEM,
        kind="counselling",
        date=safe_house.case.intake_date,
        note="Talked about her daughter",
    )
    assert "daughter" not in raw("cases_service", "note", service.pk)


def test_keys_rotate_old_keys_still_decrypt_and_the_command_reencrypts(safe_house, settings):
    old_key = settings.SAMAKI_FIELD_KEYS[0]
    old_token = raw("cases_case", "incident_description", safe_house.case.pk)
    new_key = Fernet.generate_key().decode()
    settings.SAMAKI_FIELD_KEYS = [new_key, old_key]
    assert Case.objects.get(pk=safe_house.case.pk).incident_description == NARRATIVE
    out = io.StringIO()
    call_command("rotate_case_keys", stdout=out)
    assert "re-encrypted" in out.getvalue()
    new_token = raw("cases_case", "incident_description", safe_house.case.pk)
    assert new_token != old_token
    assert Fernet(new_key.encode()).decrypt(new_token.encode()).decode() == NARRATIVE
    settings.SAMAKI_FIELD_KEYS = [new_key]  # the old key is gone: still readable
    assert Case.objects.get(pk=safe_house.case.pk).incident_description == NARRATIVE


def test_production_refuses_the_development_field_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "x" * 60
    settings.ALLOWED_HOSTS = ["samaki.example.org"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.ALLOW_SQLITE_IN_PRODUCTION = True
    ids = {error.id for error in production_settings_check(None)}
    assert "samaki.E005" in ids
    settings.SAMAKI_FIELD_KEYS = ["not a key"]
    assert "samaki.E005" in {error.id for error in production_settings_check(None)}
    settings.SAMAKI_FIELD_KEYS = [Fernet.generate_key().decode()]
    assert "samaki.E005" not in {error.id for error in production_settings_check(None)}


@pytest.mark.parametrize("value", ["", None])
def test_empty_narratives_stay_empty(safe_house, value):
    case = safe_house.open_case(notes="")
    assert raw("cases_case", "notes", case.pk) == ""
