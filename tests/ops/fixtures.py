"""Pytest fixtures for what the kernel sends out: log lines as JSON, trace spans
in memory, alerts to a fake Telegram Bot API. Registered for every test
directory by tests/conftest.py: tests of other apps check these outputs too."""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from uuid import uuid4

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pytest_django import Settings

from ops.tracing import tracing_init, tracing_shutdown
from storebot.logging import RequestContextFilter, json_formatter


@pytest.fixture
def json_logs() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Every log record at INFO and above, formatted as production formats it; call to read the lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)

    def lines() -> list[dict[str, Any]]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    root.removeHandler(handler)
    root.setLevel(previous_level)


@pytest.fixture
def exported_spans(settings: Settings) -> Iterator[InMemorySpanExporter]:
    """Langfuse tracing switched on, its spans kept in memory (nothing leaves the machine)."""
    # A fresh public key per test: Langfuse keeps one client per key.
    settings.LANGFUSE_PUBLIC_KEY = f"pk-lf-test-{uuid4().hex}"
    settings.LANGFUSE_SECRET_KEY = "sk-lf-test"
    settings.LANGFUSE_HOST = "http://127.0.0.1:9"
    exporter = InMemorySpanExporter()
    assert tracing_init(tracer_provider=TracerProvider(), span_exporter=exporter)
    yield exporter
    tracing_shutdown()


@dataclass
class FakeTelegram:
    """A Bot API on 127.0.0.1: records sendMessage calls, answers from a script."""

    base_url: str = ""
    token: str = "123456:TEST-TOKEN"
    received: list[dict[str, Any]] = field(default_factory=list)
    # Answers to give, in order; when empty, {"ok": true}.
    script: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    @property
    def delivered(self) -> list[dict[str, Any]]:
        """The messages Telegram accepted (the ones answered with ok)."""
        return [message for message in self.received if message.get("_accepted")]


def _handler_for(fake: FakeTelegram) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            message = json.loads(self.rfile.read(length) or b"{}")
            message["_path"] = self.path
            status, answer = fake.script.pop(0) if fake.script else (200, {"ok": True, "result": {}})
            message["_accepted"] = bool(answer.get("ok"))
            fake.received.append(message)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return Handler


@pytest.fixture
def fake_telegram(settings) -> Iterator[FakeTelegram]:
    fake = FakeTelegram()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(fake))
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.TELEGRAM_API_BASE = fake.base_url
    settings.TELEGRAM_BOT_TOKEN = fake.token
    settings.TELEGRAM_CHAT_ID = "-100200300"
    yield fake
    server.shutdown()
    server.server_close()
