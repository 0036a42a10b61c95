"""Turning stored messages into model history, and a stored reply back into events.

The agent sees a few recent messages for context, then the current message,
then what Python did for it as the agent's own tool calls and their results,
so a hosted model reads them as calls it made. A passphrase attempt appears
only as its redaction marker: the history is built from stored rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic_ai.messages import (
    ModelMessage,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCallPart,
    ToolReturnPart,
    UserPromptPart,
)

from conversations.engine.tools import ToolRecord
from conversations.events import StateChanged, TextDelta, ToolRan, TurnDone, TurnError, TurnEvent
from conversations.models import Message

RECENT_MESSAGES = 6
# The classifier reads fewer, shorter messages: enough to join a name and a number given apart.
CLASSIFIER_RECENT_MESSAGES = 4
CLASSIFIER_RECENT_CHARS = 300


def recent_messages(message: Message) -> list[Message]:
    """The messages shortly before `message` in its conversation that are worth showing a model."""
    earlier = (
        Message.objects.filter(conversation_id=message.conversation_id, id__lt=message.pk, is_error=False)
        .exclude(content="")
        .order_by("-id")[:RECENT_MESSAGES]
    )
    return list(earlier)[::-1]


def classifier_recent(recent: Sequence[Message]) -> list[dict[str, str]]:
    """The last few of the `recent` messages as the classifier reads them: role and text (as stored, so a
    passphrase is only its redaction marker)."""
    return [
        {"role": str(earlier.role), "text": earlier.content[:CLASSIFIER_RECENT_CHARS]}
        for earlier in recent[-CLASSIFIER_RECENT_MESSAGES:]
        if earlier.role in (Message.Role.USER, Message.Role.ASSISTANT)
    ]


def agent_history(recent: Sequence[Message], current: Message, records: Sequence[ToolRecord]) -> list[ModelMessage]:
    history: list[ModelMessage] = []
    for message in recent:
        if message.role == Message.Role.USER:
            history.append(ModelRequest(parts=[UserPromptPart(content=message.content)]))
        elif message.role == Message.Role.ASSISTANT:
            history.append(ModelResponse(parts=[TextPart(content=message.content)]))
    history.append(ModelRequest(parts=[UserPromptPart(content=current.content)]))
    python_calls = [record for record in records if record.caller == "python" and record.name != "update_store"]
    if python_calls:
        history.append(
            ModelResponse(
                parts=[ToolCallPart(record.name, record.args, tool_call_id=record.call_id) for record in python_calls]
            )
        )
        history.append(
            ModelRequest(
                parts=[
                    ToolReturnPart(record.name, record.result, tool_call_id=record.call_id) for record in python_calls
                ]
            )
        )
    return history


def replay_events(reply: Message) -> list[TurnEvent]:
    """The events of a reply already stored (a reconnecting client, a second request for the same turn)."""
    events: list[TurnEvent] = [
        ToolRan(name=call.get("name", ""), ok=bool(call.get("ok")), summary=call.get("summary", ""))
        for call in reply.tool_calls
        if isinstance(call, dict)
    ]
    state = reply.state_after or reply.conversation.state
    if reply.state_before and state != reply.state_before:
        events.append(StateChanged.of(state))
    if reply.is_error and reply.error_code and not _phrased_fallback(reply):
        if reply.content:
            events.append(TurnError(code=reply.error_code, message=reply.content))
    elif reply.content:
        events.append(TextDelta(reply.content))
    events.append(TurnDone(message_id=reply.pk, state=state))
    return events


def _phrased_fallback(reply: Message) -> bool:
    # When the agent model failed after the operations ran, the reply was phrased by Python: it is a normal reply.
    return reply.error_code == "agent_unavailable"
