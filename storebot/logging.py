"""Logging configuration: one line per record on stderr, JSON for machines or text for people.

Every record is stamped with the current request id, user id and path
(`ops.request_context`), so one request can be followed through its log
lines, the worker included. Logs go to stderr so that a command's own output
on stdout (`eval_agent --json`, `chat`) is never mixed with them. Each record
is written once, by the root handler: Django's own handlers (its console
handler when DEBUG is on, mail_admins) are removed. Loaded by settings before
the apps: never import models here.
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


class ConsoleFormatter(logging.Formatter):
    """`19:04:08 INFO    storebot.request [4f2a…] GET /directory/ 200 (12.3 ms)`; the request id when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} {record.name}"
        if request_id := getattr(record, "request_id", ""):
            line += f" [{request_id}]"
        line += f" {record.getMessage()}"
        if (duration := getattr(record, "duration_ms", None)) is not None:
            line += f" ({duration} ms)"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return line


def logging_config(*, level: str, log_format: str) -> dict[str, Any]:
    """The LOGGING dict for settings; `log_format` is "json" or "console"."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}.")
    formatters: dict[str, dict[str, Any]] = {
        "json": {"()": json_formatter},
        "console": {"()": ConsoleFormatter},
    }
    handler = {
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "formatter": log_format,
        "filters": ["request_context"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": RequestContextFilter}},
        "formatters": formatters,
        "handlers": {"stderr": handler},
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # Django's defaults give these loggers handlers of their own (plain text
            # when DEBUG is on, mail_admins), so each record was written twice. No
            # handlers here: their records reach the root handler once. Their level stays
            # Django's INFO, so LOG_LEVEL=DEBUG does not print every SQL statement.
            "django": {"handlers": [], "propagate": True},
            "django.server": {"handlers": [], "propagate": True},
            # django-q2 adds its own plain-text handler to a logger that has none.
            "django-q": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }
