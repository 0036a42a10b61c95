"""Signal receivers of the kernel, connected in OpsConfig.ready().

- The request id travels with every django-q2 task: stamped on the task at
  enqueue time (web process), bound as the task's scope in the worker. A task
  with no request behind it (a schedule) gets `task-<task id>`.
- An unhandled exception in a request is audited (type and path only, never
  the message), which is what the error-burst alert counts.
"""

from __future__ import annotations

import logging
import sys
from contextlib import suppress
from contextvars import Token
from typing import Any

from django.db import DatabaseError
from django.http import HttpRequest

from ops.audit import audit_log_write
from ops.models import AuditLog
from ops.request_context import RequestScope, get_request_id, reset_request_scope, set_request_id

logger = logging.getLogger(__name__)

TASK_REQUEST_ID_KEY = "request_id"
REQUEST_ERROR_EVENT = "request_error"

# One worker process runs one task at a time; keyed by task id all the same.
_task_scopes: dict[str, Token[RequestScope | None]] = {}


def carry_request_id_into_task(sender: Any, task: dict[str, Any], **kwargs: Any) -> None:
    """pre_enqueue: stamp the current request id on the task package."""
    request_id = get_request_id()
    if request_id:
        task[TASK_REQUEST_ID_KEY] = request_id


def enter_task_scope(sender: Any, func: Any, task: dict[str, Any], **kwargs: Any) -> None:
    """pre_execute (worker): run the task under the request id it was enqueued with."""
    request_id = task.get(TASK_REQUEST_ID_KEY) or f"task-{task['id']}"
    _task_scopes[task["id"]] = set_request_id(request_id)


def leave_task_scope(sender: Any, func: Any, task: dict[str, Any], **kwargs: Any) -> None:
    """post_execute_in_worker: restore what was bound before (nothing, in a real worker)."""
    token = _task_scopes.pop(task["id"], None)
    if token is not None:
        # In sync mode a failing task can unwind through another context.
        with suppress(ValueError):
            reset_request_scope(token)


def audit_request_error(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """got_request_exception: one audit event per unhandled error."""
    error = sys.exc_info()[1]
    try:
        audit_log_write(
            event_type=REQUEST_ERROR_EVENT,
            source="web",
            severity=AuditLog.Severity.ERROR,
            details={
                "path": request.path if request is not None else "",
                "method": request.method if request is not None else "",
                "exception": type(error).__name__ if error is not None else "",
            },
        )
    except DatabaseError:
        # The error may be the database itself; the log line still records it.
        logger.exception("could not audit a request error")
