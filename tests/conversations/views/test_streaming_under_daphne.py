"""Through a real daphne: the reply arrives event by event as it is generated, and what is stored is what streamed.

The server runs the paced offline model (tests/conversations/views/paced_asgi.py: a pause
after each word), so a buffered response would deliver every event at the
end; here the arrival time of each chunk is measured.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from conversations.models import Conversation, ConversationState, Message
from tests.conversations.views.conftest import STREAM_URL, sse_events
from tests.conversations.views.paced_server import PACE_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)

SAVE_ACME = "Save ACME Hardware, 415-555-0198"


@dataclass(frozen=True)
class Arrival:
    seconds: float
    event: dict[str, Any]


class Browser:
    """What chat.js does, over HTTP: post the message with htmx headers, then read the event stream."""

    def __init__(self, base_url: str, user: User) -> None:
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.http = httpx.Client(base_url=base_url, cookies={settings.SESSION_COOKIE_NAME: session}, timeout=20)
        self.http.get("/").raise_for_status()  # the page sets the CSRF cookie

    def send(self, text: str, *, conversation: Conversation | None = None) -> str:
        """Post a message; return the stream URL of its reply."""
        url = f"/c/{conversation.pk}/messages/" if conversation else "/c/new/"
        headers = {"HX-Request": "true", "X-CSRFToken": self.http.cookies["csrftoken"]}
        response = self.http.post(url, data={"text": text}, headers=headers)
        assert response.status_code == 200, response.text
        found = STREAM_URL.search(response.text)
        assert found
        return found.group(1)

    def read(self, stream_url: str, *, stop_after_text: int | None = None) -> tuple[httpx.Headers, list[Arrival]]:
        """Every event with the time it arrived; `stop_after_text` hangs up after that many text events."""
        arrivals: list[Arrival] = []
        buffer = b""
        started = time.monotonic()
        with self.http.stream("GET", stream_url) as response:
            for chunk in response.iter_raw():
                now = time.monotonic() - started
                buffer += chunk
                complete, _, buffer = buffer.rpartition(b"\n\n")
                arrivals += [Arrival(now, event) for event in sse_events(complete + b"\n\n")]
                texts = sum(1 for arrival in arrivals if arrival.event["type"] == "text")
                if stop_after_text is not None and texts >= stop_after_text:
                    break
            return response.headers, arrivals

    def close(self) -> None:
        self.http.close()


@pytest.fixture
def browser(paced_url, user):
    browser = Browser(paced_url, user)
    yield browser
    browser.close()


def _text(arrivals: list[Arrival]) -> str:
    return "".join(arrival.event["text"] for arrival in arrivals if arrival.event["type"] == "text")


def _wait_for_stored_reply(message_id: int, timeout: float = 10) -> Message:
    """The reply row once the engine has finished writing it (latency is set last)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        reply = Message.objects.filter(in_reply_to_id=message_id).first()
        if reply is not None and reply.latency_ms is not None:
            return reply
        time.sleep(0.05)
    raise AssertionError(f"no stored reply for message {message_id} after {timeout}s")


def test_the_reply_arrives_word_by_word_long_before_it_is_complete(browser, user):
    headers, arrivals = browser.read(browser.send(SAVE_ACME))

    assert headers["content-type"] == "text/event-stream"
    # Never cached or stored anywhere: the stream is personal (issue 14, D12).
    assert {"no-cache", "no-store"} <= set(headers["cache-control"].replace(" ", "").split(","))
    assert headers["x-accel-buffering"] == "no"
    texts = [arrival for arrival in arrivals if arrival.event["type"] == "text"]
    done = arrivals[-1]
    assert done.event["type"] == "done"
    assert len(texts) >= 5
    # Incremental, not buffered: the words came at distinct moments, the first well before the end.
    assert len({round(arrival.seconds, 2) for arrival in texts}) >= 4
    assert done.seconds - texts[0].seconds >= 0.5 * PACE_SECONDS * (len(texts) - 1)


def test_the_stored_rows_match_what_was_streamed(browser, user):
    _, arrivals = browser.read(browser.send(SAVE_ACME))

    done = arrivals[-1].event
    reply = Message.objects.get(pk=done["message_id"])
    assert reply.role == Message.Role.ASSISTANT
    assert reply.content == _text(arrivals)
    assert not reply.interrupted
    assert reply.state_after == done["state"] == ConversationState.IDLE
    tools = [arrival.event for arrival in arrivals if arrival.event["type"] == "tool"]
    assert [(call["name"], call["summary"]) for call in reply.tool_calls] == [
        (tool["name"], tool["summary"]) for tool in tools
    ]
    assert Message.objects.get(reply=reply).content == SAVE_ACME
    assert user.stores.get().phone_e164 == "+14155550198"


def test_hanging_up_mid_reply_stores_the_partial_reply_marked_interrupted(browser, paced_url, user, other_user):
    stream_url = browser.send(SAVE_ACME)
    message_id = int(stream_url.rstrip("/").split("/")[-2])

    _, arrivals = browser.read(stream_url, stop_after_text=2)  # then the connection closes

    reply = _wait_for_stored_reply(message_id)
    received = _text(arrivals)
    assert reply.interrupted
    assert reply.content.startswith(received)
    # What a complete reply to the same first save says, for comparison: the stored one stopped short.
    complete = Browser(paced_url, other_user)
    try:
        _, full = complete.read(complete.send(SAVE_ACME))
    finally:
        complete.close()
    assert len(reply.content) < len(_text(full))
    assert _text(full).startswith(reply.content)
    # The operation stays done and the conversation stays usable.
    assert user.stores.count() == 1
    conversation = reply.conversation
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.IDLE
    _, replay = browser.read(stream_url)
    assert _text(replay) == reply.content
    assert Message.objects.filter(conversation=conversation, role=Message.Role.ASSISTANT).count() == 1
    _, next_turn = browser.read(browser.send("What's the number for ACME?", conversation=conversation))
    assert next_turn[-1].event["state"] == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
