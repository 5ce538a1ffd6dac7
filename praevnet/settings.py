"""praevnet settings: one file, driven by environment variables (see .env.example).

Bad values fail loudly at start-up instead of misbehaving later.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from praevnet.dburl import DatabaseUrlError, parse_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / ".data"

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nein", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} ist kein Wahrheitswert (erlaubt: true/false, 1/0, on/off).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} ist keine ganze Zahl.") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


# ---------------------------------------------------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
DEFAULT_SECRET_KEY = "unsicher-nur-fuer-die-entwicklung-bitte-in-produktion-ersetzen"
SECRET_KEY = env_str("SECRET_KEY", DEFAULT_SECRET_KEY)
if not DEBUG and (SECRET_KEY == DEFAULT_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    raise ImproperlyConfigured(
        "SECRET_KEY fehlt oder ist zu kurz: Mit DEBUG=false startet praevnet nur mit einem eigenen geheimen "
        "Schlüssel von mindestens 50 Zeichen (z. B. python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS ist leer: Bitte die Hostnamen der Installation angeben.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# contactEmail of the OParl System object (open data about meetings); left out when empty
OPARL_CONTACT_EMAIL = env_str("OPARL_CONTACT_EMAIL", "")
SITE_NAME = env_str("SITE_NAME", "praevnet")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tables2",
    "django_filters",
    "praevnet",
    "partners",
    "agreements",
    "meetings",
    "goals",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "praevnet.middleware.SecurityHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "praevnet.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "praevnet.middleware.PreparedPersonMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "praevnet.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "praevnet.urls"
WSGI_APPLICATION = "praevnet.wsgi.application"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "praevnet.context_processors.praevnet",
            ],
        },
    },
]

# ---------------------------------------------------------------------------------------------------------------------
# Database: PostgreSQL only. `make run` / `make test` set DATABASE_URL (embedded server when none is given).
# ---------------------------------------------------------------------------------------------------------------------

_database_url = env_str("DATABASE_URL")
if not _database_url:
    raise ImproperlyConfigured(
        "DATABASE_URL ist nicht gesetzt. Starten Sie praevnet mit `make run` (eingebettete PostgreSQL) oder setzen "
        "Sie DATABASE_URL=postgresql://benutzer:passwort@host:5432/praevnet."
    )
try:
    DATABASES = {"default": parse_database_url(_database_url)}
except DatabaseUrlError as exc:
    raise ImproperlyConfigured(str(exc)) from None
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 5)
# PostgreSQL's default random_page_cost (4) models spinning disks. With the data in memory or on SSD, 1.1 (the usual
# advice) lets the planner walk indexes: a small network's register page then reads its 200 members instead of
# sorting every partner of the installation. A DATABASE_URL with ?options=… replaces this.
DATABASES["default"]["OPTIONS"].setdefault("options", "-c random_page_cost=1.1")
# Prepared statements for the lookups every page makes (session, roles, second factor; praevnet.queries.prepared):
# psycopg binds parameters on the server, and those statements are parsed and planned once per connection
# (CONN_MAX_AGE keeps it). DATABASE_PREPARED_STATEMENTS=false switches it off (client-side binding, Django's default),
# e.g. behind a connection pooler that cannot keep prepared statements.
if env_bool("DATABASE_PREPARED_STATEMENTS", True):
    DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
# Lets two test runs share one server without dropping each other's test database.
DATABASES["default"]["TEST"] = {"NAME": env_str("TEST_DATABASE_NAME") or None}
ATOMIC_REQUESTS = True
DATABASES["default"]["ATOMIC_REQUESTS"] = ATOMIC_REQUESTS

# ---------------------------------------------------------------------------------------------------------------------
# Accounts and authentication
# ---------------------------------------------------------------------------------------------------------------------

AUTH_USER_MODEL = "praevnet.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account/IP pair is locked
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # three days, in seconds
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's database sessions (same table); the lookup on every request runs as a prepared statement.
SESSION_ENGINE = "praevnet.sessions"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
# The age above is an idle timeout: praevnet.middleware.IdleSessionMiddleware restarts it at most once a minute
# (instead of SESSION_SAVE_EVERY_REQUEST's database write on every page view).
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "praevnet.errors.csrf_failure"

# Failed logins (django-axes): after AXES_FAILURE_LIMIT failures for the same account from the same IP address,
# that pair is locked for AXES_COOLOFF_MINUTES; a success resets the count.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "praevnet.auth.axes_username"
AXES_LOCKOUT_CALLABLE = "praevnet.auth.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in our own audit log
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# Two-factor login (TOTP): required for coordinators, Jugendamt staff and administrators, optional for partners.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 1

# ---------------------------------------------------------------------------------------------------------------------
# Security (production values apply when DEBUG is off)
# ---------------------------------------------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy: only our own files, no inline scripts or styles, never framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The header alone changes nothing until the domain is submitted to the preload list.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# ---------------------------------------------------------------------------------------------------------------------
# Language and time
# ---------------------------------------------------------------------------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]  # German only, whatever language the browser asks for
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------------------------------------------------
# Static and uploaded files (served by whitenoise; nothing from third-party hosts)
# ---------------------------------------------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# ---------------------------------------------------------------------------------------------------------------------
# E-mail: a folder under .data/ in development (readable .eml files), SMTP in production
# ---------------------------------------------------------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS und EMAIL_USE_SSL schließen einander aus.")
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "praevnet <noreply@praevnet.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# ---------------------------------------------------------------------------------------------------------------------
# Forms and tables
# ---------------------------------------------------------------------------------------------------------------------

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# ---------------------------------------------------------------------------------------------------------------------
# Logging: everything to stderr, one line per record
# ---------------------------------------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
