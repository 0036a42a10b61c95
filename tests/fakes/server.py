"""A small scriptable HTTP server that the fake provider APIs build on.

Each test scripts what the next requests get (a text reply, a tool call, an
HTTP error, a hang, a stream cut off halfway) and reads back what the server
received. The server listens on 127.0.0.1 on a free port, serves each
connection in a daemon thread and stops when the fixture tears it down.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 20
    output_tokens: int = 10


@dataclass(frozen=True)
class TextReply:
    """Plain text, streamed word by word when the client asks for a stream."""

    text: str
    usage: Usage = field(default_factory=Usage)

    def chunks(self) -> list[str]:
        return re.findall(r"\s*\S+\s*", self.text) or [self.text]


@dataclass(frozen=True)
class ToolCallReply:
    """A call of one tool; `name=None` calls the first tool the request offered (the output tool)."""

    args: dict[str, Any]
    name: str | None = None
    usage: Usage = field(default_factory=Usage)

    def arguments_json(self) -> str:
        return json.dumps(self.args)

    def arguments_chunks(self) -> list[str]:
        # Several partial-JSON pieces, the way real servers stream tool arguments.
        text = self.arguments_json()
        step = max(1, len(text) // 3)
        return [text[i : i + step] for i in range(0, len(text), step)]


@dataclass(frozen=True)
class ErrorReply:
    status: int
    message: str = "fake server error"
    retry_after: int | None = None


@dataclass(frozen=True)
class Hang:
    """Accept the request and answer nothing until `seconds` pass or the server stops."""

    seconds: float = 30.0


@dataclass(frozen=True)
class DropMidStream:
    """Start a streamed text reply, send `after` chunks, then cut the connection."""

    text: str
    after: int = 2


Reply = TextReply | ToolCallReply | ErrorReply | Hang | DropMidStream


@dataclass(frozen=True)
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    json: dict[str, Any]

    @property
    def system_text(self) -> str:
        """The system prompt / instructions as one string, whichever API carried them."""
        parts: list[Any] = [self.json.get("system"), self.json.get("instructions")]
        messages = self.json.get("messages") or self.json.get("input") or []
        if isinstance(messages, list):
            parts += [m.get("content") for m in messages if m.get("role") in {"system", "developer"}]
        return "\n".join(_text_of(part) for part in parts if part)

    @property
    def tool_names(self) -> list[str]:
        """Names of the tools offered (the output tool included), in any of the three APIs' shapes."""
        return [str(tool.get("name") or tool.get("function", {}).get("name")) for tool in self.json.get("tools") or []]

    @property
    def sent_text(self) -> str:
        """Everything the client sent, as text: for asserting what never reached a model."""
        return json.dumps(self.json)


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(block.get("text", "")) for block in content if isinstance(block, dict))
    return str(content)


class ScriptError(Exception):
    """The test's script cannot produce the reply for this request."""


class FakeServer:
    """Base of the fake APIs: scripting, recording, lifecycle and HTTP plumbing.

    Subclasses say which paths they serve (`serves`) and how a reply looks in
    their API (`render`, `render_stream`, `render_error`).
    """

    name = "fake"
    # Stream events sent before the first text delta (what a mid-stream drop keeps).
    preamble_events = 0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._script: deque[Reply] = deque()
        self._default: Reply = ErrorReply(500, f"{self.name}: no reply scripted for this request")
        self._requests: list[ReceivedRequest] = []
        self._stopping = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        # A short poll interval lets teardown stop the server in milliseconds.
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name=f"{self.name}-server", daemon=True
        )
        self._thread.start()

    # --- Scripting -------------------------------------------------------
    def reply_text(self, text: str, *, input_tokens: int = 20, output_tokens: int = 10) -> None:
        self._enqueue(TextReply(text, Usage(input_tokens, output_tokens)))

    def reply_tool_call(
        self, args: dict[str, Any], *, name: str | None = None, input_tokens: int = 20, output_tokens: int = 10
    ) -> None:
        self._enqueue(ToolCallReply(args, name, Usage(input_tokens, output_tokens)))

    def fail(self, status: int, *, retry_after: int | None = None, message: str = "fake server error") -> None:
        self._enqueue(ErrorReply(status, message, retry_after))

    def hang(self, seconds: float = 30.0) -> None:
        self._enqueue(Hang(seconds))

    def drop_mid_stream(self, text: str, *, after: int = 2) -> None:
        self._enqueue(DropMidStream(text, after))

    def always(self, reply: Reply) -> None:
        """What every request gets once the scripted replies run out."""
        with self._lock:
            self._default = reply

    def _enqueue(self, reply: Reply) -> None:
        with self._lock:
            self._script.append(reply)

    def _next_reply(self) -> Reply:
        with self._lock:
            return self._script.popleft() if self._script else self._default

    # --- Inspection ------------------------------------------------------
    @property
    def requests(self) -> list[ReceivedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- Lifecycle -------------------------------------------------------
    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    # --- For subclasses --------------------------------------------------
    def serves(self, path: str) -> bool:
        raise NotImplementedError

    def render(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> dict[str, Any]:
        raise NotImplementedError

    def render_stream(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> list[bytes]:
        raise NotImplementedError

    def render_error(self, reply: ErrorReply) -> dict[str, Any]:
        raise NotImplementedError

    def wants_stream(self, request: ReceivedRequest) -> bool:
        return bool(request.json.get("stream"))

    @staticmethod
    def offered_tool(request: ReceivedRequest, reply: ToolCallReply) -> str:
        if reply.name:
            return reply.name
        if not request.tool_names:
            raise ScriptError("a tool call was scripted but the request offered no tools")
        return request.tool_names[0]

    # --- HTTP plumbing ---------------------------------------------------
    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests read `requests`, not the server's access log."""

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                path = self.path.split("?", 1)[0]
                request = ReceivedRequest(
                    path=path,
                    headers={key.lower(): value for key, value in self.headers.items()},
                    json=json.loads(raw or b"{}"),
                )
                if not server.serves(path):
                    self._send_json(404, {"error": {"message": f"{server.name} does not serve {path}"}})
                    return
                with server._lock:
                    server._requests.append(request)
                server._answer(self, server._next_reply(), request)

            def _send_json(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

        return Handler

    def _answer(self, handler: Any, reply: Reply, request: ReceivedRequest) -> None:
        if isinstance(reply, ErrorReply):
            headers = {"retry-after": str(reply.retry_after)} if reply.retry_after is not None else {}
            handler._send_json(reply.status, self.render_error(reply), headers)
        elif isinstance(reply, Hang):
            self._stopping.wait(reply.seconds)
            handler.close_connection = True
        elif isinstance(reply, DropMidStream):
            events = self.render_stream(TextReply(reply.text), request)
            self._stream(handler, events[: self.preamble_events + reply.after], complete=False)
        else:
            try:
                if self.wants_stream(request):
                    self._stream(handler, self.render_stream(reply, request), complete=True)
                else:
                    handler._send_json(200, self.render(reply, request))
            except ScriptError as error:
                handler._send_json(500, self.render_error(ErrorReply(500, str(error))))

    @staticmethod
    def _stream(handler: Any, events: list[bytes], *, complete: bool) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream")
        handler.send_header("Cache-Control", "no-cache")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for event in events:
            handler.wfile.write(f"{len(event):X}\r\n".encode() + event + b"\r\n")
            handler.wfile.flush()
        if complete:
            handler.wfile.write(b"0\r\n\r\n")
            handler.wfile.flush()
        else:
            # No terminating chunk: the client sees an incomplete body, as after a network drop.
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)


def sse(event: str | None, data: dict[str, Any] | str) -> bytes:
    """One server-sent event."""
    body = data if isinstance(data, str) else json.dumps(data)
    prefix = f"event: {event}\n" if event else ""
    return f"{prefix}data: {body}\n\n".encode()
