"""Logging configuration: one JSON object per line on stdout, or console text.

Every record is stamped with the current request id, user id and path
(`ops.request_context`), so one request can be followed through its log
lines, the worker included. Loaded by settings before the apps: never import
models here.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.json import JsonFormatter

from ops.request_context import get_request_scope

LOG_FORMATS = ("json", "console")

# The keys every JSON line carries, in this order; `extra={...}` adds more
# (the request line adds method, status and duration_ms).
JSON_FIELDS = ["levelname", "name", "message", "request_id", "user_id", "path"]
JSON_RENAMES = {"levelname": "level", "name": "logger"}
CONSOLE_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"


class RequestContextFilter(logging.Filter):
    """Copy the current request's id, user and path onto each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        scope = get_request_scope()
        if not hasattr(record, "request_id"):
            record.request_id = scope.request_id if scope else ""
        if not hasattr(record, "user_id"):
            record.user_id = scope.user_id if scope else None
        if not hasattr(record, "path"):
            record.path = scope.path if scope else ""
        return True


def json_formatter() -> JsonFormatter:
    return JsonFormatter(JSON_FIELDS, rename_fields=JSON_RENAMES, timestamp=True)


def logging_config(*, level: str, log_format: str) -> dict[str, Any]:
    """The LOGGING dict for settings; `log_format` is "json" or "console"."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}.")
    formatters: dict[str, dict[str, Any]] = {
        "json": {"()": json_formatter},
        "console": {"format": CONSOLE_FORMAT},
    }
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stdout",
        "formatter": log_format,
        "filters": ["request_context"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": RequestContextFilter}},
        "formatters": formatters,
        "handlers": {"stdout": handler},
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            # django-q2 adds its own plain-text handler to a logger that has none.
            "django-q": {"handlers": ["stdout"], "level": level, "propagate": False},
        },
    }
