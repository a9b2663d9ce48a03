"""Settings for Coalición.

One file for every environment: the differences between development and
production come from the environment only (see `.env.example` and the README).
Every value read from the environment goes through a small helper that fails
loudly on a malformed value instead of silently falling back.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# Every missing or invalid variable is collected here and named in one
# message at the end of this file, so that an operator fixes them in one go.
_PROBLEMS: list[str] = []


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        _PROBLEMS.append(f"The environment variable {name} is required.")
        return ""
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    _PROBLEMS.append(f"{name} must be true or false, not {raw!r}.")
    return default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        _PROBLEMS.append(f"{name} must be a whole number, not {raw!r}.")
        return default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    _PROBLEMS.append(f"DJANGO_ENV must be 'development' or 'production', not {DJANGO_ENV!r}.")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    _PROBLEMS.append("DEBUG cannot be on when DJANGO_ENV=production.")

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if not SECRET_KEY:
        _PROBLEMS.append("SECRET_KEY is required when DJANGO_ENV=production.")
    elif len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        _PROBLEMS.append("SECRET_KEY must be a random string of 50 characters or more.")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        _PROBLEMS.append("ALLOWED_HOSTS is required when DJANGO_ENV=production.")
else:
    # A fixed key is fine on a developer's machine; production requires its own.
    SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-only-key-not-for-production")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "coalicion.composition.apps.CoalicionAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "coalicion.core",  # the bottom layer: imports no app (ADR 0011)
    "coalicion.accounts",
    "coalicion.audit",
    "coalicion.notifications",
    "coalicion.membership",
    "coalicion.plans",
    "coalicion.legal",
    "coalicion.monitoring",
    "coalicion.meetings",
    "coalicion.statistics",
    "coalicion.cooperation",
    "coalicion.reports",  # above monitoring and meetings: the documents handed over
    # Last: composes the apps (admin site, navigation context, demo data, the
    # plan file's loader); its rules module fills the gaps the others leave.
    "coalicion.composition",
]

MIDDLEWARE = [
    # First: every response, even a redirect or an error, carries the request
    # id and gives one log line (ADR 0060).
    "coalicion.core.middleware.RequestIdMiddleware",
    # Load balancers' probes: answered before the host, HTTPS or session
    # middleware (ADR 0060).
    "coalicion.core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "coalicion.audit.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages compressed for the browser (Django's GZip pads its output against
    # BREACH); static files arrive already compressed from whitenoise.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "coalicion.accounts.middleware.SessionTimeoutMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "coalicion.accounts.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "coalicion.core.middleware.SecurityHeadersMiddleware",
]

ROOT_URLCONF = "coalicion.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "coalicion" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "coalicion.composition.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "coalicion.wsgi.application"

# SQLite file by default; PostgreSQL in production through DATABASE_URL.
# Connections are kept for DB_CONN_MAX_AGE seconds and checked before each
# request reuses one, so that the site recovers by itself after the database
# comes back (ADR 0061).
try:
    DATABASES = {
        "default": dj_database_url.parse(
            env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
except ValueError as exc:
    _PROBLEMS.append(f"DATABASE_URL is not a database address: {exc}")
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that does not answer fails the request in seconds (a 503
    # page), instead of holding a worker thread for minutes.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite ignores SELECT ... FOR UPDATE: IMMEDIATE transactions take the
    # write lock at their start, so that two requests numbering agreements or
    # votes at once wait for each other instead of failing; the timeout is
    # how long one waits.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
# Optional read replica (ADR 0064): the reports' and statistics' reads go to
# DATABASE_REPLICA_URL, everything else (and every write) to DATABASE_URL.
# Tests use the primary for it (MIRROR). Unset: one database, no router.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    except ValueError as exc:
        _PROBLEMS.append(f"DATABASE_REPLICA_URL is not a database address: {exc}")
    else:
        if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
            DATABASES["replica"].setdefault("OPTIONS", {}).setdefault(
                "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
            )
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
        DATABASE_ROUTERS = ["coalicion.core.dbrouters.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # The administration's index for the Secretariat (its module permissions).
    "coalicion.composition.backends.AdministrationBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id first; the others only verify (and upgrade) older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: Spanish first, English complete. The language is in
# the URL (/es/..., /en/...).
LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates as "4 May 1959", not the US 05/04/1959 (coalicion/formats, ADR 0041).
FORMAT_MODULE_PATH = ["coalicion.formats"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "America/Guatemala")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "coalicion" / "static"]
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

# Uploaded files live outside the web root and are only served by views that
# check permissions.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Several application servers without a shared file system: uploads in an
# S3-compatible store (ADR 0064). Private objects, no public URL: the same
# permission-checked views read them through the storage API.
MEDIA_STORAGE = env_str("MEDIA_STORAGE", "") or "local"
_S3_VARIABLES = (
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
)
if MEDIA_STORAGE == "s3":
    _missing_s3 = [name for name in _S3_VARIABLES if not os.environ.get(name)]
    if _missing_s3:
        _PROBLEMS.append(f"MEDIA_STORAGE=s3 also requires {', '.join(_missing_s3)}.")
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL", ""),
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            # Private objects; any URL the store gives out is signed and expires.
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            # Two uploads with one name keep both files, as on a local disk.
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE != "local":
    _PROBLEMS.append(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}.")

# Accounts: sign-in by e-mail, no public sign-up (the Secretariat invites).
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "my_work"  # "My work": what is the person's to do now
ACCOUNT_ADAPTER = "coalicion.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"  # addresses are vouched for by the invitation
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a reset password still goes through MFA
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # other sessions end; this one goes on
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Coalición] "
# Failed sign-ins: per IP address and per account (e-mail).
LOGIN_FAILED_RATE_LIMIT = env_str("LOGIN_FAILED_RATE_LIMIT", "20/10m/ip,5/15m/key")
RESET_EMAIL_RATE_LIMIT = "20/m/ip,5/5m/key"
ACCOUNT_RATE_LIMITS = {
    "login_failed": LOGIN_FAILED_RATE_LIMIT,
    "reset_password": RESET_EMAIL_RATE_LIMIT,
}
# Behind N load balancers/proxies, the client's address is the Nth from the
# right in X-Forwarded-For (per-IP limits and the audit log use it).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Coalición"
# MFA is required for every signed-in user; only a development machine may
# turn the requirement off (it is then offered, not required).
MFA_REQUIRED = env_bool("MFA_REQUIRED", default=PRODUCTION)
if PRODUCTION and not MFA_REQUIRED:
    _PROBLEMS.append("MFA_REQUIRED cannot be off when DJANGO_ENV=production.")
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 2 * 60 * 60)

# Sessions: idle and absolute timeouts (seconds).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
# Both are enforced by accounts.middleware.SessionTimeoutMiddleware; the
# stored session itself lasts no longer than the absolute timeout.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# E-mail: console in development, SMTP (or any backend) from the environment.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "coalicion@localhost")
# Quorum of Coalition meetings (SPEC §6): "majority" (more than half of the
# member countries present, the default), "two_thirds" or "all".
MEETINGS_QUORUM_RULE = env_str("MEETINGS_QUORUM_RULE", "majority")
if MEETINGS_QUORUM_RULE not in {"majority", "two_thirds", "all"}:
    _PROBLEMS.append(
        f"MEETINGS_QUORUM_RULE must be majority, two_thirds or all, not {MEETINGS_QUORUM_RULE!r}."
    )
# Disclosure control of the regional statistics (SPEC §9, ADR 0020): a count
# 1 ≤ n < STATISTICS_THRESHOLD is hidden from everyone but the owning
# country and the Secretariat, and no hidden count may be narrowed by an
# attacker to an interval that excludes values below or at/above the threshold,
# or that is narrower than STATISTICS_PROTECTION_LEVEL (0: the threshold rule
# alone). Changing either recomputes every protected table.
STATISTICS_THRESHOLD = env_int("STATISTICS_THRESHOLD", 10)
if not 2 <= STATISTICS_THRESHOLD <= 1000:
    _PROBLEMS.append(
        f"STATISTICS_THRESHOLD must be a whole number from 2 to 1000, not {STATISTICS_THRESHOLD}."
    )
STATISTICS_PROTECTION_LEVEL = env_int("STATISTICS_PROTECTION_LEVEL", 0)
if not 0 <= STATISTICS_PROTECTION_LEVEL <= 1000:
    _PROBLEMS.append(
        "STATISTICS_PROTECTION_LEVEL must be a whole number from 0 to 1000, "
        f"not {STATISTICS_PROTECTION_LEVEL}."
    )
# Background jobs (django-tasks, ADR 0010): e-mail, exports, reports and large
# imports run outside the web request. "database" keeps the queue in the
# database and needs `manage.py db_worker` running (`make run` starts one);
# "immediate" runs each job at once in the process that queues it (tests, or
# a machine where no worker may run).
TASKS_BACKEND = env_str("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    _PROBLEMS.append(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
    TASKS_BACKEND = "database"
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}

# The site's address, for links in e-mails and calendar files (no request
# there). Production names it; a loopback default would end up in people's
# mailboxes and calendars.
SITE_URL = env_str("SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")


# Addresses nobody else can reach (compared with SITE_URL, never bound).
_LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104  # nosec B104


def _production_mail_and_site_problems() -> list[str]:
    """What is missing or wrong in the e-mail and address settings, all at
    once, so that an operator fixes them in one go."""
    problems = []
    site = urlsplit(SITE_URL)
    if site.scheme not in {"http", "https"} or not site.hostname:
        problems.append(
            "SITE_URL must be the site's address, like https://coalicion.example.org, "
            f"not {SITE_URL!r}."
        )
    elif site.hostname in _LOOPBACK:
        problems.append(f"SITE_URL must be the address people use, not {SITE_URL!r}.")
    if EMAIL_BACKEND.endswith("smtp.EmailBackend") and not os.environ.get("EMAIL_HOST"):
        problems.append("EMAIL_HOST is required: invitations and password resets go out by e-mail.")
    if EMAIL_BACKEND.endswith(
        ("console.EmailBackend", "locmem.EmailBackend", "dummy.EmailBackend")
    ):
        problems.append(f"EMAIL_BACKEND {EMAIL_BACKEND!r} sends nothing; use SMTP in production.")
    sender_domain = DEFAULT_FROM_EMAIL.rpartition("@")[2].rstrip(">")
    if "@" not in DEFAULT_FROM_EMAIL or "." not in sender_domain or sender_domain == "localhost":
        problems.append(
            f"DEFAULT_FROM_EMAIL must be a real sender address, not {DEFAULT_FROM_EMAIL!r}."
        )
    return problems


if PRODUCTION:
    _PROBLEMS.extend(_production_mail_and_site_problems())

# The cache holds used TOTP codes, sign-in rate limits and computed figures,
# so it must be shared by every application process (ADR 0062): Redis
# (`CACHE_URL=redis://host:6379/0`, several application servers), else the
# database cache (`createcachetable`, run by `manage.py deploy` and `make
# run`); local memory only for a single development process.
CACHE_URL = env_str("CACHE_URL", "")
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX", "coalicion")
CACHE_BACKEND = env_str(
    "CACHE_BACKEND", "redis" if CACHE_URL else ("database" if PRODUCTION else "locmem")
)
if CACHE_BACKEND == "redis":
    if urlsplit(CACHE_URL).scheme not in {"redis", "rediss", "unix"}:
        _PROBLEMS.append(
            "CACHE_URL must be a Redis address like redis://127.0.0.1:6379/0 "
            f"when CACHE_BACKEND is redis, not {CACHE_URL!r}."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A Redis that does not answer fails fast (the health check says so).
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
elif CACHE_URL:
    _PROBLEMS.append(
        f"CACHE_URL is only used with CACHE_BACKEND=redis, not {CACHE_BACKEND!r}; "
        "leave CACHE_BACKEND unset."
    )
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
elif CACHE_BACKEND == "database":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "coalicion_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
elif CACHE_BACKEND == "locmem":
    if PRODUCTION:
        _PROBLEMS.append("CACHE_BACKEND=locmem is not shared between processes.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    _PROBLEMS.append(f"CACHE_BACKEND must be redis, database or locmem, not {CACHE_BACKEND!r}.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
# Sessions live in the database (Django's default engine, named here so that
# nobody swaps in a per-process one): any application server accepts them.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Request size limits.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# Security baseline.
# Everything is served from this origin: no CDN, no inline script or style.
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
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
    # Load balancers probe over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Logs go to standard output. In production each line is one JSON object
# (time, level, request id, ...), one per request from RequestIdMiddleware,
# with no personal data (ADR 0060); LOG_FORMAT=text reads better on a
# developer's terminal.
LOG_FORMAT = env_str("LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    _PROBLEMS.append(f"LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOG_LEVEL = env_str("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    _PROBLEMS.append(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}."
    )
    LOG_LEVEL = "INFO"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "coalicion.core.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "coalicion.core.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # RequestIdMiddleware writes the one line per request; Django's own
        # 4xx lines would repeat it (errors still come with their traceback).
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# A health check token: a load balancer or monitor that sends it in the
# X-Health-Token header sees which check failed (anonymous callers see only
# "ok" or "unavailable").
HEALTH_CHECK_TOKEN = env_str("HEALTH_CHECK_TOKEN", "")
if HEALTH_CHECK_TOKEN and len(HEALTH_CHECK_TOKEN) < 20:
    _PROBLEMS.append("HEALTH_CHECK_TOKEN must be 20 characters or more.")

# Where `make run` and the tests find the Coalition's plan.
COALICION_PLAN_FILE = BASE_DIR / "data" / "coalicion-2018-2027.yaml"

if _PROBLEMS:
    raise ImproperlyConfigured(
        f"The {'production ' if PRODUCTION else ''}configuration is incomplete or invalid "
        "(see .env.example and README.md, Configuration):\n- " + "\n- ".join(_PROBLEMS)
    )
