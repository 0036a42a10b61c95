"""A fake OpenAI API: Chat Completions (`POST /v1/chat/completions`) and
Responses (`POST /v1/responses`), each streaming and not.

Chat Completions is what `openai-chat:` models, Ollama and vLLM speak; the
Responses API is what `openai:` models use.
"""

from __future__ import annotations

import time
from typing import Any

from tests.fakes.server import ErrorReply, FakeServer, ReceivedRequest, TextReply, ToolCallReply, sse

CHAT_PATH = "/v1/chat/completions"
RESPONSES_PATH = "/v1/responses"

ERROR_TYPES = {
    400: "invalid_request_error",
    401: "invalid_request_error",
    404: "invalid_request_error",
    429: "rate_limit_exceeded",
}


class FakeOpenAI(FakeServer):
    name = "fake-openai"
    preamble_events = 1  # the role-only first chunk

    def serves(self, path: str) -> bool:
        return path in {CHAT_PATH, RESPONSES_PATH}

    def render(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> dict[str, Any]:
        if request.path == RESPONSES_PATH:
            return self._response_object(reply, request, self._response_output(reply, request))
        return self._render_chat(reply, request)

    def render_stream(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> list[bytes]:
        if request.path == RESPONSES_PATH:
            return self._render_responses_stream(reply, request)
        return self._render_chat_stream(reply, request)

    def _render_chat(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> dict[str, Any]:
        if isinstance(reply, TextReply):
            message: dict[str, Any] = {"role": "assistant", "content": reply.text}
            finish_reason = "stop"
        else:
            message = {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": self._call_id(),
                        "type": "function",
                        "function": {"name": self.offered_tool(request, reply), "arguments": reply.arguments_json()},
                    }
                ],
            }
            finish_reason = "tool_calls"
        return {
            **self._head(request, "chat.completion"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason, "logprobs": None}],
            "usage": self._usage(reply),
        }

    def _render_chat_stream(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> list[bytes]:
        head = self._head(request, "chat.completion.chunk")

        def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> bytes:
            choice = {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
            return sse(None, {**head, "choices": [choice]})

        events = [chunk({"role": "assistant", "content": ""})]
        if isinstance(reply, TextReply):
            events += [chunk({"content": piece}) for piece in reply.chunks()]
            events.append(chunk({}, "stop"))
        else:
            name = self.offered_tool(request, reply)
            call_id = self._call_id()
            for position, piece in enumerate(reply.arguments_chunks()):
                call: dict[str, Any] = {"index": 0, "function": {"arguments": piece}}
                if position == 0:
                    call |= {"id": call_id, "type": "function", "function": {"name": name, "arguments": piece}}
                events.append(chunk({"tool_calls": [call]}))
            events.append(chunk({}, "tool_calls"))
        if (request.json.get("stream_options") or {}).get("include_usage"):
            events.append(sse(None, {**head, "choices": [], "usage": self._usage(reply)}))
        events.append(sse(None, "[DONE]"))
        return events

    def render_error(self, reply: ErrorReply) -> dict[str, Any]:
        error_type = ERROR_TYPES.get(reply.status, "server_error")
        return {"error": {"message": reply.message, "type": error_type, "param": None, "code": None}}

    def _head(self, request: ReceivedRequest, kind: str) -> dict[str, Any]:
        return {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": kind,
            "created": int(time.time()),
            "model": request.json.get("model", "gpt-fake"),
        }

    @staticmethod
    def _usage(reply: TextReply | ToolCallReply) -> dict[str, int]:
        usage = reply.usage
        return {
            "prompt_tokens": usage.input_tokens,
            "completion_tokens": usage.output_tokens,
            "total_tokens": usage.input_tokens + usage.output_tokens,
        }

    def _call_id(self) -> str:
        return f"call_fake_{len(self.requests)}"

    # --- Responses API ---------------------------------------------------
    def _response_output(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> list[dict[str, Any]]:
        if isinstance(reply, TextReply):
            text = {"type": "output_text", "text": reply.text, "annotations": []}
            return [self._message_item(status="completed", content=[text])]
        return [self._function_call_item(reply, request, status="completed", arguments=reply.arguments_json())]

    def _response_object(
        self, reply: TextReply | ToolCallReply, request: ReceivedRequest, output: list[dict[str, Any]]
    ) -> dict[str, Any]:
        completed = bool(output)
        usage = reply.usage
        return {
            "id": f"resp_fake_{len(self.requests)}",
            "object": "response",
            "created_at": int(time.time()),
            "model": request.json.get("model", "gpt-fake"),
            "status": "completed" if completed else "in_progress",
            "output": output,
            "error": None,
            "incomplete_details": None,
            "parallel_tool_calls": True,
            "tool_choice": "auto",
            "tools": [],
            "usage": {
                "input_tokens": usage.input_tokens,
                "output_tokens": usage.output_tokens,
                "total_tokens": usage.input_tokens + usage.output_tokens,
                "input_tokens_details": {"cached_tokens": 0},
                "output_tokens_details": {"reasoning_tokens": 0},
            }
            if completed
            else None,
        }

    def _render_responses_stream(self, reply: TextReply | ToolCallReply, request: ReceivedRequest) -> list[bytes]:
        sequence = iter(range(1_000))

        def event(kind: str, **fields: Any) -> bytes:
            return sse(kind, {"type": kind, "sequence_number": next(sequence), **fields})

        events = [event("response.created", response=self._response_object(reply, request, []))]
        if isinstance(reply, TextReply):
            item = self._message_item(status="in_progress", content=[])
            events.append(event("response.output_item.added", output_index=0, item=item))
            events += [
                event(
                    "response.output_text.delta",
                    item_id=item["id"],
                    output_index=0,
                    content_index=0,
                    delta=piece,
                    logprobs=[],
                )
                for piece in reply.chunks()
            ]
        else:
            item = self._function_call_item(reply, request, status="in_progress", arguments="")
            events.append(event("response.output_item.added", output_index=0, item=item))
            events += [
                event("response.function_call_arguments.delta", item_id=item["id"], output_index=0, delta=piece)
                for piece in reply.arguments_chunks()
            ]
        output = self._response_output(reply, request)
        events.append(event("response.output_item.done", output_index=0, item=output[0]))
        events.append(event("response.completed", response=self._response_object(reply, request, output)))
        return events

    def _message_item(self, *, status: str, content: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "type": "message",
            "id": f"msg_fake_{len(self.requests)}",
            "status": status,
            "role": "assistant",
            "content": content,
        }

    def _function_call_item(
        self, reply: ToolCallReply, request: ReceivedRequest, *, status: str, arguments: str
    ) -> dict[str, Any]:
        return {
            "type": "function_call",
            "id": f"fc_fake_{len(self.requests)}",
            "call_id": self._call_id(),
            "name": self.offered_tool(request, reply),
            "arguments": arguments,
            "status": status,
        }
