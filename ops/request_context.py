"""What the current request (or background task) is, carried in a contextvar.

The request-id middleware binds a scope per request; django-q2 signal
handlers bind one per task. Log filters, audit events, message rows, Sentry
events and traces read it from here.

Imported by the logging configuration, so it must never import models.
"""

from __future__ import annotations

import contextvars
import re
import uuid
from dataclasses import dataclass

# The longest request id we keep (the column width of every row that records one).
REQUEST_ID_MAX_LENGTH = 64
# What we accept from an incoming X-Request-ID header; anything else is replaced.
REQUEST_ID_PATTERN = re.compile(rf"^[A-Za-z0-9._-]{{8,{REQUEST_ID_MAX_LENGTH}}}$")


@dataclass
class RequestScope:
    request_id: str
    path: str = ""
    # Filled in once authentication has run; None for anonymous requests and tasks.
    user_id: int | None = None


_scope: contextvars.ContextVar[RequestScope | None] = contextvars.ContextVar("request_scope", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_or_new(candidate: str | None) -> str:
    """The incoming id when it is well-formed, else a fresh one."""
    if candidate and REQUEST_ID_PATTERN.fullmatch(candidate):
        return candidate
    return new_request_id()


def get_request_scope() -> RequestScope | None:
    return _scope.get()


def get_request_id() -> str:
    scope = _scope.get()
    return scope.request_id if scope else ""


def bind_request_scope(scope: RequestScope) -> contextvars.Token[RequestScope | None]:
    return _scope.set(scope)


def set_request_id(value: str) -> contextvars.Token[RequestScope | None]:
    """Bind a scope that knows only its id (a task, a management command)."""
    return _scope.set(RequestScope(request_id=value))


def reset_request_scope(token: contextvars.Token[RequestScope | None]) -> None:
    _scope.reset(token)


def bind_user_id(user_id: int | None) -> None:
    """Record who is making the current request, once authentication knows."""
    scope = _scope.get()
    if scope is not None:
        scope.user_id = user_id
