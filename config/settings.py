"""Anjian settings: one module, driven by the environment.

Out of the box (no variables set) it runs on a SQLite file under ``var/`` with
tasks executed eagerly in-process. A deployment sets ``DATABASE_URL``
(PostgreSQL), ``CELERY_BROKER_URL`` (Redis), ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ANJIAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("ANJIAN_TESTING", False)
# Demo mode: `seed_demo` may create the demo city and its documented demo accounts.
ANJIAN_DEMO = env_bool("ANJIAN_DEMO", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not DEBUG and not TESTING:
    # A production process must never run with a guessable key or accept any Host header.
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
if not SECRET_KEY:
    SECRET_KEY = "insecure-development-key-only-for-debug-and-tests-anjian"
# Earlier SECRET_KEYs, comma-separated, after a change of key: what they signed (sessions, password reset
# links, and the audit rows signed with the key derived from them) still verifies.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS")
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
if TESTING:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver", "localhost", "127.0.0.1"]
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "csp",
    "axes",
    "anjian.core",
    "anjian.organizations",
    "anjian.accounts",
    "anjian.registry",
    "anjian.inspections",
    "anjian.accidents",
    "anjian.risk",
    "anjian.dashboards",
    "anjian.demo",
]

MIDDLEWARE = [
    "anjian.core.middleware.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "anjian.core.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anjian.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "anjian.core.middleware.RequestUserMiddleware",
    "anjian.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: it turns a lockout into the Chinese lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "anjian.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'anjian.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_SQLITE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker) share the file: wait for locks instead of failing,
    # and take the write lock when a transaction starts so no two writers deadlock.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-anjian.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions ----------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# 等保2.0: a session ends after 30 minutes without activity (the expiry moves with every request).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Authentication and login security ------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "anjian.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "anjian.accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Last: it hashes the candidate once per remembered password, so the cheap rules answer first.
    {"NAME": "anjian.accounts.validators.PasswordHistoryValidator"},
]
# 等保2.0 password management: the current password and this many before it cannot be chosen again
# (their hashes are kept in accounts.PasswordHistoryEntry, older ones deleted).
PASSWORD_HISTORY_COUNT = 5
# API tokens (issued on "My account") stop working this many hours after they were issued. 30 days:
# a script's owner renews it monthly, and a leaked token is useless after at most a month; interactive
# sessions end after SESSION_IDLE_SECONDS instead. Tokens also end with a password change, a lockout
# or a disabled account.
API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", str(30 * 24)))
if API_TOKEN_TTL_HOURS <= 0:
    raise ImproperlyConfigured("API_TOKEN_TTL_HOURS must be a positive number of hours.")
# django-axes: 5 failures lock the account for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Per account, not per address: a whole office behind one NAT address must not be locked
# out by one colleague's typos (hence axes.W006 silenced below).
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0")) or None

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and media files --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence photos (anjian/inspections/evidence.py): the largest photo accepted, in pixels, checked from the header
# before decoding (a phone's default photo is 12–24.5 MP), and the most photos one form post may carry (the field
# inspection form sends every item's at once; each photo is decoded and resized in the request).
EVIDENCE_MAX_PIXELS = int(os.environ.get("EVIDENCE_MAX_PIXELS", "25000000"))
EVIDENCE_MAX_PHOTOS_PER_SUBMISSION = int(os.environ.get("EVIDENCE_MAX_PHOTOS_PER_SUBMISSION", "50"))
# Django stops parsing a request with more files than this (a bare 400): well above the photo limit, so a
# submission a little over it gets the clear message of the form instead.
DATA_UPLOAD_MAX_NUMBER_FILES = EVIDENCE_MAX_PHOTOS_PER_SUBMISSION * 2
# Photos chosen on a form that was refused are kept this long for the user who chose them (the form is sent again
# without choosing them anew); then they are removed.
PROVISIONAL_UPLOAD_HOURS = int(os.environ.get("PROVISIONAL_UPLOAD_HOURS", "24"))
# The field form: a recorded position further than this from the place's registered coordinates is kept with a
# warning on the form and on the inspection (a phone's GPS is off by tens of metres inside a building; a place's
# coordinates typed from a GCJ-02 web map by up to about 600 m).
INSPECTION_DISTANCE_WARNING_METRES = int(os.environ.get("INSPECTION_DISTANCE_WARNING_METRES", "500"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    # MEDIA_STORAGE names another backend (e.g. storages.backends.s3.S3Storage) for object storage.
    "default": {"BACKEND": os.environ.get("MEDIA_STORAGE", "django.core.files.storage.FileSystemStorage")},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Security headers (check --deploy clean when DEBUG is off) --------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if not DEBUG and not TESTING:
    # HTTPS is what the TLS proxy says: it must set X-Forwarded-Proto itself (replacing the client's) and be
    # the only way to reach gunicorn (README, "Behind a TLS proxy"; pinned by test_deployment_docs).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- Content-Security-Policy (django-csp) and Permissions-Policy ------------------------
# Scripts and styles only from our own static files: no inline script, event handler or style attribute runs,
# so a name that smuggles markup into a page cannot act (templates and static/js insert data as text anyway).
# Images also from data: and blob: URLs (Leaflet's and Tabler's icons, ECharts' exports, photo previews) and
# from the map tile server when one is configured.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "")


def tile_source(url: str) -> list[str]:
    """The CSP source of a Leaflet tile URL template ("https://{s}.tiles.example/{z}/{x}/{y}.png" gives
    "https://*.tiles.example"); none for a same-site path, which 'self' covers."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.replace("{s}", "*"))
    if not parts.scheme or not parts.netloc:
        return []
    return [f"{parts.scheme}://{parts.netloc}"]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *tile_source(MAP_TILE_URL)],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # Violations are reported to the platform's log (anjian.security.csp): an injection attempt or a page
        # that breaks its own policy shows up there.
        "report-uri": ["/csp-report/"],
    },
}
# Powerful browser features are refused on every page; a view opts in with anjian.core.http.allow_features
# (the field inspection pages read the position and take photos).
PERMISSIONS_POLICY_FEATURES = [
    "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "geolocation",
    "gyroscope", "hid", "idle-detection", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
]  # fmt: skip

# --- REST API ----------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so that an anonymous call is answered 401 with WWW-Authenticate. DRF's token
        # with an expiry and the account's lockout checked (API_TOKEN_TTL_HOURS).
        "anjian.accounts.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "anjian.core.api.permissions.PasswordChanged",
    ],
    # DRF's parsers, refusing a NUL character in any text of the body (see the module).
    "DEFAULT_PARSER_CLASSES": [
        "anjian.core.api.parsers.JSONParser",
        "anjian.core.api.parsers.FormParser",
        "anjian.core.api.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "anjian.core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "anjian.core.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anjian API",
    "DESCRIPTION": "安监·安全生产综合监管平台接口。每个接口只返回调用者辖区内的数据；辖区外的对象一律返回 404。"
    "认证：会话（浏览器）或令牌（请求头 Authorization: Token …，在“我的账号”中签发）。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SiteStatusEnum": "anjian.registry.choices.SiteStatus",
        "RiskLevelEnum": "anjian.registry.choices.RiskLevel",
        "AccidentGradeEnum": "anjian.accidents.choices.AccidentGrade",
        "HazardGradeEnum": "anjian.inspections.choices.HazardGrade",
        "InvestigationStatusEnum": "anjian.accidents.models.InvestigationStatus",
        "MajorHazardLevelEnum": "anjian.risk.models.installations.MajorHazardLevel",
        "ChemicalUnitKindEnum": "anjian.registry.choices.ChemicalUnitKind",
        "OrgUnitKindEnum": "anjian.organizations.choices.OrgUnitKind",
        "DepartmentTypeEnum": "anjian.organizations.choices.DepartmentType",
        "HazardStatusEnum": "anjian.inspections.choices.HazardStatus",
        "InspectionStatusEnum": "anjian.inspections.choices.InspectionStatus",
        "PhotoStatusEnum": "anjian.inspections.choices.PhotoStatus",
        "TaskStatusEnum": "anjian.inspections.choices.TaskStatus",
        "CampaignKindEnum": "anjian.inspections.choices.CampaignKind",
        "InspectionKindEnum": "anjian.inspections.choices.InspectionKind",
        "EnforcementKindEnum": "anjian.inspections.choices.EnforcementKind",
        "AnswerResultEnum": "anjian.inspections.choices.AnswerResult",
        "RectificationResultEnum": "anjian.inspections.models.RectificationResult",
    },
}

# --- Background work ---------------------------------------------------------------
_BROKER = os.environ.get("CELERY_BROKER_URL", "")
# Without a broker, tasks run eagerly in the calling process: the embedded laptop mode.
CELERY_TASK_ALWAYS_EAGER = not _BROKER
CELERY_BROKER_URL = _BROKER or "memory://"
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", _BROKER or None)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
# A task is acknowledged when it ends, not when it starts: a task whose worker dies is delivered again. The job
# tasks also set reject_on_worker_lost (a killed pool process requeues at once) and resume safely (core/jobs.py);
# periodic tasks do not, so one that kills its worker (out of memory) cannot loop: the next beat runs it again.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Background jobs (imports, briefings, workbooks) beat while they run; one silent this long was interrupted
# (its worker was killed): it is marked failed with a retry button, or taken over by its redelivered task.
JOB_STALE_SECONDS = int(os.environ.get("JOB_STALE_SECONDS", "300"))
# How often a running job writes its heartbeat: well below JOB_STALE_SECONDS, so a busy moment is not a death.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "30"))
if JOB_HEARTBEAT_SECONDS * 3 > JOB_STALE_SECONDS:
    raise ImproperlyConfigured("JOB_HEARTBEAT_SECONDS must be at most a third of JOB_STALE_SECONDS.")
# A job queued this long without a worker taking it was lost by the queue (a broker restarted without keeping
# its messages): it is marked failed with a retry button instead of showing "queued" forever.
JOB_QUEUE_LOST_SECONDS = int(os.environ.get("JOB_QUEUE_LOST_SECONDS", "3600"))
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Jobs whose worker died are marked failed (and offered a retry) within a minute of going stale.
    "core-fail-stale-jobs": {
        "task": "anjian.core.tasks.fail_stale_jobs",
        "schedule": crontab(minute="*"),
    },
    "verify-audit-chain-nightly": {
        "task": "anjian.core.tasks.verify_audit_chain",
        "schedule": crontab(hour=2, minute=30),
    },
    # Evidence photos whose processing was lost (a broker restarted, a worker killed) are queued again.
    "inspections-retry-unfinished-photos": {
        "task": "anjian.inspections.tasks.retry_unfinished_photos",
        "schedule": crontab(minute="*/5"),
    },
    "inspections-scan-deadlines-hourly": {
        "task": "anjian.inspections.tasks.scan_deadlines",
        "schedule": crontab(minute=5),
    },
    # Major hazard installations first: they feed the city ranking and the map.
    "risk-identify-major-hazards-nightly": {
        "task": "anjian.risk.tasks.identify_all_major_hazards",
        "schedule": crontab(hour=0, minute=30),
    },
    # Before the routine planning, so tasks follow tonight's levels (STANDARDS §2: risk drives inspection).
    "risk-recompute-levels-nightly": {
        "task": "anjian.risk.tasks.recompute_all_levels",
        "schedule": crontab(hour=0, minute=45),
    },
    "inspections-plan-routine-nightly": {
        "task": "anjian.inspections.tasks.plan_routine_inspections",
        "schedule": crontab(hour=1, minute=15),
    },
    # The year's city safety risk ranking is kept late on 31 December, once the year's records are in.
    "risk-record-year-end-ranking": {
        "task": "anjian.risk.tasks.record_year_end_ranking",
        "schedule": crontab(month_of_year=12, day_of_month=31, hour=22, minute=0),
    },
}

# --- Logging -------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Audit log -------------------------------------------------------------------------
# Keys of the audit chain's HMAC-SHA256, "id:secret,id:secret" (secrets of 32+ characters, no commas):
# the first signs new rows, the others only verify what they signed before a rotation. Unset: a key
# derived from SECRET_KEY. Production sets its own and keeps it off the database host.
AUDIT_HMAC_KEYS = env_list("AUDIT_HMAC_KEYS")
# Where verify_audit and the nightly check append signed checkpoints of the chain (one JSON line each):
# outside the database, so that its owner can neither rewrite nor forge them.
AUDIT_CHECKPOINT_DIR = Path(os.environ.get("AUDIT_CHECKPOINT_DIR") or VAR_DIR / "audit-checkpoints")

# --- Anjian ----------------------------------------------------------------------------
# Number of proxies in front of the app whose X-Forwarded-For may be trusted for the client IP.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
SITE_TITLE = _("Anjian work-safety supervision platform")
