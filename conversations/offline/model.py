"""The offline model: a real pydantic-ai model, deterministic, with no network.

`offline_model(role)` is what `conversations.llm.build_model` returns when no
provider is configured, and what the tests use. It goes through the same
agents, tools, gates and accounting as a hosted model:

- classifier: answers with a call of the output tool, filled by the
  language rules (`offline.rules.classify_offline`) from the JSON prompt;
- agent: phrases the reply from the tool results and the turn brief it is
  given (`phrasing.replies.phrase_reply`), streamed word by word;
- summarizer: summarises a finished conversation from its tool calls.

Token counts are estimated from everything a hosted model would be billed
for (instructions, messages, tool definitions), about four characters a
token, so accounting and budgets work offline too.

Tests can see exactly what the model received with `capture_requests()`; the
record lives in a context variable, so it never crosses into another request.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import AsyncGenerator, AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    SystemPromptPart,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)
from pydantic_ai.models import ModelRequestParameters, StreamedResponse
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, DeltaToolCalls, FunctionModel
from pydantic_ai.settings import ModelSettings
from pydantic_ai.tools import RunContext
from pydantic_ai.usage import RequestUsage

from conversations.offline.preview import describe_sample
from conversations.phrasing.brief import TurnBrief
from conversations.phrasing.replies import phrase_reply, phrase_summary
from conversations.schema import ClassifierInput, Role

CHARS_PER_TOKEN = 4
_CHUNK = re.compile(r"\S+\s*|\s+")


@dataclass(frozen=True)
class CapturedRequest:
    """One request the offline model received: its role, instructions and every text in the messages."""

    role: str
    instructions: str
    texts: tuple[str, ...]

    @property
    def everything(self) -> str:
        return "\n".join((self.instructions, *self.texts))


_captured: ContextVar[list[CapturedRequest] | None] = ContextVar("offline_captured_requests", default=None)


@contextmanager
def capture_requests() -> Iterator[list[CapturedRequest]]:
    """Record every offline model request made inside the block (and the tasks it starts)."""
    captured: list[CapturedRequest] = []
    token = _captured.set(captured)
    try:
        yield captured
    finally:
        _captured.reset(token)


def offline_model(role: Role) -> OfflineModel:
    """A fresh offline model for one role."""
    if role not in ("classifier", "agent", "summarizer"):
        raise ValueError(f"Unknown model role {role!r}.")
    return OfflineModel(role)


def estimate_tokens(text: str) -> int:
    return math.ceil(len(text) / CHARS_PER_TOKEN) if text else 0


class OfflineModel(FunctionModel):
    """A FunctionModel whose answers come from Python rules and whose usage counts what was sent."""

    def __init__(self, role: Role) -> None:
        self.role: Role = role
        self._stream_input_tokens = 0
        super().__init__(self._respond, stream_function=self._stream, model_name=role)

    @asynccontextmanager
    async def request_stream(
        self,
        messages: list[ModelMessage],
        model_settings: ModelSettings | None,
        model_request_parameters: ModelRequestParameters,
        run_context: RunContext[Any] | None = None,
    ) -> AsyncGenerator[StreamedResponse]:
        async with super().request_stream(messages, model_settings, model_request_parameters, run_context) as response:
            # FunctionModel counts a flat 50 input tokens for a stream; count what was sent
            # (measured by `_stream` before its first chunk, which the parent has already pulled).
            response._usage = RequestUsage(input_tokens=self._stream_input_tokens)
            yield response

    async def _respond(self, messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
        input_tokens = self._record(messages, info)
        answer = self._answer(messages, info)
        if isinstance(answer, str):
            return ModelResponse(
                parts=[TextPart(answer)],
                usage=RequestUsage(input_tokens=input_tokens, output_tokens=estimate_tokens(answer)),
            )
        tool_name, arguments = answer
        return ModelResponse(
            parts=[ToolCallPart(tool_name, arguments)],
            usage=RequestUsage(input_tokens=input_tokens, output_tokens=estimate_tokens(arguments)),
        )

    async def _stream(self, messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str | DeltaToolCalls]:
        self._stream_input_tokens = self._record(messages, info)
        answer = self._answer(messages, info)
        if isinstance(answer, str):
            for chunk in _CHUNK.findall(answer) or [answer]:
                yield chunk
            return
        tool_name, arguments = answer
        middle = len(arguments) // 2
        yield {0: DeltaToolCall(name=tool_name, json_args=arguments[:middle])}
        yield {0: DeltaToolCall(json_args=arguments[middle:])}

    def _answer(self, messages: list[ModelMessage], info: AgentInfo) -> str | tuple[str, str]:
        """Text, or (output tool name, JSON arguments) for structured output."""
        if self.role == "classifier":
            payload = ClassifierInput.from_prompt(_last_user_prompt(messages))
            classification = _classify(payload)
            if info.output_tools:
                return info.output_tools[0].name, classification.model_dump_json()
            return classification.model_dump_json()
        if self.role == "summarizer":
            return _summary(_last_user_prompt(messages))
        brief = TurnBrief.from_instructions(info.instructions)
        if brief is None:
            # A bare sample (the prompt editor's "try it"): what this message would lead to.
            return describe_sample(_last_user_prompt(messages))
        return phrase_reply(_tool_results_of_this_turn(messages), brief)

    def _record(self, messages: list[ModelMessage], info: AgentInfo) -> int:
        """Capture the request (when a test asked to) and return its estimated input tokens."""
        texts = tuple(_texts(messages))
        instructions = info.instructions or ""
        captured = _captured.get()
        if captured is not None:
            captured.append(CapturedRequest(role=self.role, instructions=instructions, texts=texts))
        tool_definitions = [
            json.dumps({"name": tool.name, "description": tool.description, "schema": tool.parameters_json_schema})
            for tool in [*info.function_tools, *info.output_tools]
        ]
        return sum(estimate_tokens(text) for text in (instructions, *texts, *tool_definitions))


def _classify(payload: ClassifierInput) -> Any:
    # Imported here: the rules module is large and only the classifier needs it.
    from conversations.offline.rules import classify_offline

    return classify_offline(
        payload.message,
        region=payload.region,
        state=payload.state,
        pending=payload.pending,
        in_hand=payload.store_in_hand,
    )


def _summary(prompt: str) -> str:
    try:
        payload = json.loads(prompt)
    except json.JSONDecodeError:
        payload = None
    if not isinstance(payload, dict):
        words = prompt.split()
        return f"A conversation about: {' '.join(words[:30])}{'…' if len(words) > 30 else ''}"
    return phrase_summary(payload)


def _last_user_prompt(messages: Sequence[ModelMessage]) -> str:
    for message in reversed(messages):
        if isinstance(message, ModelRequest):
            for part in reversed(message.parts):
                if isinstance(part, UserPromptPart) and isinstance(part.content, str):
                    return part.content
    return ""


def _tool_results_of_this_turn(messages: Sequence[ModelMessage]) -> list[tuple[str, dict[str, Any]]]:
    """Tool returns after the last user prompt: what the application did for this message."""
    results: list[tuple[str, dict[str, Any]]] = []
    for message in reversed(messages):
        if not isinstance(message, ModelRequest):
            continue
        if any(isinstance(part, UserPromptPart) for part in message.parts):
            break
        returns = [part for part in message.parts if isinstance(part, ToolReturnPart)]
        results[:0] = [(part.tool_name, dict(part.content)) for part in returns if isinstance(part.content, dict)]
    return results


def _texts(messages: Sequence[ModelMessage]) -> Iterator[str]:
    for message in messages:
        if isinstance(message, ModelRequest):
            for part in message.parts:
                if isinstance(part, SystemPromptPart):
                    yield part.content
                elif isinstance(part, UserPromptPart):
                    yield part.content if isinstance(part.content, str) else str(part.content)
                elif isinstance(part, ToolReturnPart):
                    yield part.model_response_str()
        elif isinstance(message, ModelResponse):
            for response_part in message.parts:
                if isinstance(response_part, TextPart):
                    yield response_part.content
                elif isinstance(response_part, ToolCallPart):
                    yield response_part.args_as_json_str()
