"""A text field encrypted at rest with the installation's Fernet keys (SAMAKI_FIELD_KEYS).

The database holds only Fernet tokens: a backup, a replica or a curious DBA reads nothing of a
survivor's story. Keys rotate: the first key encrypts, every key decrypts, and
`samaki rotate_case_keys` re-encrypts every row with the first one. Encrypted columns cannot be
searched or filtered on; nothing in Samaki needs to.
"""

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@functools.cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("SAMAKI_FIELD_KEYS is empty: case narratives cannot be stored.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "SAMAKI_FIELD_KEYS holds a value that is not a Fernet key (32 url-safe base64 bytes)."
        ) from error


def field_fernet() -> MultiFernet:
    return _fernet(tuple(settings.SAMAKI_FIELD_KEYS))


def encrypt_text(value: str) -> str:
    return field_fernet().encrypt(value.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return field_fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "A case narrative cannot be decrypted with any key of SAMAKI_FIELD_KEYS: "
            "was a key removed before `samaki rotate_case_keys` ran?"
        ) from error


def rotate_token(token: str) -> str:
    """The same text, encrypted again under the first key."""
    return field_fernet().rotate(token.encode()).decode()


class EncryptedTextField(models.TextField):
    """Text in Python, a Fernet token in the database; the empty string stays empty."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(str(value))
