"""System checks that refuse an insecure production configuration.

Production is SAMAKI_DEBUG=false. There, a development default left in place is an Error, so
`samaki migrate`, `runserver` and `check` stop with a message saying which variable to set.
"""

from django.conf import settings
from django.core.checks import Error, register


@register("samaki", deploy=False)
def production_settings_check(app_configs, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    if settings.SECRET_KEY == settings.DEVELOPMENT_SECRET_KEY or len(settings.SECRET_KEY) < 40:
        errors.append(
            Error(
                "SAMAKI_SECRET_KEY is unset or too short for production.",
                hint="Set SAMAKI_SECRET_KEY to a random string of 50 characters or more.",
                id="samaki.E001",
            )
        )
    if not settings.ALLOWED_HOSTS or "*" in settings.ALLOWED_HOSTS:
        errors.append(
            Error(
                "SAMAKI_ALLOWED_HOSTS must name this server's host names in production.",
                hint="For example SAMAKI_ALLOWED_HOSTS=samaki.example.org",
                id="samaki.E002",
            )
        )
    if not (settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE):
        errors.append(
            Error(
                "Cookies must be sent over HTTPS only in production.",
                hint="Unset SAMAKI_SECURE_COOKIES (it defaults to true when SAMAKI_DEBUG is false).",
                id="samaki.E003",
            )
        )
    sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    if sqlite and not settings.ALLOW_SQLITE_IN_PRODUCTION:
        errors.append(
            Error(
                "Production runs on PostgreSQL.",
                hint="Set DATABASE_URL=postgres://user:password@host:5432/samaki, or "
                "SAMAKI_ALLOW_SQLITE=true for a single-office installation.",
                id="samaki.E004",
            )
        )
    keys = settings.SAMAKI_FIELD_KEYS
    if not keys or settings.DEVELOPMENT_FIELD_KEY in keys or not all(map(_is_fernet_key, keys)):
        errors.append(
            Error(
                "SAMAKI_FIELD_KEYS must hold this installation's own Fernet keys in production.",
                hint="Generate one with `python -c 'from cryptography.fernet import Fernet; "
                "print(Fernet.generate_key().decode())'` and keep it out of the database "
                'backups. See docs/cases.md, "Encryption keys".',
                id="samaki.E005",
            )
        )
    if not settings.SECURE_HSTS_SECONDS or not settings.SECURE_SSL_REDIRECT:
        errors.append(
            Error(
                "Production answers over HTTPS only: HSTS on and plain HTTP redirected.",
                hint="Unset SAMAKI_HSTS_SECONDS and SAMAKI_SSL_REDIRECT (they default to a year "
                "and true when SAMAKI_DEBUG is false).",
                id="samaki.E006",
            )
        )
    return errors


def _is_fernet_key(key: str) -> bool:
    from cryptography.fernet import Fernet

    try:
        Fernet(key)
    except ValueError:
        return False
    return True
