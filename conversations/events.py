"""What a turn yields while it runs: the web page (SSE) and the CLI consume the same stream.

Order within a turn: `ToolRan` for each operation, `StateChanged` when the
state moved, `TextDelta`s of the reply as it is generated, a `TurnError` if
something went wrong (its message is a true sentence for the user), then
`TurnDone` once the reply is stored.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from conversations.models import ConversationState

InputMode = Literal["text", "passphrase", "closed"]


def input_mode_for(state: str) -> InputMode:
    """What the next message field should be: a masked passphrase field, a text field, or none."""
    if state in {
        ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE,
        ConversationState.AWAITING_PASSPHRASE_FOR_REVERSE,
        ConversationState.AWAITING_PASSPHRASE_FOR_CHANGE,
    }:
        return "passphrase"
    if state == ConversationState.TERMINATED:
        return "closed"
    return "text"


def state_label(state: str) -> str:
    return str(ConversationState(state).label) if state in ConversationState.values else state


@dataclass(frozen=True)
class TextDelta:
    text: str
    type: Literal["text"] = "text"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class StateChanged:
    state: str
    label: str
    input_mode: InputMode
    type: Literal["state"] = "state"

    @classmethod
    def of(cls, state: str) -> StateChanged:
        return cls(state=state, label=state_label(state), input_mode=input_mode_for(state))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ToolRan:
    name: str
    ok: bool
    summary: str
    type: Literal["tool"] = "tool"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TurnError:
    code: str  # budget_exceeded, provider_unavailable, internal_error
    message: str
    type: Literal["error"] = "error"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class TurnDone:
    message_id: int
    state: str
    type: Literal["done"] = "done"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


TurnEvent = TextDelta | StateChanged | ToolRan | TurnError | TurnDone
