"""Django settings for SIA, read from environment variables.

SIA_ENV selects the profile: ``development`` (default, embedded SQLite under var/),
``production`` (secure cookies, HSTS, a secret key is required) or ``test``.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SIA_VAR_DIR", PROJECT_DIR / "var"))

SIA_ENV = os.environ.get("SIA_ENV", "development")
PRODUCTION = SIA_ENV == "production"
TESTING = SIA_ENV == "test"

DEBUG = env_bool("SIA_DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SIA_SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SIA_SECRET_KEY is not set. Production settings need a long random secret key, "
            "e.g. SIA_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')"
        )
    # Development and tests: a per-checkout key kept beside the embedded database.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list(
    "SIA_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("SIA_ALLOWED_HOSTS must name the host(s) SIA is served under.")
CSRF_TRUSTED_ORIGINS = env_list("SIA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "axes",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "sia.core",
    "sia.organizations",
    "sia.notifications",
    "sia.reference",
    "sia.architecture",
    "sia.evaluation",
    # In layers: each app imports only those above it in this list (tests/core/test_layers.py).
    "sia.insights",
    "sia.exchange",
    "sia.portfolio",
    "sia.roadmap",
    "sia.publishing",
    "sia.index_evidence",
    "sia.governance",
    "sia.progress",
    "sia.workshops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for pages and API answers (static files come pre-compressed from WhiteNoise, above)
    "sia.core.middleware.TextCompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sia.core.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sia.core.middleware.RequestIDMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sia.urls"
WSGI_APPLICATION = "sia.wsgi.application"
AUTH_USER_MODEL = "core.User"

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
                "sia.core.context_processors.sia",
                "sia.notifications.context_processors.unread",
            ],
        },
    }
]

# Forms: Django's templates, a <select> written in one pass (sia.core.renderers: the same HTML).
FORM_RENDERER = "sia.core.renderers.FormRenderer"

# Database: embedded SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
_default_sqlite = f"sqlite:///{VAR_DIR / 'sia.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or _default_sqlite,
        conn_max_age=int(os.environ.get("SIA_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
_prepare_threshold = os.environ.get("SIA_DB_PREPARE_THRESHOLD", "5")
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and _prepare_threshold:
    # Server-side binding and prepared statements (psycopg): a query run this many times on one connection is parsed
    # and planned once for it. Empty turns it off (a pooler such as PgBouncer in transaction mode before 1.21).
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "server_side_binding": True,
        "prepare_threshold": int(_prepare_threshold),
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling: five failures for one username from one address lock it for 15 minutes.
AXES_ENABLED = env_bool("SIA_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("SIA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Content-Security-Policy (django-csp): everything from SIA itself, no inline script or style, no framing.
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
    },
}

SESSION_COOKIE_AGE = 60 * 60 * 8
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SIA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SIA_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if env_bool("SIA_BEHIND_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # Login throttling counts the client's address, which the proxy sets (nginx: X-Real-IP $remote_addr,
        # overwriting whatever the client sent), not the proxy's own that every request would share.
        AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP", "REMOTE_ADDR")

# E-mail (notifications, sia.notifications.mail): printed on the console unless an SMTP server is named. SIA_EMAIL_HOST
# alone switches to SMTP; SIA_EMAIL_BACKEND names any other Django backend. See docs/deployment.md.
EMAIL_HOST = os.environ.get("SIA_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("SIA_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("SIA_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("SIA_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("SIA_EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("SIA_EMAIL_USE_SSL", False)
if EMAIL_USE_SSL:
    EMAIL_USE_TLS = False  # Django refuses both at once: implicit TLS (port 465) wins
EMAIL_TIMEOUT = int(os.environ.get("SIA_EMAIL_TIMEOUT", "20"))
EMAIL_BACKEND = os.environ.get(
    "SIA_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
DEFAULT_FROM_EMAIL = os.environ.get("SIA_DEFAULT_FROM_EMAIL", "sia@localhost")
# Where SIA is reached from outside: the links of e-mails start with it.
SIA_BASE_URL = os.environ.get("SIA_BASE_URL", "http://localhost:8000")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("SIA_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("SIA_STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("SIA_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded and generated files (evidence, logos, documents, previewed imports), always through Django's storage
# API: on this server's file system (MEDIA_ROOT) or, for several application servers, in an S3-compatible bucket.
SIA_MEDIA_STORAGE = os.environ.get("SIA_MEDIA_STORAGE", "filesystem").strip().lower()


def _media_storage() -> dict:
    if SIA_MEDIA_STORAGE in ("", "filesystem"):
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if SIA_MEDIA_STORAGE != "s3":
        raise ImproperlyConfigured(f"SIA_MEDIA_STORAGE must be 'filesystem' or 's3', not {SIA_MEDIA_STORAGE!r}.")
    if not os.environ.get("SIA_S3_BUCKET"):
        raise ImproperlyConfigured("SIA_MEDIA_STORAGE=s3 needs SIA_S3_BUCKET (the bucket's name).")
    named = {  # django-storages' S3Storage option: SIA's variable (left out when empty: boto3's own default)
        "bucket_name": "SIA_S3_BUCKET", "endpoint_url": "SIA_S3_ENDPOINT_URL", "region_name": "SIA_S3_REGION",
        "access_key": "SIA_S3_ACCESS_KEY_ID", "secret_key": "SIA_S3_SECRET_ACCESS_KEY",
        "location": "SIA_S3_PREFIX", "addressing_style": "SIA_S3_ADDRESSING_STYLE",
    }
    options = {option: os.environ[name] for option, name in named.items() if os.environ.get(name)}
    return {"BACKEND": "sia.core.storages.PrivateS3Storage",
            "OPTIONS": options | {"default_acl": "private", "file_overwrite": False}}


STORAGES = {
    "default": _media_storage(),
    # Hashed, compressed file names give cache-busting URLs; tests use the plain finders.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365 if not DEBUG else 0
# Pages name static files by their hashed names only ({% static %}, CSS url() rewritten by the manifest): the plain
# copies were never served, yet collectstatic compressed them too. Source maps are read by a browser's developer
# tools alone: kept as they are instead of compressed (brotli of the API docs' 3.9 and 1.9 MB maps was most of the
# 20-40 s of CPU that collecting took).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
SIA_LOGO_MAX_BYTES = 1024 * 1024
# Evidence files of the SPBE index self-assessment (bytes); Excel/CSV import limits.
SIA_EVIDENCE_MAX_BYTES = int(os.environ.get("SIA_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
SIA_IMPORT_MAX_BYTES = int(os.environ.get("SIA_IMPORT_MAX_BYTES", str(25 * 1024 * 1024)))
# ArchiMate exchange files (sia.exchange.archimate.reader): SIA's own export of a 20,000-object instansi with its
# generated views measures 55 MB (docs/benchmarks.md), over the spreadsheets' limit above.
SIA_ARCHIMATE_MAX_BYTES = int(os.environ.get("SIA_ARCHIMATE_MAX_BYTES", str(80 * 1024 * 1024)))
# Insights graphs kept per process between requests (sia.insights.graph_cache): how many, and for how long at most.
SIA_INSIGHTS_GRAPHS = int(os.environ.get("SIA_INSIGHTS_GRAPHS", "6"))
SIA_INSIGHTS_GRAPH_SECONDS = int(os.environ.get("SIA_INSIGHTS_GRAPH_SECONDS", "600"))
# The home pages' figures kept per process under the same generation (sia.architecture.kept): how many, how long.
SIA_FIGURES_KEPT = int(os.environ.get("SIA_FIGURES_KEPT", "64"))
SIA_FIGURES_SECONDS = int(os.environ.get("SIA_FIGURES_SECONDS", "300"))
# How long before a kegiatan starts and after it ends its attendance code is accepted (sia.workshops.rules).
SIA_WORKSHOP_CHECKIN_MARGIN_MINUTES = int(os.environ.get("SIA_WORKSHOP_CHECKIN_MARGIN_MINUTES", "30"))
SIA_IMPORT_MAX_ROWS = int(os.environ.get("SIA_IMPORT_MAX_ROWS", "50000"))

# Background jobs (the Dokumen Arsitektur SPBE): django-tasks with its database backend, a queue in the same
# database (SQLite or PostgreSQL), worked by ``sia db_worker`` (``sia serve`` starts one). Tests run each job at once.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
                     if TESTING or env_bool("SIA_TASKS_IMMEDIATE", False) else "django_tasks_db.DatabaseBackend"}}
# A document job running longer than this is taken as stopped with its worker (marked failed; ask again).
SIA_DOCUMENT_JOB_MINUTES = int(os.environ.get("SIA_DOCUMENT_JOB_MINUTES", "30"))
# An Excel commit of more rows than this runs as a background job with a progress page (sia.exchange.jobs), and a
# commit job running longer than the minutes below is taken as stopped with its worker (marked failed; retry).
SIA_IMPORT_JOB_ROWS = int(os.environ.get("SIA_IMPORT_JOB_ROWS", "500"))
SIA_IMPORT_JOB_MINUTES = int(os.environ.get("SIA_IMPORT_JOB_MINUTES", "30"))
# Instansi archives (sia.exchange.snapshot_jobs): exported and restored as background jobs; a job running longer than
# the minutes below is taken as stopped with its worker (failed; retry). The direct API calls of before answer only
# an instansi of at most SIA_SNAPSHOT_SYNC_ROWS rows (export) or an archive of at most SIA_SNAPSHOT_SYNC_BYTES
# unpacked (restore); larger ones go through the jobs. An uploaded archive may be SIA_SNAPSHOT_MAX_BYTES at most.
SIA_SNAPSHOT_JOB_MINUTES = int(os.environ.get("SIA_SNAPSHOT_JOB_MINUTES", "60"))
SIA_SNAPSHOT_SYNC_ROWS = int(os.environ.get("SIA_SNAPSHOT_SYNC_ROWS", "2000"))
SIA_SNAPSHOT_SYNC_BYTES = int(os.environ.get("SIA_SNAPSHOT_SYNC_BYTES", str(10 * 1024 * 1024)))
SIA_SNAPSHOT_MAX_BYTES = int(os.environ.get("SIA_SNAPSHOT_MAX_BYTES", str(2 * 1024 * 1024 * 1024)))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "sia.core.api.authentication.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["sia.core.api.permissions.SiaObjectPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "sia.core.api.filters.SiaFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "sia.core.api.pagination.SiaLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "sia.core.api.schema.SiaAutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# API tokens (django-rest-knox, stored hashed): several per user, each expiring after SIA_API_TOKEN_DAYS.
SIA_API_TOKEN_DAYS = int(os.environ.get("SIA_API_TOKEN_DAYS", "90"))
KNOX_TOKEN_MODEL = "core.ApiToken"
# knox's own AuthToken is swapped out: its migrations would still create an unused table (with a foreign key
# to the users, which breaks flushing the database on PostgreSQL), so knox runs no migrations at all.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": timedelta(days=SIA_API_TOKEN_DAYS),
    "AUTH_TOKEN_CHARACTER_LENGTH": 40,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "SIA API",
    "DESCRIPTION": "Sistem Informasi Arsitektur SPBE: REST API.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "sia.core.roles.Role",
        "ReviewStatusEnum": "sia.architecture.choices.ReviewStatus",
        "ArchitectureStateEnum": "sia.architecture.choices.ArchitectureState",
        "PortfolioLevelEnum": "sia.portfolio.models.Level",
        "EvidenceItemStatusEnum": "sia.evaluation.models.evidence.ItemStatus",
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SIA_LOG_LEVEL", "WARNING")},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
