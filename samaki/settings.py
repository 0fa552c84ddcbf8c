"""Samaki's one settings module.

Every value that differs between a laptop and production comes from an environment variable,
read through the helpers below. Defaults are safe for development; `samaki.accounts.checks`
refuses to run a production configuration (SAMAKI_DEBUG off) that keeps a development default.
Every variable is documented in docs/settings.md.
"""

import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value is None or value == "" else int(value)


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def database_from_url(url: str, var_dir: Path) -> dict:
    """Translate DATABASE_URL (sqlite:///path or postgres://user:pw@host:port/name) to Django's form."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": var_dir / "samaki.sqlite3",
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": unquote(parsed.path) or var_dir / "samaki.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "samaki",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": dict(parse_qsl(parsed.query)),
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {parsed.scheme}://"
    )


# --- Deployment -------------------------------------------------------------------------------

DEVELOPMENT_SECRET_KEY = "samaki-development-only-not-secret"  # noqa: S105 - refused in production
DEBUG = env_bool("SAMAKI_DEBUG", True)
SECRET_KEY = env_str("SAMAKI_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env_list("SAMAKI_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("SAMAKI_CSRF_TRUSTED_ORIGINS", "")
VAR_DIR = Path(env_str("SAMAKI_VAR_DIR", str(BASE_DIR.parent / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)
SITE_URL = env_str("SAMAKI_SITE_URL", "http://127.0.0.1:8000")

SECURE_COOKIES = env_bool("SAMAKI_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SAMAKI_SESSION_AGE", 8 * 60 * 60)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("SAMAKI_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def trusted_proxies(value: str) -> int | list[str]:
    """SAMAKI_TRUSTED_PROXIES: a count of proxies ("1") or their addresses ("10.0.0.2,10.1.0.0/16")."""
    value = value.strip()
    if value.isdigit():
        return int(value)
    return [item.strip() for item in value.split(",") if item.strip()]


# Whose X-Forwarded-For to believe for the client's address (samaki.http.client_ip).
SAMAKI_TRUSTED_PROXIES = trusted_proxies(env_str("SAMAKI_TRUSTED_PROXIES", ""))
# HTTPS only, in production: redirect plain HTTP and tell browsers never to try it again.
SECURE_SSL_REDIRECT = env_bool("SAMAKI_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SAMAKI_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SAMAKI_HSTS_INCLUDE_SUBDOMAINS", True)

# Content Security Policy (django-csp): nothing inline, nothing from elsewhere. The standalone
# report document (samaki.reports.views) adds inline styles for its own response only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# --- Applications -----------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "samaki.accounts",
    "samaki.audit",
    "samaki.areas",
    "samaki.organisations",
    "samaki.projects",
    "samaki.people",
    "samaki.groups",
    "samaki.activities",
    "samaki.outcomes",
    "samaki.demo",
    "samaki.imports",
    "samaki.openrosa",
    "samaki.api",
    "ninja",  # serves the API docs page from its own static files, not a CDN
    "samaki.results",
    "samaki.reports",
    "samaki.periods",
    "samaki.feedback",
    "samaki.advocacy",
    "samaki.learning",
    "samaki.budgets",
    "samaki.exchange",  # files other systems ingest: IATI (docs/exports.md)
    "django_otp",
    "django_otp.plugins.otp_totp",
    "samaki.cases",
    "samaki.ops",  # samaki serve, backup, restore (docs/deploy.md)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files, with DEBUG off too
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): case roles need TOTP
    "samaki.accounts.middleware.ProgrammeDoorMiddleware",  # access.DOORS: 404 before the view
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "samaki.middleware.PrivateResponseMiddleware",  # no-store on signed-in pages
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "samaki.urls"
WSGI_APPLICATION = "samaki.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Data -------------------------------------------------------------------------------------

DATABASES = {"default": database_from_url(env_str("DATABASE_URL", ""), VAR_DIR)}
# A single office may run on SQLite in production, knowingly.
ALLOW_SQLITE_IN_PRODUCTION = env_bool("SAMAKI_ALLOW_SQLITE", False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {
    "default": {
        # Tests and development run jobs at once; production sets SAMAKI_TASKS_BACKEND=database
        # and runs `samaki db_worker`.
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if env_str("SAMAKI_TASKS_BACKEND", "immediate") == "database"
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

# --- Security ---------------------------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first, as django-axes requires
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SAMAKI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "samaki.http.client_ip"  # the client's address, not the proxy's
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("SAMAKI_LOGIN_LOCKOUT", True)

# Survivors' narratives are encrypted at rest (samaki.cases.fields) with these Fernet keys:
# comma-separated, the first encrypts, all decrypt (rotation: put a new key first, then run
# `samaki rotate_case_keys`). The development key is derived from a public string: it is
# insecure by design, and refused in production (samaki.E005).
DEVELOPMENT_FIELD_KEY = "c2FtYWtpLWRldmVsb3BtZW50LWtleS1pbnNlY3VyZSE="
SAMAKI_FIELD_KEYS = env_list("SAMAKI_FIELD_KEYS", DEVELOPMENT_FIELD_KEY)
# People with no activity for this many years have their identifying data anonymised by
# `samaki retention --apply` (docs/security.md, "Retention").
SAMAKI_RETENTION_INACTIVE_YEARS = env_int("SAMAKI_RETENTION_INACTIVE_YEARS", 5)
OTP_TOTP_ISSUER = "Samaki"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # no TOTP key or QR code in the admin, superusers included

# --- Language and time ------------------------------------------------------------------------

LANGUAGE_CODE = env_str("SAMAKI_LANGUAGE", "km")
LANGUAGES = [("km", "ខ្មែរ"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Events happen on local dates; periods are cut by this zone's calendar, never by UTC.
TIME_ZONE = env_str("SAMAKI_TIME_ZONE", "Asia/Phnom_Penh")

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]  # base.css, the web fonts
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Production serves collected static files through WhiteNoise with hashed, compressed names
# (`samaki serve` runs collectstatic first). Development and the tests (SAMAKI_DEBUG on) keep
# plain names, found in the apps' folders without a collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG  # development: straight from the apps' static folders,
WHITENOISE_AUTOREFRESH = DEBUG  # looked up at each request (and no collected folder needed)
WHITENOISE_KEEP_ONLY_HASHED_FILES = True  # halves collectstatic's compression work
# Source maps (the API docs' bundles) are for developers: not worth compressing at every start.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [
    *("jpg", "jpeg", "png", "gif", "webp", "zip", "gz", "tgz", "bz2", "tbz", "xz", "br"),
    *("swf", "flv", "woff", "woff2", "3gp", "3gpp", "asf", "avi", "m4v", "mov", "mp4"),
    *("mpeg", "mpg", "webm", "wmv", "map"),  # WhiteNoise's own list, and source maps
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SAMAKI_LOG_LEVEL", "WARNING")},
}

# --- Uploads ----------------------------------------------------------------------------------

# The largest spreadsheet an import accepts, in bytes; larger uploads are refused before they
# are read (docs/imports.md). Django's own limits, stated: request bodies other than files up to
# 2.5 MB; an uploaded file above 2.5 MB streams to a temporary file instead of memory.
SAMAKI_IMPORT_MAX_BYTES = env_int("SAMAKI_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Email ------------------------------------------------------------------------------------


def email_from_url(url: str) -> dict:
    """SAMAKI_EMAIL_URL to Django's EMAIL_* settings (docs/settings.md, "Email").

    Empty: nothing is sent (invitations and resets are shown on the page only). `smtp://user:
    password@host:587` sends through a server with STARTTLS (`?starttls=false` for a local relay
    without it); `smtps://…:465` with implicit TLS; `console://` prints messages (development).
    """
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
    parsed = urlparse(url)
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme not in {"smtp", "smtps"}:
        raise ValueError(
            f"SAMAKI_EMAIL_URL must start with smtp://, smtps:// or console://, not {parsed.scheme}://"
        )
    options = dict(parse_qsl(parsed.query))
    implicit_tls = parsed.scheme == "smtps"
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parsed.hostname or "localhost",
        "EMAIL_PORT": parsed.port or (465 if implicit_tls else 587),
        "EMAIL_HOST_USER": unquote(parsed.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
        "EMAIL_USE_SSL": implicit_tls,
        "EMAIL_USE_TLS": not implicit_tls and options.get("starttls", "true") != "false",
        "EMAIL_TIMEOUT": 10,
    }


_email = email_from_url(env_str("SAMAKI_EMAIL_URL", ""))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = _email.get("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("SAMAKI_EMAIL_FROM", "samaki@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
