"""A chat helper: one conversation driven through the real orchestrator with the offline model.

Turns run with `async_to_sync`, so the orchestrator's `sync_to_async` ORM calls
come back to the test's thread and see the test transaction (the `db` fixture).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from asgiref.sync import async_to_sync

from accounts.models import User
from conversations.events import StateChanged, TextDelta, ToolRan, TurnDone, TurnError, TurnEvent
from conversations.models import Conversation, Message
from conversations.offline.model import CapturedRequest, capture_requests
from conversations.services import conversation_start, turn_run


@dataclass
class Turn:
    events: list[TurnEvent]
    requests: list[CapturedRequest]

    @property
    def text(self) -> str:
        return "".join(event.text for event in self.events if isinstance(event, TextDelta))

    @property
    def errors(self) -> list[TurnError]:
        return [event for event in self.events if isinstance(event, TurnError)]

    @property
    def tools(self) -> list[ToolRan]:
        return [event for event in self.events if isinstance(event, ToolRan)]

    @property
    def states(self) -> list[str]:
        return [event.state for event in self.events if isinstance(event, StateChanged)]

    @property
    def done(self) -> TurnDone:
        last = self.events[-1]
        assert isinstance(last, TurnDone), self.events
        return last

    @property
    def reply(self) -> Message:
        return Message.objects.get(pk=self.done.message_id)


@dataclass
class Chat:
    user: User
    conversation: Conversation = field(init=False)
    turns: list[Turn] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.conversation = conversation_start(user=self.user)

    def say(self, text: str) -> Turn:
        with capture_requests() as requests:
            events = async_to_sync(_collect)(self.user, self.conversation.pk, text)
        turn = Turn(events=events, requests=requests)
        self.turns.append(turn)
        self.conversation.refresh_from_db()
        return turn

    @property
    def state(self) -> str:
        self.conversation.refresh_from_db()
        return self.conversation.state


async def _collect(user: User, conversation_id: int, text: str) -> list[TurnEvent]:
    return [event async for event in turn_run(user=user, conversation_id=conversation_id, text=text)]


@pytest.fixture
def chat(user) -> Chat:
    return Chat(user)


@pytest.fixture
def new_chat():
    """Start another conversation, for any user."""
    return Chat
