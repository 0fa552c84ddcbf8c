"""SAMAKI_EMAIL_URL, read into Django's EMAIL_* settings."""

import pytest

from samaki.settings import email_from_url


def test_without_a_url_nothing_is_sent():
    assert email_from_url("") == {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}


def test_smtp_with_starttls():
    assert email_from_url("smtp://samaki%40kwa.org:p%40ss@mail.kwa.org:587") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.kwa.org",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "samaki@kwa.org",
        "EMAIL_HOST_PASSWORD": "p@ss",
        "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 10,
    }


def test_smtps_and_a_local_relay():
    implicit = email_from_url("smtps://u:p@mail.kwa.org")
    assert (implicit["EMAIL_PORT"], implicit["EMAIL_USE_SSL"], implicit["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )
    relay = email_from_url("smtp://localhost:25?starttls=false")
    assert (relay["EMAIL_PORT"], relay["EMAIL_USE_TLS"], relay["EMAIL_HOST_USER"]) == (
        25,
        False,
        "",
    )


def test_console_for_development():
    assert email_from_url("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_another_scheme_is_refused():
    with pytest.raises(ValueError, match="SAMAKI_EMAIL_URL"):
        email_from_url("imap://mail.kwa.org")
