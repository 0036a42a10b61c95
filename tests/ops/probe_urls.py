"""A tiny URLconf for the operations tests: views that do what real views do
(log, audit, enqueue a task, stream a body, fail) so the request id can be
followed through each. Mounted with `@pytest.mark.urls("tests.ops.probe_urls")`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

from asgiref.sync import sync_to_async
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import include, path
from django_q.tasks import async_task

from accounts.models import User
from conversations.services import turn_stream, turn_submit
from ops.audit import audit_log_write
from ops.request_context import get_request_id

logger = logging.getLogger("tests.ops.probe")


def probe_task() -> str:
    """What a worker task does: audit with whatever request id it runs under."""
    audit_log_write(event_type="probe_task", source="tests")
    return get_request_id()


def probe(request: HttpRequest) -> HttpResponse:
    logger.warning("probe view ran")
    audit_log_write(event_type="probe_view", source="tests")
    # Queued in the ORM broker (not run inline): the test runs it later, outside the request.
    async_task("tests.ops.probe_urls.probe_task", sync=False)
    return HttpResponse("ok")


def stream_sync(request: HttpRequest) -> StreamingHttpResponse:
    def body() -> Iterator[bytes]:
        yield b"first "
        audit_log_write(event_type="probe_stream", source="tests")
        yield b"second"

    return StreamingHttpResponse(body())


async def stream_async(request: HttpRequest) -> StreamingHttpResponse:
    async def body() -> AsyncIterator[bytes]:
        yield b"first "
        await sync_to_async(audit_log_write)(event_type="probe_stream", source="tests")
        yield b"second"

    return StreamingHttpResponse(body())


async def probe_chat(request: HttpRequest, conversation_id: int) -> StreamingHttpResponse:
    """What the chat view does: store the message, then stream the reply."""
    user = await request.auser()
    assert isinstance(user, User), "the probe chat needs a signed-in user"
    message = await sync_to_async(turn_submit)(user=user, conversation_id=conversation_id, text=request.GET["text"])

    async def body() -> AsyncIterator[bytes]:
        async for event in turn_stream(user=user, message_id=message.pk):
            yield f"{type(event).__name__}\n".encode()

    return StreamingHttpResponse(body())


def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("the probe failed")


urlpatterns = [
    path("probe", probe),
    path("stream-sync", stream_sync),
    path("stream-async", stream_async),
    path("chat/<int:conversation_id>", probe_chat),
    path("boom", boom),
    path("", include("storebot.urls")),
]
