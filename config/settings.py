"""ParPlan settings, read from the environment.

With no environment at all the portal runs locally: SQLite file, Celery on
kombu's filesystem broker, e-mail to the console. `DATABASE_URL` switches to
PostgreSQL, `REDIS_URL` to Redis (broker, results and cache). `PARPLAN_MODE=production`
turns on the hardening that `manage.py check --deploy` asks for and refuses to
start without a secret key, allowed hosts, DATABASE_URL and REDIS_URL.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"  # local state: SQLite file, media, Celery queue (git-ignored)
VAR_DIR.mkdir(exist_ok=True)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean; an unrecognised value is an error, not a silent False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true/false).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


MODE = env_str("PARPLAN_MODE", "development")
if MODE not in {"development", "production"}:
    raise ImproperlyConfigured(f"PARPLAN_MODE={MODE!r}: use development or production.")
PRODUCTION = MODE == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production mode.")

SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if PRODUCTION:
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production mode needs SECRET_KEY (at least 50 characters).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production mode needs ALLOWED_HOSTS (comma-separated).")
else:
    # A fixed key is fine for a laptop; production refuses to start without its own.
    SECRET_KEY = SECRET_KEY or "django-insecure-parplan-local-development-key-not-for-production"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_sendfile",
    "axes",
    "csp",
    "parplan",
    "notifications",
    "evidence",
    "targets",
    "tasks",
    "inspections",
    "scoring",
    "dossiers",
    "planio",
    "dashboard",
    "reports",
]
# The demo data set (manage.py demo) is for development and tests; a production
# install does not carry its commands.
if not PRODUCTION:
    INSTALLED_APPS.append("demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The pages' headers (static files need neither).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, but the browser's language does not choose (parplan/i18n.py).
    "parplan.i18n.ChosenLanguageMiddleware",
    # After the language (the 400 page is in it), before anything reads the URL's text.
    "parplan.urlguard.ControlCharactersInUrlMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and the messages (the error page has the header): an empty 405 becomes a page.
    "parplan.errors.MethodNotAllowedPageMiddleware",
    # After the messages: says so when an action's job waits for the queue (parplan/jobs.py).
    "parplan.jobs.JobQueueNoticeMiddleware",
    # After the user and the messages: they end a session that is too old, or send to the password form.
    "parplan.accounts.middleware.SessionLifetimeMiddleware",
    "parplan.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

CSRF_FAILURE_VIEW = "parplan.errors.csrf_failure"
ROOT_URLCONF = env_str("PARPLAN_ROOT_URLCONF", "config.urls")
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.i18n",
                "parplan.context_processors.memberships",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
REDIS_URL = env_str("REDIS_URL")
# Without them a production install would run on a SQLite file in the image and a
# cache and queue per process: it would seem to work and lose data. Refuse instead.
if PRODUCTION and not (DATABASE_URL and REDIS_URL):
    _missing = " and ".join(name for name in ("DATABASE_URL", "REDIS_URL") if not env_str(name))
    raise ImproperlyConfigured(f"Production mode needs {_missing} (PostgreSQL and Redis).")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            # Keep connections open between requests and check them before use,
            # so a restarted PostgreSQL does not surface as a 500.
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "parplan.sqlite3")),
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- History (django-simple-history) ------------------------------------------
# A reason typed into a form (return, reopen, cancel…) is kept whole: a text
# column, not the 100-character default that turned a long reason into a 500.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Cache ------------------------------------------------------------------
if REDIS_URL:
    # Degrades to no cache while Redis is away (parplan/cache.py); short timeouts so a page does not hang on it.
    CACHES = {
        "default": {
            "BACKEND": "parplan.cache.ForgivingRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Auth (docs/access.md, "Đăng nhập và phiên") -------------------------------
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out username before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Guardian's anonymous user is not needed: every page requires a login.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

PARPLAN_PASSWORD_MIN_LENGTH = env_int("PARPLAN_PASSWORD_MIN_LENGTH", 10)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "parplan.accounts.passwords.MinimumLengthValidator",  # Django's, with a Vietnamese message
        "OPTIONS": {"min_length": PARPLAN_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A reset link in an e-mail works for one hour (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 3600

# Sessions: an absolute lifetime from the login, and an idle limit between two
# requests (parplan/accounts/middleware.py). SESSION_SAVE_EVERY_REQUEST stays off:
# it would write the session on every page and push its expiry forward; the
# middleware writes the last-activity time at most once a minute instead, and
# ends a session that has outlived PARPLAN_SESSION_HOURS whatever its activity.
PARPLAN_SESSION_HOURS = env_int("PARPLAN_SESSION_HOURS", 8)
PARPLAN_SESSION_IDLE_MINUTES = env_int("PARPLAN_SESSION_IDLE_MINUTES", 30)
if PARPLAN_SESSION_HOURS < 1 or PARPLAN_SESSION_IDLE_MINUTES < 1:
    raise ImproperlyConfigured("PARPLAN_SESSION_HOURS and PARPLAN_SESSION_IDLE_MINUTES must be at least 1.")
SESSION_COOKIE_AGE = PARPLAN_SESSION_HOURS * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login throttling (django-axes): after PARPLAN_LOGIN_FAILURE_LIMIT wrong passwords
# for one username, that username is refused for PARPLAN_LOCKOUT_MINUTES, on the
# portal's login and the admin's. By username, not by address: a district's
# offices share one NAT address, and one person's typos must not lock out them
# all; the price is that anyone can lock a known username out, which the
# cool-off bounds (further failures during it do not extend it).
AXES_FAILURE_LIMIT = env_int("PARPLAN_LOGIN_FAILURE_LIMIT", 5)
PARPLAN_LOCKOUT_MINUTES = env_int("PARPLAN_LOCKOUT_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or PARPLAN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("PARPLAN_LOGIN_FAILURE_LIMIT and PARPLAN_LOCKOUT_MINUTES must be at least 1.")
AXES_COOLOFF_TIME = timedelta(minutes=PARPLAN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "parplan.accounts.views.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
# Successful logins with their logouts (AccessLog) and failed logins (AccessFailureLog)
# are recorded; administrators read them in the admin (parplan/accounts/admin.py).
# Said here rather than left to axes' defaults: the audit trail depends on them.
AXES_DISABLE_ACCESS_LOG = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_ENABLE_ADMIN = False  # parplan registers read-only versions of axes' admin pages
# axes.W006 asks for the address among the lockout parameters, lest a guesser escape by
# changing browsers: left out on purpose (see above); a username's failures are summed
# over every address and browser (tests/parplan/accounts/test_lockout.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The client's address for the records: REMOTE_ADDR, or behind PARPLAN_PROXY_COUNT
# reverse proxies that each append to X-Forwarded-For, the address the first one saw.
PARPLAN_PROXY_COUNT = env_int("PARPLAN_PROXY_COUNT", 0)
if PARPLAN_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = PARPLAN_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# --- Headers: Content-Security-Policy and Permissions-Policy --------------------
# No inline script, handler or style anywhere: the JavaScript is in static/js/
# (tests/test_templates.py scans the templates).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb", "xr-spatial-tracking",
    )
}  # fmt: skip

# --- Language and time --------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static and media -------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on every request when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Stored files have no public URL: views check the owner's right, then parplan.files
# hands the bytes to django-sendfile2 (docs/files.md). In production nginx sends them
# from its `internal` location SENDFILE_URL, which aliases MEDIA_ROOT (deploy/nginx.conf).
SENDFILE_ROOT = str(MEDIA_ROOT)
SENDFILE_BACKEND = env_str(
    "SENDFILE_BACKEND", "django_sendfile.backends.nginx" if PRODUCTION else "django_sendfile.backends.simple"
)
SENDFILE_URL = env_str("SENDFILE_URL", "/protected-files")

# Evidence files (tài liệu kiểm chứng): accepted types and the checks of their content
# are fixed in evidence/uploads.py and evidence/content.py (docs/files.md, "Uploads").
PARPLAN_MAX_UPLOAD_MB = env_int("PARPLAN_MAX_UPLOAD_MB", 10)  # one file
PARPLAN_MAX_FILES_PER_UPLOAD = env_int("PARPLAN_MAX_FILES_PER_UPLOAD", 10)  # files in one sending
PARPLAN_MAX_REQUEST_UPLOAD_MB = env_int("PARPLAN_MAX_REQUEST_UPLOAD_MB", 30)  # the files of one sending together
PARPLAN_MAX_OBJECT_EVIDENCE_MB = env_int("PARPLAN_MAX_OBJECT_EVIDENCE_MB", 100)  # all the files of one record
# Beyond the limits above the form says what is wrong. A request far beyond them is
# stopped before its body is read (evidence.upload_limits), a 400 page saying why.
DATA_UPLOAD_MAX_NUMBER_FILES = PARPLAN_MAX_FILES_PER_UPLOAD * 2
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # the fields other than files
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default; a larger file goes to a temporary file
FILE_UPLOAD_HANDLERS = [
    "evidence.upload_limits.RequestSizeLimitHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# import_plan: a file above this size is refused before it is read; the memory an import
# takes is a small multiple of the file's size (docs/plan-format.md, "Limits").
PARPLAN_IMPORT_MAX_MB = env_int("PARPLAN_IMPORT_MAX_MB", 20)
# A plan read from its Word document (planio/documents/): a plan with its annex is well under 5 MB;
# a larger file (pictures, a scan) is refused before it is opened.
PLAN_DOCUMENT_MAX_BYTES = env_int("PARPLAN_PLAN_DOCUMENT_MAX_MB", 20) * 1024 * 1024
# One-stop dossier files (dossiers/): the largest accepted, and the largest imported during the
# request; a larger one is imported by a Celery job with a progress bar (docs/dossiers.md).
PARPLAN_DOSSIER_UPLOAD_MAX_BYTES = env_int("PARPLAN_DOSSIER_UPLOAD_MAX_MB", 50) * 1024 * 1024
PARPLAN_DOSSIER_INLINE_ROWS = env_int("PARPLAN_DOSSIER_INLINE_ROWS", 2000)
# Files larger than this are checked by a background job with its progress shown (0.5 MB: some 6,000 rows).
PARPLAN_DOSSIER_INLINE_CHECK_BYTES = env_int("PARPLAN_DOSSIER_INLINE_CHECK_KB", 512) * 1024

# Indicator status rule (targets/status.py, docs/indicators.md): how far short of the
# threshold (or of the progress expected to date) is still "at risk" rather than
# "behind", when an indicator sets no band of its own: in percentage points for a
# rate, in percent of the threshold for a count or an amount.
PARPLAN_RISK_BAND_POINTS = env_float("PARPLAN_RISK_BAND_POINTS", 2.0)
PARPLAN_RISK_BAND_PERCENT = env_float("PARPLAN_RISK_BAND_PERCENT", 10.0)
# /healthz calls the worker down when the beat's one-minute heartbeat is older than this.
PARPLAN_HEARTBEAT_STALE_SECONDS = env_int("PARPLAN_HEARTBEAT_STALE_SECONDS", 180)
# An approval re-evaluates its indicator this many seconds later, once per burst
# (a mark in the database swept every minute by beat, not a delayed message; docs/jobs.md).
PARPLAN_EVALUATION_DEBOUNCE_SECONDS = env_int("PARPLAN_EVALUATION_DEBOUNCE_SECONDS", 60)
# A report version queued or running with no progress for this long is marked failed,
# and may be generated again from its page (its job died with a worker, or never ran).
PARPLAN_REPORT_STALE_MINUTES = env_int("PARPLAN_REPORT_STALE_MINUTES", 15)
if PARPLAN_REPORT_STALE_MINUTES < 1:
    raise ImproperlyConfigured("PARPLAN_REPORT_STALE_MINUTES must be at least 1.")

# --- E-mail -------------------------------------------------------------------
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "ParPlan <parplan@localhost>")
# Links in e-mails need the portal's address (no request to take it from).
PARPLAN_BASE_URL = env_str("PARPLAN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Celery -------------------------------------------------------------------
CELERY_TIMEZONE = TIME_ZONE
# A job is acknowledged when it has run, and given back to the queue when its worker
# process dies (SIGKILL, OOM): a report or an evaluation cut off is run again, so every
# job is idempotent (docs/jobs.md).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Survive Redis restarts: keep reconnecting (at start-up too) instead of exiting, and
# cancel jobs cut off by the lost connection (their acknowledgement cannot reach the new
# one); acks_late puts them back in the queue.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Redis redelivers a message not acknowledged within this time: longer than the longest
# job (a province's year report takes minutes), or a slow job would run twice at once.
PARPLAN_JOB_VISIBILITY_SECONDS = env_int("PARPLAN_JOB_VISIBILITY_SECONDS", 3600)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# A second beat on the same database exits at start (config/beat.py, docs/scaling.md).
CELERY_BEAT_SCHEDULER = "config.beat:SingleBeatScheduler"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    # kombu's Redis transport with a guard against the worker's exit after a lost connection (config/broker.py).
    CELERY_BROKER_TRANSPORT = "config.broker:Transport"
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        "visibility_timeout": PARPLAN_JOB_VISIBILITY_SECONDS,
        "socket_connect_timeout": 2,
    }
else:
    # kombu's filesystem transport: a real broker (worker and beat run as
    # separate processes) that needs nothing installed. Messages are files.
    _queue_dir = Path(env_str("CELERY_FILESYSTEM_DIR", str(VAR_DIR / "celery")))
    for _sub in ("queue", "processed", "results", "control"):
        (_queue_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir / "queue"),
        "data_folder_out": str(_queue_dir / "queue"),
        "processed_folder": str(_queue_dir / "processed"),
        # Broadcast (worker control) messages; kombu's default is ./control in the working directory.
        "control_folder": str(_queue_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_queue_dir / 'results'}"

# --- Production hardening ------------------------------------------------------
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO.
    "loggers": {
        # Django's own console handler would print every message a second time via the root.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
