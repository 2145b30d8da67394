"""BorderDesk settings: one module, driven by environment variables.

Every variable is documented in `.env.example`. Defaults are safe for production (DEBUG off,
secure cookies when not in debug); the embedded default database is an SQLite file under `var/`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("BORDERDESK_HOME", Path.cwd()))
VAR_DIR = Path(os.environ.get("BORDERDESK_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


TESTING = "pytest" in sys.modules or os.environ.get("BORDERDESK_TESTING") == "1"
DEBUG = env_bool("BORDERDESK_DEBUG", False)
SECRET_KEY = os.environ.get("BORDERDESK_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING or os.environ.get("BORDERDESK_ALLOW_EPHEMERAL_KEY") == "1":
        SECRET_KEY = "insecure-development-key-" + "x" * 40
    else:
        # The CLI writes a random key to var/secret_key on first start; see cli.ensure_secret_key().
        key_file = VAR_DIR / "secret_key"
        SECRET_KEY = key_file.read_text().strip() if key_file.exists() else ""
        if not SECRET_KEY:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                "BORDERDESK_SECRET_KEY is not set. Set it in the environment, or start BorderDesk "
                "with `borderdesk serve`, which creates var/secret_key."
            )

ALLOWED_HOSTS = env_list("BORDERDESK_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("BORDERDESK_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "borderdesk.core",
    "borderdesk.jobs",
    "borderdesk.accounts",
    "borderdesk.org",
    "borderdesk.reporting",
    "borderdesk.frontier",
    "borderdesk.gates",
    "borderdesk.outreach",
    "borderdesk.coordination",
    "borderdesk.documents",
    "borderdesk.extraction",
    "borderdesk.dashboards",
    "borderdesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "borderdesk.core.middleware.RequestIdMiddleware",
    "csp.middleware.CSPMiddleware",
    "borderdesk.core.edge.ControlCharacterMiddleware",
    "borderdesk.core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "borderdesk.core.middleware.UserLanguageMiddleware",
    "borderdesk.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "borderdesk.core.pagecache.PageCacheMiddleware",
    "borderdesk.core.middleware.ApplicationErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "borderdesk.urls"
WSGI_APPLICATION = "borderdesk.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

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
                "borderdesk.core.context_processors.navigation_menu",
            ],
            "builtins": ["borderdesk.core.templatetags.vn"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'borderdesk.sqlite3'}"),
        conn_max_age=int(os.environ.get("BORDERDESK_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL keeps readers unblocked while a writer commits; IMMEDIATE avoids deadlocking upgrades.
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling first (see AXES_* below)
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "borderdesk.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("BORDERDESK_LANGUAGE", "vi")
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("BORDERDESK_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
# Numbers and dates are formatted by borderdesk.core.vn, never by Django's locale formats
# (Django's Vietnamese date format does not follow Decree 30).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("BORDERDESK_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Third-party front-end assets (charts, map, Natural Earth boundaries) come from npm at setup
# (`npm ci --ignore-scripts`, run by ./bd), never from the repository or the internet; they are served from
# node_modules under static/vendor/. Without them the dashboards show their tables and the map its lists.
NODE_MODULES = Path(os.environ.get("BORDERDESK_NODE_MODULES", BASE_DIR.parent.parent / "node_modules"))
# Only the files the pages load (and what those reference: source maps, Leaflet's images) are collected
# (core.staticfinders.VendorFinder): the packages hold ~17 MB more (other builds, other resolutions).
VENDOR_ASSETS = {
    "chartjs": ("chart.js/dist", ["chart.umd.min.js", "chart.umd.min.js.map"]),
    "leaflet": ("leaflet/dist", ["leaflet.js", "leaflet.js.map", "leaflet.css", "images/*.png"]),
    "markercluster": (
        "leaflet.markercluster/dist",
        ["leaflet.markercluster.js", "leaflet.markercluster.js.map", "MarkerCluster.css", "MarkerCluster.Default.css"],
    ),
    "topojson": ("topojson-client/dist", ["topojson-client.min.js"]),
    "worldatlas": ("world-atlas", ["countries-10m.json"]),
}
VENDOR_AVAILABLE = {name: (NODE_MODULES / sub).is_dir() for name, (sub, _files) in VENDOR_ASSETS.items()}
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "borderdesk.core.staticfinders.VendorFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and os.environ.get("BORDERDESK_PLAIN_STATIC") != "1"
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(os.environ.get("BORDERDESK_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
BORDERDESK_MAX_UPLOAD_BYTES = int(os.environ.get("BORDERDESK_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
BORDERDESK_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("BORDERDESK_MAX_UNCOMPRESSED_BYTES", str(40 * 1024 * 1024)))

# Security: safe by default; `borderdesk check --deploy` passes with these.
# A session lasts BORDERDESK_SESSION_HOURS from login (default 10: one working day; Django's default is 14 days).
SESSION_COOKIE_AGE = int(os.environ.get("BORDERDESK_SESSION_HOURS", "10")) * 3600
CSRF_FAILURE_VIEW = "borderdesk.core.edge.csrf_failure"
# API tokens expire after BORDERDESK_API_TOKEN_DAYS days (default 90; at most 365).
BORDERDESK_API_TOKEN_DAYS = min(365, max(1, int(os.environ.get("BORDERDESK_API_TOKEN_DAYS", "90"))))
# Login throttling (django-axes): BORDERDESK_LOGIN_FAILURES wrong passwords for one user name from one address
# lock that pair for BORDERDESK_LOGIN_COOLOFF_MINUTES; a successful login resets the count.
AXES_FAILURE_LIMIT = int(os.environ.get("BORDERDESK_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("BORDERDESK_LOGIN_COOLOFF_MINUTES", "15")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "borderdesk.accounts.views.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
# Bearer tokens: at most this many unknown/expired tokens per client address per 15 minutes, then 429.
BORDERDESK_TOKEN_FAILURES = int(os.environ.get("BORDERDESK_TOKEN_FAILURES", "1000000" if TESTING else "20"))
# Content-Security-Policy: everything from this server, no inline script or style, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
_https = env_bool("BORDERDESK_HTTPS", not DEBUG and not TESTING)
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_SSL_REDIRECT = env_bool("BORDERDESK_SSL_REDIRECT", _https)
SECURE_HSTS_SECONDS = int(os.environ.get("BORDERDESK_HSTS_SECONDS", "31536000" if _https else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("BORDERDESK_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BORDERDESK_BEHIND_PROXY", _https) else None

EMAIL_BACKEND = os.environ.get("BORDERDESK_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("BORDERDESK_EMAIL_HOST", "")
DEFAULT_FROM_EMAIL = os.environ.get("BORDERDESK_DEFAULT_FROM_EMAIL", "borderdesk@localhost")

# Background jobs (borderdesk.jobs): Django's tasks framework with its database backend; `borderdesk worker`
# runs them (`borderdesk serve` starts one). Under pytest they run at once, in the caller.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if "pytest" in sys.modules
        else "django_tasks_db.DatabaseBackend"
    }
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 2000}}}
if os.environ.get("BORDERDESK_CACHE_DIR"):  # one cache for every worker process of this machine (a tmpfs is best)
    CACHES = {
        "default": {
            "BACKEND": "borderdesk.core.filecache.FileCache",
            "LOCATION": os.environ["BORDERDESK_CACHE_DIR"],
            "OPTIONS": {"MAX_ENTRIES": 10000},
        }
    }
# Whole pages kept for their user until the data they read changes (borderdesk.core.pagecache); off under the tests,
# which turn it on where they test it.
BORDERDESK_PAGE_CACHE = env_bool("BORDERDESK_PAGE_CACHE", not TESTING)
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.locmem.LocMemCache":
    # A cache shared across processes outlives an upgrade: its keys carry the code's digest (borderdesk.code_version),
    # so pages rendered by old templates are never served by new code.
    from borderdesk import code_version

    CACHES["default"]["KEY_PREFIX"] = code_version.digest()

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BORDERDESK_LOG_LEVEL", "WARNING")},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    WHITENOISE_AUTOREFRESH = True
    WHITENOISE_USE_FINDERS = True

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
