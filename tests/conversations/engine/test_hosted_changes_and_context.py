"""Hosted models (fake servers on 127.0.0.1) get the same product: the classifier sees the recent messages and the
store in hand, its prompt describes changes and several lookups, and the engine gates and applies what it reads
exactly as with the offline model."""

from __future__ import annotations

import json

import pytest

from conversations.models import ConversationState
from directory.models import Store
from tests.factories import StoreFactory

PASSPHRASE = "open sesame"  # the `user` fixture's


@pytest.fixture
def stores(user):
    StoreFactory(user=user, store_name="Target", phone_e164="+14155550101")
    StoreFactory(user=user, store_name="Safeway Market", phone_e164="+14155550102")


def _classifier_input(request) -> dict:
    """The JSON the engine sent as the classifier's user prompt (Anthropic's messages API)."""
    user_turns = [m for m in request.json["messages"] if m["role"] == "user"]
    content = user_turns[-1]["content"]
    text = content if isinstance(content, str) else "".join(part.get("text", "") for part in content)
    return json.loads(text)


def test_the_classifier_prompt_describes_changes_several_lookups_and_recent_messages(chat, user, hosted_llm):
    hosted_llm.primary.reply_tool_call({"intent": "clarification", "reply_hint": "What would you like?"})
    hosted_llm.primary.reply_text("What would you like to do?")

    chat.say("hmm")

    system = hosted_llm.primary.requests[0].system_text
    for described in ("update", "delete", "undo", "other_lookup_queries", '"recent"', "store_in_hand", "terminate"):
        assert described in system


def test_the_classifier_reads_the_recent_messages_and_the_store_in_hand(chat, user, stores, hosted_llm):
    hosted_llm.primary.reply_tool_call({"intent": "retrieve_by_name", "lookup_query": "Target"})
    hosted_llm.primary.reply_text("I need your passphrase.")
    chat.say("what's the number for Target?")
    hosted_llm.primary.reply_text("Target: (415) 555-0101.")
    chat.say(PASSPHRASE)
    hosted_llm.primary.reply_tool_call({"intent": "delete"})
    hosted_llm.primary.reply_text("Deleted Target.")

    chat.say("delete it")

    sent = _classifier_input(hosted_llm.primary.requests[-2])
    assert sent["message"] == "delete it"
    assert sent["store_in_hand"] == "Target"
    assert [m["role"] for m in sent["recent"]][:1] == ["user"]
    assert any("Target" in m["text"] for m in sent["recent"])
    assert all(PASSPHRASE not in m["text"] for m in sent["recent"])
    assert not Store.objects.owned_by(user).live().filter(store_name="Target").exists()


def test_a_hosted_change_is_held_for_the_passphrase_and_several_lookups_all_run(chat, user, stores, hosted_llm):
    hosted_llm.primary.reply_tool_call({"intent": "update", "target": "Safeway", "new_phone": "415-555-0177"})
    hosted_llm.primary.reply_text("I need your passphrase.")
    chat.say("Safeway's new number is 415-555-0177")
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_CHANGE
    hosted_llm.primary.reply_text("Updated.")
    chat.say(PASSPHRASE)
    assert Store.objects.owned_by(user).get(store_name="Safeway Market").phone_e164 == "+14155550177"

    hosted_llm.primary.reply_tool_call(
        {"intent": "retrieve_by_name", "lookup_query": "Target", "other_lookup_queries": ["Safeway"]}
    )
    hosted_llm.primary.reply_text("Here they are.")
    turn = chat.say("numbers for Target and Safeway?")

    assert [tool.name for tool in turn.tools] == ["lookup_by_name", "lookup_by_name"]


def test_a_hosted_model_that_invents_the_new_number_changes_nothing(chat, user, stores, hosted_llm):
    hosted_llm.primary.reply_tool_call({"intent": "retrieve_by_name", "lookup_query": "Target"})
    hosted_llm.primary.reply_text("Passphrase?")
    chat.say("what's the number for Target?")
    hosted_llm.primary.reply_text("Target: (415) 555-0101.")
    chat.say(PASSPHRASE)
    hosted_llm.primary.reply_tool_call({"intent": "update", "target": "Target", "new_phone": "415-555-0166"})
    hosted_llm.primary.reply_text("Done.")

    chat.say("change Target's number please")

    assert Store.objects.owned_by(user).get(store_name="Target").phone_e164 == "+14155550101"
