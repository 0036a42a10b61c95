"""Request ids, the request log line, health probes, private pages and security headers.

Each middleware works under daphne (async) and in sync tests alike.
"""

from __future__ import annotations

import logging
import time
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import suppress
from contextvars import Token
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.http import FileResponse, HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.deprecation import MiddlewareMixin

from ops.request_context import (
    RequestScope,
    bind_request_scope,
    bind_user_id,
    request_id_or_new,
    reset_request_scope,
)
from storebot import health

REQUEST_ID_HEADER = "X-Request-ID"
request_logger = logging.getLogger("storebot.request")

GetResponse = Callable[[HttpRequest], Any]
QUIET_PATHS = ("/healthz", "/readyz")


def _reset_quietly(token: Token[RequestScope | None]) -> None:
    # A stream abandoned by its client may be finalised from another context,
    # where the token no longer applies; that context never saw the scope.
    with suppress(ValueError):
        reset_request_scope(token)


class SyncAndAsyncMiddleware(ABC):
    """A middleware that runs in a sync stack (tests, WSGI) and an async one (daphne) alike.

    Django calls it the way the rest of the stack runs: `_call` when
    `get_response` is sync, `_acall` (a coroutine) when it is async.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if iscoroutinefunction(self):
            return self._acall(request)
        return self._call(request)

    @abstractmethod
    def _call(self, request: HttpRequest) -> HttpResponseBase: ...

    @abstractmethod
    async def _acall(self, request: HttpRequest) -> HttpResponseBase: ...


class RequestIdMiddleware(SyncAndAsyncMiddleware):
    """Bind a request id for the whole request, answer it in a header, log the request.

    The id is the incoming `X-Request-ID` when well-formed, else a new one.
    Streaming bodies run after this middleware returns, so they are wrapped to
    carry the same scope (the chat engine stores the id on its message rows)
    and the request line is logged when the stream ends.
    """

    def _call(self, request: HttpRequest) -> HttpResponseBase:
        scope, token, started = self._begin(request)
        try:
            return self._finish(request, self.get_response(request), scope, started)
        finally:
            reset_request_scope(token)

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        scope, token, started = self._begin(request)
        try:
            response = await self.get_response(request)
            return self._finish(request, response, scope, started)
        finally:
            reset_request_scope(token)

    def _begin(self, request: HttpRequest) -> tuple[RequestScope, Token[RequestScope | None], float]:
        scope = RequestScope(request_id=request_id_or_new(request.headers.get(REQUEST_ID_HEADER)), path=request.path)
        request.request_id = scope.request_id  # type: ignore[attr-defined]
        return scope, bind_request_scope(scope), time.monotonic()

    def _finish(
        self, request: HttpRequest, response: HttpResponseBase, scope: RequestScope, started: float
    ) -> HttpResponseBase:
        response[REQUEST_ID_HEADER] = scope.request_id
        if isinstance(response, StreamingHttpResponse) and not isinstance(response, FileResponse):
            content = response.streaming_content
            if isinstance(content, AsyncIterator):
                response.streaming_content = self._stream_async(content, request, response, scope, started)
            else:
                response.streaming_content = self._stream_sync(content, request, response, scope, started)
        else:
            _log_request(request, response, started)
        return response

    def _stream_sync(
        self,
        content: Iterator[bytes],
        request: HttpRequest,
        response: HttpResponseBase,
        scope: RequestScope,
        started: float,
    ) -> Iterator[bytes]:
        token = bind_request_scope(scope)
        try:
            yield from content
        finally:
            _log_request(request, response, started)
            _reset_quietly(token)

    async def _stream_async(
        self,
        content: AsyncIterator[bytes],
        request: HttpRequest,
        response: HttpResponseBase,
        scope: RequestScope,
        started: float,
    ) -> AsyncIterator[bytes]:
        token = bind_request_scope(scope)
        try:
            async for chunk in content:
                yield chunk
        finally:
            _log_request(request, response, started)
            _reset_quietly(token)


def _log_request(request: HttpRequest, response: HttpResponseBase, started: float) -> None:
    quiet = request.path.startswith(QUIET_PATHS) or request.path.startswith(f"/{settings.STATIC_URL.lstrip('/')}")
    request_logger.log(
        logging.DEBUG if quiet else logging.INFO,
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )


class HealthProbeMiddleware(SyncAndAsyncMiddleware):
    """Answer /healthz and /readyz before the session and user middleware run.

    A probe that carries a session cookie (a browser, a load balancer replaying
    one) would otherwise read the session and the user from the database, and
    fail with it: liveness must not depend on the database, and readiness must
    say 503, not 500. The URLconf keeps both routes for `reverse()`.
    """

    PROBES: dict[str, Callable[[HttpRequest], HttpResponseBase]] = {
        "/healthz": health.healthz,
        "/readyz": health.readyz,
    }

    def _call(self, request: HttpRequest) -> HttpResponseBase:
        probe = self.PROBES.get(request.path)
        if probe is not None:
            return probe(request)
        response: HttpResponseBase = self.get_response(request)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        probe = self.PROBES.get(request.path)
        if probe is not None:
            # readyz queries the database: off the event loop, like any sync view.
            return await sync_to_async(probe)(request)
        response: HttpResponseBase = await self.get_response(request)
        return response


class RequestUserMiddleware(SyncAndAsyncMiddleware):
    """Record the signed-in user's id on the request scope (after authentication).

    Placed after AuthenticationMiddleware; in async mode it uses `auser()` so
    no database work happens on the event loop.
    """

    def _call(self, request: HttpRequest) -> HttpResponseBase:
        user = request.user
        bind_user_id(user.pk if user.is_authenticated else None)
        response: HttpResponseBase = self.get_response(request)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        user = await request.auser()
        bind_user_id(user.pk if user.is_authenticated else None)
        response: HttpResponseBase = await self.get_response(request)
        return response


class PrivateResponseMiddleware(SyncAndAsyncMiddleware):
    """`Cache-Control: no-store` (Django's never_cache headers) on every response to a signed-in person.

    Their pages, fragments, streams and CSV exports hold their own data: no
    browser cache, shared computer or proxy may keep a copy. Static files are
    answered earlier by whitenoise and stay cacheable. After RequestUserMiddleware,
    so the user is already loaded.
    """

    def _call(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response

    async def _acall(self, request: HttpRequest) -> HttpResponseBase:
        response: HttpResponseBase = await self.get_response(request)
        if (await request.auser()).is_authenticated:
            add_never_cache_headers(response)
        return response


class SecurityHeadersMiddleware(MiddlewareMixin):
    """Content-Security-Policy and Permissions-Policy on every response.

    Django 5.2 has neither. With DEBUG on, Django's own error pages use
    inline styles and scripts, so they are left without a policy.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if settings.DEBUG and response.status_code >= 400:
            return response
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
