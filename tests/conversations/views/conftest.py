"""Helpers for the chat page tests: signed-in clients, htmx sends, and reading a reply stream.

Streams are read through Django's AsyncClient inside `async_to_sync`, so the
engine's `sync_to_async` ORM calls come back to the test's thread and see the
test transaction (as in tests/conversations/conftest.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.http import HttpResponse
from django.test import AsyncClient, Client
from django.urls import reverse

from accounts.models import User
from conversations import ratelimit
from conversations.models import Conversation
from conversations.services import conversation_start
from tests.conversations.views.paced_server import paced_daphne

HTMX = {"HX-Request": "true"}
STREAM_URL = re.compile(r'data-stream-url="([^"]+)"')


@dataclass
class Streamed:
    """A reply stream as the browser receives it."""

    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def events(self) -> list[dict[str, Any]]:
        return sse_events(self.body)

    @property
    def text(self) -> str:
        return "".join(event["text"] for event in self.events if event["type"] == "text")

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [event for event in self.events if event["type"] == kind]


def sse_events(body: bytes) -> list[dict[str, Any]]:
    """The `data:` events of an SSE body, decoded (comments skipped)."""
    events = []
    for block in body.decode().split("\n\n"):
        data = [line[len("data: ") :] for line in block.split("\n") if line.startswith("data: ")]
        if data:
            events.append(json.loads("\n".join(data)))
    return events


def read_stream(user: User, url: str) -> Streamed:
    async def fetch() -> Streamed:
        client = AsyncClient()
        await client.aforce_login(user)
        response: Any = await client.get(url)
        if response.streaming:
            body = b"".join([chunk async for chunk in response.streaming_content])
        else:
            body = response.content
        return Streamed(status=response.status_code, headers=dict(response.headers), body=body)

    return async_to_sync(fetch)()


def stream_url_in(response: HttpResponse) -> str:
    found = STREAM_URL.search(response.content.decode())
    assert found, response.content.decode()
    return found.group(1)


def send(client: Client, conversation: Conversation, text: str, *, htmx: bool = True) -> Any:
    url = reverse("conversations:send", args=[conversation.pk])
    return client.post(url, {"text": text}, headers=HTMX if htmx else {})


@dataclass
class ChatSession:
    """One user at the chat page: send a message (htmx), then read its reply stream like chat.js does."""

    user: User
    client: Client
    conversation: Conversation

    def say(self, text: str) -> Streamed:
        response = send(self.client, self.conversation, text)
        assert response.status_code == 200, response.content.decode()
        return read_stream(self.user, stream_url_in(response))

    def page(self) -> str:
        response = self.client.get(reverse("conversations:detail", args=[self.conversation.pk]))
        assert response.status_code == 200
        return response.content.decode()


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def client_alice(user: User) -> Client:
    return signed_in(user)


@pytest.fixture
def session(user: User, client_alice: Client) -> ChatSession:
    return ChatSession(user=user, client=client_alice, conversation=conversation_start(user=user))


@pytest.fixture
def frozen_minute(monkeypatch: pytest.MonkeyPatch) -> dict[str, float]:
    """Every hit lands 10 seconds into the same one-minute window."""
    clock = {"now": 1_800_000_000.0 + 10}
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: clock["now"]))
    return clock


@pytest.fixture(scope="session")
def paced_url(django_db_setup: None) -> Iterator[str]:
    """A daphne on the test database whose agent model pauses after each word (paced_asgi.py in this folder)."""
    with paced_daphne() as url:
        yield url
