"""Off-scope warnings, termination, the background summary, and closed conversations."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync

from conversations.lifecycle import conversation_end, conversation_start
from conversations.models import Conversation, ConversationState, ConversationSummary
from conversations.services import ConversationClosed, turn_run, turn_submit
from ops.config import forget_config
from ops.models import SystemConfig


def test_an_off_scope_message_gets_a_warning(chat):
    turn = chat.say("what's the weather like today?")
    assert chat.state == ConversationState.OFF_SCOPE_WARNED
    assert chat.conversation.off_scope_count == 1
    assert "store directory" in turn.text


def test_the_second_warning_says_the_next_one_ends_the_conversation(chat):
    chat.say("write me a poem")
    turn = chat.say("who won the game last night?")
    assert chat.state == ConversationState.OFF_SCOPE_WARNED
    assert "One more off-topic message will end this conversation" in turn.text


def test_the_third_off_scope_message_terminates(chat):
    chat.say("write me a poem")
    chat.say("what's the weather like?")
    turn = chat.say("tell me a joke")
    assert chat.state == ConversationState.TERMINATED
    assert chat.conversation.end_reason == "off_scope"
    assert chat.conversation.off_scope_count == 3
    assert turn.done.state == ConversationState.TERMINATED
    assert turn.states[-1] == ConversationState.TERMINATED


def test_a_store_request_after_a_warning_is_handled_and_the_count_is_kept(chat, user):
    chat.say("write me a poem")
    chat.say("Save ACME Hardware, 415-555-0198")
    assert chat.state == ConversationState.IDLE
    assert chat.conversation.off_scope_count == 1
    assert user.stores.count() == 1


def test_the_off_scope_limit_follows_the_configuration(chat):
    SystemConfig.objects.update_or_create(pk=1, defaults={"off_scope_max": 1})
    forget_config()
    chat.say("write me a poem")
    assert chat.state == ConversationState.TERMINATED


def test_bye_terminates_the_conversation(chat):
    chat.say("Save ACME Hardware, 415-555-0198")
    turn = chat.say("thanks, bye")
    assert chat.state == ConversationState.TERMINATED
    assert chat.conversation.end_reason == "user"
    assert chat.conversation.ended_at is not None
    assert turn.tools[-1].name == "terminate_conversation"
    assert "bye" in turn.text.lower()


def test_a_summary_is_written_in_the_background_when_it_ends(chat, user, django_capture_on_commit_callbacks):
    chat.say("Save ACME Hardware, 415-555-0198")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        chat.say("thanks, that's all")
    assert len(callbacks) == 1
    summary = ConversationSummary.objects.get(conversation=chat.conversation)
    assert "ACME Hardware" in summary.summary
    assert summary.operations_count == 1
    assert summary.model == "offline:summarizer"
    assert summary.tokens_in > 0
    usage = user.token_usage.get()
    assert usage.requests == 5  # two turns of classifier + agent, one summary


def test_ending_twice_queues_one_summary(user, django_capture_on_commit_callbacks):
    conversation = conversation_start(user=user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        conversation_end(conversation=conversation, reason="idle")
        conversation_end(conversation=conversation, reason="idle")
    assert len(callbacks) == 1
    conversation.refresh_from_db()
    assert conversation.state == ConversationState.TERMINATED
    assert conversation.end_reason == "idle"
    assert ConversationSummary.objects.get(conversation=conversation).summary


def test_a_terminated_conversation_refuses_messages(chat, user):
    chat.say("bye")
    with pytest.raises(ConversationClosed, match="Start a new one"):
        turn_submit(user=user, conversation_id=chat.conversation.pk, text="Save ACME Hardware, 415-555-0198")
    assert user.stores.count() == 0
    assert chat.conversation.messages.count() == 2


def test_turn_run_on_a_terminated_conversation_raises_before_any_model_call(chat, user):
    chat.say("bye")

    async def run() -> list:
        return [event async for event in turn_run(user=user, conversation_id=chat.conversation.pk, text="hello")]

    with pytest.raises(ConversationClosed):
        async_to_sync(run)()
    assert Conversation.objects.get(pk=chat.conversation.pk).messages.count() == 2
