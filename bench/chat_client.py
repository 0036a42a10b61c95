"""A chat user over HTTP, as the browser is: post the message (htmx), then read the reply's SSE stream.

Sessions come from `force_login` (rows in the session table, which the server
reads); the CSRF token is a fresh secret sent as cookie and header, the way
Django checks it. Every request goes to 127.0.0.1.
"""

from __future__ import annotations

import html
import json
import re
import secrets
import string
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from django.conf import settings
from django.test import Client

from accounts.models import User

STREAM_URL = re.compile(r'data-stream-url="([^"]+)"')
CSRF_ALPHABET = string.ascii_letters + string.digits
REQUEST_TIMEOUT_SECONDS = 120.0


@dataclass
class StreamedTurn:
    """What a user saw of one turn: timings from sending the message, the reply's text, any error."""

    sent_seconds: float | None = None  # the POST answered (the stream's URL known)
    first_token_seconds: float | None = None
    done_seconds: float | None = None
    text: str = ""
    events: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""

    @property
    def state(self) -> str:
        done = [event for event in self.events if event.get("type") == "done"]
        return str(done[-1].get("state", "")) if done else ""


def session_cookies(user: User) -> dict[str, str]:
    """Cookies of a signed-in browser for `user`: a session stored in the database and a CSRF secret."""
    client = Client()
    client.force_login(user)
    return {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: "".join(secrets.choice(CSRF_ALPHABET) for _ in range(32)),
    }


def http_client(base_url: str, cookies: dict[str, str]) -> httpx.AsyncClient:
    """One browser: its own cookies and connections."""
    return httpx.AsyncClient(
        base_url=base_url,
        cookies=cookies,
        headers={"X-CSRFToken": cookies[settings.CSRF_COOKIE_NAME]},
        timeout=REQUEST_TIMEOUT_SECONDS,
    )


async def send_and_stream(client: httpx.AsyncClient, conversation_id: int, text: str) -> StreamedTurn:
    """Send `text` as the chat page does and read its reply to the `done` event."""
    turn = StreamedTurn()
    started = time.perf_counter()
    try:
        sent = await client.post(f"/c/{conversation_id}/messages/", data={"text": text}, headers={"HX-Request": "true"})
        turn.sent_seconds = time.perf_counter() - started
        if sent.status_code != 200:
            turn.error = f"send answered {sent.status_code}"
            return turn
        found = STREAM_URL.search(sent.text)
        if found is None:
            turn.error = "no stream URL in the answer to the send"
            return turn
        async with client.stream("GET", html.unescape(found.group(1))) as response:
            if response.status_code != 200:
                turn.error = f"stream answered {response.status_code}"
                return turn
            async for line in response.aiter_lines():
                if not line.startswith("data: "):
                    continue
                event = json.loads(line.removeprefix("data: "))
                turn.events.append(event)
                if event.get("type") == "text":
                    turn.first_token_seconds = turn.first_token_seconds or time.perf_counter() - started
                    turn.text += event.get("text", "")
                elif event.get("type") == "error":
                    turn.error = f"error event: {event.get('code')}"
                elif event.get("type") == "done":
                    turn.done_seconds = time.perf_counter() - started
                    break
    except httpx.HTTPError as error:
        turn.error = f"{type(error).__name__}: {error}"
    if turn.done_seconds is None and not turn.error:
        turn.error = "the stream ended without a done event"
    return turn
