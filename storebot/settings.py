"""Storebot settings: one module, every value from the environment.

With no environment at all the app runs: SQLite, the offline language model,
no external services. Production sets DEBUG=false and the values that
`check --deploy` asks for; a bad production value fails loudly.
"""

from decimal import Decimal
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from storebot.logging import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is false.")
    SECRET_KEY = DEV_SECRET_KEY
elif not DEBUG and (
    len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY == DEV_SECRET_KEY
    or SECRET_KEY.startswith("django-insecure")
):
    # What `check --deploy` calls weak (security.W009), plus our development key: it would
    # sign sessions and django-q2 tasks, and key the passphrase fingerprints.
    raise ImproperlyConfigured(
        "SECRET_KEY is too weak for DEBUG=false: use 50 or more random characters, e.g. "
        '`python -c "import secrets; print(secrets.token_urlsafe(60))"`.'
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
if not DEBUG and not env.list("ALLOWED_HOSTS", default=[]):
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS must be set when DEBUG is false: the host names the site answers to, "
        "comma-separated (e.g. storebot.example.com)."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django.contrib.postgres",
    "channels",
    "django_htmx",
    "template_partials",
    "django_q",
    "ops",
    "accounts",
    "directory",
    "conversations",
    "adminpanel",
]

MIDDLEWARE = [
    # First, so every later log line, redirect and error carries the request id.
    "storebot.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "storebot.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a probe with a session cookie never touches the database on the way.
    "storebot.middleware.HealthProbeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "storebot.middleware.RequestUserMiddleware",
    "storebot.middleware.PrivateResponseMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

# Forms render through the project's templates, so templates/django/forms/
# gives every {{ form }} the design system's markup (.field, .help, errors).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "storebot.urls"
ASGI_APPLICATION = "storebot.asgi.application"
WSGI_APPLICATION = None

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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# DATABASE_URL selects the database; unset means SQLite beside manage.py.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout + IMMEDIATE transactions let the web process and
    # the django-q2 worker share one file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A streaming reply holds a connection while it runs: without a bound, a few hundred
    # at once exceed PostgreSQL's max_connections ("too many clients", 500 errors). A pool
    # caps the web process's connections; a reply waits for a free one instead. Web only:
    # the worker forks, and a forked child must not share its parent's pooled connections.
    _pool_size = env.int("DATABASE_POOL_MAX_SIZE", default=0)
    if _pool_size and not DATABASES["default"]["CONN_MAX_AGE"]:
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 1, "max_size": _pool_size, "timeout": 60}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id at OWASP's minimum cost (accounts/hashers.py) for passwords and passphrases; the PBKDF2 hashes
# made before it still verify and are re-hashed with Argon2id on their next successful use.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2idPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Cache ----------------------------------------------------------------
# Local memory by default; REDIS_URL shares it across web replicas and the worker.
REDIS_URL = env.str("REDIS_URL", default="")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "storebot"}
    )
}

# --- Background work (django-q2) -----------------------------------------
Q_CLUSTER = {
    "name": "storebot",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 120,
    "retry": 180,
    "max_attempts": 2,
    "catch_up": False,
    "orm": "default",
    "sync": env.bool("Q_SYNC", default=False),
    "poll": 0.5,
}
if REDIS_URL:
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = REDIS_URL

# --- Language models --------------------------------------------------------
ANTHROPIC_API_KEY = env.str("ANTHROPIC_API_KEY", default="")
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
ANTHROPIC_BASE_URL = env.str("ANTHROPIC_BASE_URL", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
_default_provider = "anthropic" if ANTHROPIC_API_KEY else ("openai" if OPENAI_API_KEY else "offline")
LLM_PROVIDER = env.str("LLM_PROVIDER", default=_default_provider)
if LLM_PROVIDER not in {"offline", "anthropic", "openai"}:
    raise ImproperlyConfigured(f"LLM_PROVIDER must be offline, anthropic or openai, not {LLM_PROVIDER!r}.")
LLM_CLASSIFIER_MODEL = env.str("LLM_CLASSIFIER_MODEL", default="anthropic:claude-haiku-4-5")
LLM_AGENT_MODEL = env.str("LLM_AGENT_MODEL", default="anthropic:claude-sonnet-4-6")
LLM_FALLBACK_MODEL = env.str("LLM_FALLBACK_MODEL", default="openai-chat:gpt-4o-mini")
LLM_SUMMARY_MODEL = env.str("LLM_SUMMARY_MODEL", default="anthropic:claude-haiku-4-5")
LLM_TIMEOUT_SECONDS = env.float("LLM_TIMEOUT_SECONDS", default=15.0)
# USD per million tokens (input, output); unknown models cost the "default" row.
LLM_PRICES: dict[str, tuple[Decimal, Decimal]] = {
    "offline": (Decimal("0"), Decimal("0")),
    "claude-haiku-4-5": (Decimal("1.00"), Decimal("5.00")),
    "claude-sonnet-4-6": (Decimal("3.00"), Decimal("15.00")),
    "claude-sonnet-4-5": (Decimal("3.00"), Decimal("15.00")),
    "gpt-4o-mini": (Decimal("0.15"), Decimal("0.60")),
    "gpt-4o": (Decimal("2.50"), Decimal("10.00")),
    "default": (Decimal("3.00"), Decimal("15.00")),
}

# --- Observability ----------------------------------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# Text for a person at a terminal in development, JSON lines for the log collector in production.
LOG_FORMAT = env.str("LOG_FORMAT", default="console" if DEBUG else "json")
SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production")
SENTRY_TRACES_SAMPLE_RATE = env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
RELEASE = env.str("RELEASE", default="dev")
LANGFUSE_PUBLIC_KEY = env.str("LANGFUSE_PUBLIC_KEY", default="")
LANGFUSE_SECRET_KEY = env.str("LANGFUSE_SECRET_KEY", default="")
LANGFUSE_HOST = env.str("LANGFUSE_HOST", default="")
TELEGRAM_BOT_TOKEN = env.str("TELEGRAM_BOT_TOKEN", default="")
TELEGRAM_CHAT_ID = env.str("TELEGRAM_CHAT_ID", default="")
TELEGRAM_API_BASE = env.str("TELEGRAM_API_BASE", default="https://api.telegram.org")

ALERT_BURST_WINDOW_MINUTES = env.int("ALERT_BURST_WINDOW_MINUTES", default=10)
ALERT_ERROR_BURST_THRESHOLD = env.int("ALERT_ERROR_BURST_THRESHOLD", default=5)
ALERT_FALLBACK_BURST_THRESHOLD = env.int("ALERT_FALLBACK_BURST_THRESHOLD", default=5)

LOGGING = logging_config(level=LOG_LEVEL, log_format=LOG_FORMAT)

if SENTRY_DSN:
    from storebot.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=SENTRY_ENVIRONMENT,
        release=RELEASE,
        traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE,
    )

# --- Security (`manage.py check --deploy` is clean with DEBUG=false) ----------
# Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=true so Django
# trusts its X-Forwarded-Proto header (only when the proxy overwrites it).
_behind_proxy = env.bool("SECURE_PROXY_SSL_HEADER", default=False)
if _behind_proxy:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies in front of daphne append to X-Forwarded-For. The login and
# sign-up throttles count the address the outermost of ours wrote, never one a client
# sent (accounts.login_throttle.client_ip). 0: nothing in front, REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if _behind_proxy else 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT must be 0 or more.")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Health probes come from inside the network over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Only our own files: every script and stylesheet is vendored under static/.
# Style attributes stay allowed (progress bars set a width); <style> elements do not.
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=()"
