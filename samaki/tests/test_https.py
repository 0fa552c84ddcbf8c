"""Production answers over HTTPS only: plain HTTP is redirected and browsers remember (HSTS)."""

import os
import subprocess
import sys

import pytest

from samaki.accounts.checks import production_settings_check

PRINT_SETTINGS = (
    "from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
)


def settings_under(tmp_path, **env) -> list[str]:
    """SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS and SECURE_HSTS_INCLUDE_SUBDOMAINS for `env`."""
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("SAMAKI_", "DATABASE_URL"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="samaki.settings", SAMAKI_VAR_DIR=str(tmp_path))
    environment.update(env)
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed program
        [sys.executable, "-c", PRINT_SETTINGS],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.split()


def test_production_redirects_to_https_and_sends_hsts_for_a_year(tmp_path):
    assert settings_under(tmp_path, SAMAKI_DEBUG="false") == ["True", "31536000", "True"]


def test_development_neither_redirects_nor_sends_hsts(tmp_path):
    assert settings_under(tmp_path) == ["False", "0", "True"]


def test_the_variables_override_the_defaults(tmp_path):
    env = {"SAMAKI_DEBUG": "false", "SAMAKI_SSL_REDIRECT": "false", "SAMAKI_HSTS_SECONDS": "600"}
    assert settings_under(tmp_path, **env) == ["False", "600", "True"]


def test_plain_http_is_redirected_to_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_an_https_answer_tells_the_browser_to_stay_on_https(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/accounts/login/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.parametrize(("seconds", "redirect"), [(0, True), (31_536_000, False), (0, False)])
def test_production_without_hsts_or_the_redirect_is_refused(settings, seconds, redirect):
    settings.DEBUG = False
    settings.SECURE_HSTS_SECONDS = seconds
    settings.SECURE_SSL_REDIRECT = redirect
    assert "samaki.E006" in {error.id for error in production_settings_check(None)}


def test_production_with_both_passes_that_check(settings):
    settings.DEBUG = False
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_SSL_REDIRECT = True
    assert "samaki.E006" not in {error.id for error in production_settings_check(None)}
