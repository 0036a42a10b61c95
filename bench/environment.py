"""The environment of every benchmark process: production-like settings on loopback, offline model."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SETTINGS_MODULE = "bench.settings"

# Nothing hosted, nothing external: a benchmark never calls a provider, Sentry, Langfuse or Telegram.
_CLEARED = (
    "ANTHROPIC_API_KEY",
    "OPENAI_API_KEY",
    "ANTHROPIC_BASE_URL",
    "OPENAI_BASE_URL",
    "SENTRY_DSN",
    "LANGFUSE_PUBLIC_KEY",
    "LANGFUSE_SECRET_KEY",
    "TELEGRAM_BOT_TOKEN",
    "REDIS_URL",
    "Q_SYNC",
)
_SECRET_KEY = secrets.token_urlsafe(50)


def child_environment(database_url: str, *, secret_key: str = "") -> dict[str, str]:
    """os.environ for a process serving or measuring `database_url`.

    Processes that talk to each other (a web server or worker and the process
    queueing to it) must share `secret_key`: django-q2 signs its tasks with it.
    """
    env = {key: value for key, value in os.environ.items() if key not in _CLEARED}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        PYTHONPATH=str(REPO),
        DEBUG="false",
        SECRET_KEY=secret_key or _SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        LLM_PROVIDER="offline",
        LOG_LEVEL="WARNING",
        LOG_FORMAT="console",
        # Plain HTTP on loopback: no HTTPS redirect, cookies usable without TLS.
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        SECURE_HSTS_SECONDS="0",
    )
    return env
