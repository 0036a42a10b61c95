"""The turn API the web page and CLI call: validation, ownership, events, replay, disconnects."""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
from asgiref.sync import async_to_sync
from pydantic_ai.models.function import FunctionModel

from conversations import llm
from conversations.events import StateChanged, TextDelta, ToolRan, TurnDone
from conversations.models import PASSPHRASE_REDACTION, Conversation, ConversationState, Message
from conversations.offline.model import capture_requests
from conversations.services import (
    MESSAGE_MAX_LENGTH,
    TurnRejected,
    conversation_start,
    turn_stream,
    turn_submit,
)
from ops.request_context import reset_request_scope, set_request_id


async def _stream(user, message_id: int, limit: int | None = None) -> list:
    events = []
    stream = turn_stream(user=user, message_id=message_id)
    async for event in stream:
        events.append(event)
        if limit is not None and len(events) >= limit:
            await stream.aclose()
            break
    return events


def stream(user, message_id: int, limit: int | None = None) -> list:
    return async_to_sync(_stream)(user, message_id, limit)


@pytest.mark.parametrize(("text", "reason"), [("", "Type a message"), ("   \n ", "Type a message")])
def test_an_empty_message_is_rejected_and_nothing_is_stored(user, text, reason):
    conversation = conversation_start(user=user)
    with pytest.raises(TurnRejected, match=reason):
        turn_submit(user=user, conversation_id=conversation.pk, text=text)
    assert conversation.messages.count() == 0


def test_a_message_with_a_nul_character_is_refused_clearly_and_nothing_is_stored(user):
    conversation = conversation_start(user=user)
    with pytest.raises(TurnRejected, match="NUL character"):
        turn_submit(user=user, conversation_id=conversation.pk, text="save Costco\x00 650-555-0101")
    assert conversation.messages.count() == 0


def test_invisible_characters_are_dropped_from_a_message_before_it_is_stored(user):
    conversation = conversation_start(user=user)
    turn_submit(user=user, conversation_id=conversation.pk, text="save Cost\u200bco\u202e 650-555-0101")
    assert conversation.messages.get().content == "save Costco 650-555-0101"


def test_a_too_long_message_is_rejected_with_the_limit(user):
    conversation = conversation_start(user=user)
    with pytest.raises(TurnRejected, match="2,000"):
        turn_submit(user=user, conversation_id=conversation.pk, text="x" * (MESSAGE_MAX_LENGTH + 1))
    assert conversation.messages.count() == 0


def test_another_users_conversation_cannot_be_written_to(user, other_user):
    theirs = conversation_start(user=other_user)
    with pytest.raises(Conversation.DoesNotExist):
        turn_submit(user=user, conversation_id=theirs.pk, text="Save ACME Hardware, 415-555-0198")
    assert theirs.messages.count() == 0


def test_another_users_message_cannot_be_streamed(user, other_user):
    theirs = conversation_start(user=other_user)
    message = turn_submit(user=other_user, conversation_id=theirs.pk, text="Save ACME Hardware, 415-555-0198")
    with pytest.raises(Message.DoesNotExist):
        stream(user, message.pk)
    assert not Message.objects.filter(in_reply_to=message).exists()


def test_events_come_in_order_and_serialise(user):
    conversation = conversation_start(user=user)
    message = turn_submit(user=user, conversation_id=conversation.pk, text="save Costco")
    events = stream(user, message.pk)
    kinds = [type(event) for event in events]
    assert kinds[0] is StateChanged
    assert kinds[-1] is TurnDone
    assert set(kinds[1:-1]) == {TextDelta}
    assert events[0].to_dict() == {
        "type": "state",
        "state": "COLLECTING_SAVE_INFO",
        "label": "Collecting store details",
        "input_mode": "text",
    }
    assert json.loads(json.dumps(events[-1].to_dict()))["type"] == "done"


def test_the_awaiting_state_asks_for_a_masked_passphrase_field(user):
    conversation = conversation_start(user=user)
    message = turn_submit(user=user, conversation_id=conversation.pk, text="what's the number for costco")
    state = next(event for event in stream(user, message.pk) if isinstance(event, StateChanged))
    assert state.input_mode == "passphrase"
    assert state.label == "Waiting for your passphrase"


def test_streaming_a_finished_turn_again_replays_it_without_a_model_call(user):
    conversation = conversation_start(user=user)
    message = turn_submit(user=user, conversation_id=conversation.pk, text="Save ACME Hardware, 415-555-0198")
    first = stream(user, message.pk)
    with capture_requests() as requests:
        again = stream(user, message.pk)
    assert requests == []
    assert "".join(e.text for e in again if isinstance(e, TextDelta)) == "".join(
        e.text for e in first if isinstance(e, TextDelta)
    )
    assert [e for e in again if isinstance(e, ToolRan)] == [e for e in first if isinstance(e, ToolRan)]
    assert again[-1] == first[-1]
    assert user.stores.count() == 1
    assert Message.objects.filter(role=Message.Role.ASSISTANT).count() == 1


def test_a_disconnect_mid_reply_keeps_the_partial_reply_and_the_operations(user):
    conversation = conversation_start(user=user)
    message = turn_submit(user=user, conversation_id=conversation.pk, text="Save ACME Hardware, 415-555-0198")
    events = stream(user, message.pk, limit=3)  # a tool event and two words, then the client goes away
    reply = Message.objects.get(in_reply_to=message)
    assert reply.interrupted
    assert reply.content == "".join(e.text for e in events if isinstance(e, TextDelta))
    assert reply.content
    assert reply.tokens_in > 0
    assert reply.state_after == ConversationState.IDLE
    assert user.stores.count() == 1
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.IDLE


def test_a_message_sent_while_the_last_reply_streams_is_refused(user):
    conversation = conversation_start(user=user)
    first = turn_submit(user=user, conversation_id=conversation.pk, text="what's the number for costco?")
    # The reply row exists but the turn has not finished: it is streaming.
    Message.objects.create(conversation=conversation, role=Message.Role.ASSISTANT, in_reply_to=first)
    with pytest.raises(TurnRejected, match="wait for the reply"):
        turn_submit(user=user, conversation_id=conversation.pk, text="open sesame")
    assert conversation.messages.filter(role=Message.Role.USER).count() == 1


def test_a_passphrase_sent_before_the_reply_asking_for_it_is_still_redacted(user):
    conversation = conversation_start(user=user)
    turn_submit(user=user, conversation_id=conversation.pk, text="what's the number for costco?")
    early = turn_submit(user=user, conversation_id=conversation.pk, text="open sesame")
    assert early.redacted
    assert early.content == PASSPHRASE_REDACTION
    with capture_requests() as requests:
        stream(user, early.pk)
    assert all("open sesame" not in request.everything for request in requests)


def test_a_message_whose_reply_was_never_streamed_is_closed_by_the_next_one(user):
    conversation = conversation_start(user=user)
    abandoned = turn_submit(user=user, conversation_id=conversation.pk, text="save Costco")
    turn_submit(user=user, conversation_id=conversation.pk, text="Save ACME Hardware, 415-555-0198")
    closed = Message.objects.get(in_reply_to=abandoned)
    assert closed.error_code == "not_answered"
    with capture_requests() as requests:
        events = stream(user, abandoned.pk)
    assert requests == []
    assert isinstance(events[-1], TurnDone)


def test_the_request_id_is_stored_on_both_messages(user):
    conversation = conversation_start(user=user)
    token = set_request_id("req-1234abcd")
    try:
        message = turn_submit(user=user, conversation_id=conversation.pk, text="Save ACME Hardware, 415-555-0198")
        stream(user, message.pk)
    finally:
        reset_request_scope(token)
    assert Message.objects.get(pk=message.pk).request_id == "req-1234abcd"
    assert Message.objects.get(in_reply_to=message).request_id == "req-1234abcd"


def test_the_first_message_names_the_conversation(user):
    conversation = conversation_start(user=user)
    turn_submit(user=user, conversation_id=conversation.pk, text="Save ACME Hardware, 415-555-0198")
    conversation.refresh_from_db()
    assert conversation.title == "Save ACME Hardware, 415-555-0198"


def test_a_cancelled_stream_still_stores_the_partial_reply(user, monkeypatch):
    """Django cancels the response task when the browser goes away: CancelledError lands mid-generation."""
    real_build_model = llm.build_model

    async def slow_words(messages, info):
        yield "Saved "
        await asyncio.sleep(30)
        yield "never reached"

    def build_model(role, *, config=None):
        if role == "agent":
            return FunctionModel(stream_function=slow_words, model_name="slow")
        return real_build_model(role, config=config)

    monkeypatch.setattr(llm, "build_model", build_model)
    conversation = conversation_start(user=user)
    message = turn_submit(user=user, conversation_id=conversation.pk, text="Save ACME Hardware, 415-555-0198")

    async def consume_then_cancel() -> None:
        first_text = asyncio.Event()

        async def consume() -> None:
            async for event in turn_stream(user=user, message_id=message.pk):
                if isinstance(event, TextDelta):
                    first_text.set()

        task = asyncio.create_task(consume())
        await asyncio.wait_for(first_text.wait(), timeout=10)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async_to_sync(consume_then_cancel)()
    reply = Message.objects.get(in_reply_to=message)
    assert reply.interrupted
    assert reply.content == "Saved "
    assert user.stores.count() == 1
