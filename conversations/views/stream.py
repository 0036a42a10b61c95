"""The reply to one message as Server-Sent Events, read by static/js/chat.js.

An async view, served by daphne: each engine event is written the moment the
engine yields it (a sync iterator would be consumed whole under ASGI). Every
event is a `data:` line holding the event's JSON, `type` included (`text`,
`state`, `tool`, `error`, `done`), so the browser's own `error` event stays
free for connection failures. The stream starts with an SSE comment because
daphne sends no headers before the first body chunk.

The URL is idempotent: the engine replays a reply that exists instead of
generating it again, so an EventSource that reconnects gets the same reply.
If the browser goes away mid-reply, Django cancels this generator and the
engine stores the partial reply marked interrupted.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from accounts.models import User
from conversations.models import Message
from conversations.services import turn_stream

logger = logging.getLogger(__name__)

STREAM_FAILED = "The reply could not be loaded because of a problem on our side. Reload the page to try again."


@login_required
@require_GET
async def message_stream(request: HttpRequest, conversation_id: int, message_id: int) -> StreamingHttpResponse:
    user = await request.auser()
    if not isinstance(user, User):  # login_required has let only signed-in users through
        raise PermissionDenied
    owned = Message.objects.select_related("conversation").filter(
        pk=message_id, role=Message.Role.USER, conversation_id=conversation_id, conversation__user=user
    )
    # Checked before the response starts: once streaming, the status can no longer become a 404.
    message = await owned.afirst()
    if message is None:
        raise Http404("No such message.")
    response = StreamingHttpResponse(_events(user, message), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response


async def _events(user: User, message: Message) -> AsyncIterator[bytes]:
    yield b": open\n\n"
    message_id = message.pk
    try:
        async with aclosing(turn_stream(user=user, message_id=message_id, message=message)) as events:
            async for event in events:
                yield sse_event(event.to_dict())
    except Exception:
        # The engine reports its own failures as events; this is anything it did not expect.
        logger.exception("reply stream for message %s failed", message_id)
        yield sse_event({"type": "error", "code": "stream_failed", "message": STREAM_FAILED})
        yield sse_event({"type": "done", "message_id": None, "state": ""})


def sse_event(payload: dict[str, Any]) -> bytes:
    """One server-sent event; JSON never contains a raw newline, so one `data:` line holds it all."""
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()
