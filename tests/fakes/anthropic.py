"""A fake Anthropic Messages API (`POST /v1/messages`), streaming and not."""

from __future__ import annotations

from typing import Any

from tests.fakes.server import ErrorReply, FakeServer, ReceivedRequest, TextReply, ToolCallReply, sse

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_error",
    529: "overloaded_error",
}


class FakeAnthropic(FakeServer):
    name = "fake-anthropic"
    preamble_events = 2  # message_start, content_block_start

    def serves(self, path: str) -> bool:
        return path == "/v1/messages"

    def render(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> dict[str, Any]:
        if isinstance(reply, TextReply):
            content: list[dict[str, Any]] = [{"type": "text", "text": reply.text}]
            stop_reason = "end_turn"
        else:
            content = [
                {
                    "type": "tool_use",
                    "id": self._tool_use_id(),
                    "name": self.offered_tool(request, reply),
                    "input": reply.args,
                }
            ]
            stop_reason = "tool_use"
        return {
            **self._message_head(request),
            "content": content,
            "stop_reason": stop_reason,
            "usage": {"input_tokens": reply.usage.input_tokens, "output_tokens": reply.usage.output_tokens},
        }

    def render_stream(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> list[bytes]:
        head = {**self._message_head(request), "content": [], "stop_reason": None}
        head["usage"] = {"input_tokens": reply.usage.input_tokens, "output_tokens": 1}
        events = [sse("message_start", {"type": "message_start", "message": head})]
        if isinstance(reply, TextReply):
            block: dict[str, Any] = {"type": "text", "text": ""}
            deltas = [{"type": "text_delta", "text": chunk} for chunk in reply.chunks()]
            stop_reason = "end_turn"
        else:
            block = {
                "type": "tool_use",
                "id": self._tool_use_id(),
                "name": self.offered_tool(request, reply),
                "input": {},
            }
            deltas = [{"type": "input_json_delta", "partial_json": chunk} for chunk in reply.arguments_chunks()]
            stop_reason = "tool_use"
        events.append(sse("content_block_start", {"type": "content_block_start", "index": 0, "content_block": block}))
        events += [sse("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": d}) for d in deltas]
        events.append(sse("content_block_stop", {"type": "content_block_stop", "index": 0}))
        events.append(
            sse(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": stop_reason, "stop_sequence": None},
                    "usage": {"output_tokens": reply.usage.output_tokens},
                },
            )
        )
        events.append(sse("message_stop", {"type": "message_stop"}))
        return events

    def render_error(self, reply: ErrorReply) -> dict[str, Any]:
        error_type = ERROR_TYPES.get(reply.status, "api_error")
        return {"type": "error", "error": {"type": error_type, "message": reply.message}}

    def _message_head(self, request: ReceivedRequest) -> dict[str, Any]:
        return {
            "id": f"msg_fake_{len(self.requests)}",
            "type": "message",
            "role": "assistant",
            "model": request.json.get("model", "claude-fake"),
            "stop_sequence": None,
        }

    def _tool_use_id(self) -> str:
        return f"toolu_fake_{len(self.requests)}"
