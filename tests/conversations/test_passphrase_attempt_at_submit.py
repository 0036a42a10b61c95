"""A passphrase attempt is settled when it is submitted, whether or not its reply is ever read.

The submit checks and counts the attempt and moves the conversation to its
next state; the reply, when it is streamed, carries out what was decided then
(the held lookup, the words) without deciding again.
"""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from conversations.events import TextDelta, ToolRan
from conversations.models import ConversationState, Message
from conversations.offline.model import capture_requests
from conversations.services import conversation_start, turn_stream, turn_submit
from ops.config import forget_config
from ops.models import AuditLog, SystemConfig
from tests.factories import StoreFactory


async def _events(user, message_id: int) -> list:
    return [event async for event in turn_stream(user=user, message_id=message_id)]


def read_reply(user, message: Message) -> list:
    return async_to_sync(_events)(user, message.pk)


@pytest.fixture
def awaiting(user):
    """A conversation waiting for the passphrase to look Costco up."""
    StoreFactory(user=user, store_name="Costco Wholesale", phone_e164="+16505550101")
    conversation = conversation_start(user=user)
    read_reply(user, turn_submit(user=user, conversation_id=conversation.pk, text="What's the number for costco?"))
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    return conversation


def test_a_wrong_passphrase_whose_reply_is_never_read_is_still_counted(user, awaiting):
    turn_submit(user=user, conversation_id=awaiting.pk, text="open sesam")
    awaiting.refresh_from_db()
    assert awaiting.wrong_passphrase_count == 1
    assert awaiting.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert AuditLog.objects.filter(event_type="passphrase_wrong", user=user).count() == 1


def test_the_right_passphrase_moves_the_state_at_submit_and_its_reply_runs_the_held_lookup(user, awaiting):
    attempt = turn_submit(user=user, conversation_id=awaiting.pk, text="open sesame")
    awaiting.refresh_from_db()
    assert awaiting.state == ConversationState.IDLE
    assert awaiting.passphrase_verified_at is not None
    with capture_requests() as requests:
        events = read_reply(user, attempt)
    assert [request.role for request in requests] == ["agent"]
    assert [event.name for event in events if isinstance(event, ToolRan)] == ["lookup_by_name"]
    assert "(650) 555-0101" in "".join(event.text for event in events if isinstance(event, TextDelta))
    awaiting.refresh_from_db()
    assert awaiting.state == ConversationState.IDLE
    assert set(awaiting.pending_action) == {"in_hand"}  # the store found; nothing held any more


def test_a_right_passphrase_whose_reply_is_never_read_lets_the_next_message_be_read_normally(user, awaiting):
    turn_submit(user=user, conversation_id=awaiting.pk, text="open sesame")
    following = turn_submit(user=user, conversation_id=awaiting.pk, text="whose number is 650-555-0101?")
    assert following.passphrase_outcome == ""
    events = read_reply(user, following)
    assert "Costco Wholesale" in "".join(event.text for event in events if isinstance(event, TextDelta))
    awaiting.refresh_from_db()
    assert awaiting.wrong_passphrase_count == 0


def test_the_last_wrong_passphrase_ends_the_conversation_at_submit(user, awaiting):
    SystemConfig.objects.update_or_create(pk=1, defaults={"passphrase_max_attempts": 1, "lockout_minutes": 5})
    forget_config()
    attempt = turn_submit(user=user, conversation_id=awaiting.pk, text="nope")
    awaiting.refresh_from_db()
    assert awaiting.state == ConversationState.TERMINATED
    assert awaiting.end_reason == "passphrase_lockout"
    text = "".join(event.text for event in read_reply(user, attempt) if isinstance(event, TextDelta))
    assert "locked lookups for 5 minutes" in text
    assert Message.objects.get(in_reply_to=attempt).state_after == ConversationState.TERMINATED
    awaiting.refresh_from_db()
    assert awaiting.pending_action == {}
