"""A message that saves and looks up at once: the saves run, the lookups pass the passphrase gate."""

from __future__ import annotations

from conversations.models import ConversationState
from directory.models import Store
from tests.factories import StoreFactory


def test_the_save_runs_and_the_lookup_waits_for_the_passphrase(chat, user):
    StoreFactory(user=user, store_name="Target", phone_e164="+16515550188")
    turn = chat.say("save Costco 650-555-0101 and what's the number for Target?")
    assert Store.objects.filter(user=user, store_name="Costco", phone_e164="+16505550101").exists()
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert "Costco" in turn.text
    assert "passphrase" in turn.text
    assert "555-0188" not in turn.text
    assert turn.reply.in_reply_to.intent == "multi_operation"

    unlocked = chat.say("open sesame")
    assert "Target" in unlocked.text
    assert "(651) 555-0188" in unlocked.text
    assert chat.state == ConversationState.IDLE


def test_when_already_unlocked_both_run_in_one_turn(chat, user):
    StoreFactory(user=user, store_name="Target", phone_e164="+16515550188")
    chat.say("what's the number for target")
    chat.say("open sesame")
    turn = chat.say("save Costco 650-555-0101 and what's the number for Target?")
    assert [tool.name for tool in turn.tools] == ["save_store", "lookup_by_name"]
    assert "(651) 555-0188" in turn.text
    assert chat.state == ConversationState.IDLE


def test_an_incomplete_store_is_asked_for_after_the_passphrase(chat, user):
    StoreFactory(user=user, store_name="Target", phone_e164="+16515550188")
    chat.say("save Costco 555-0101 and what's the number for Target?")
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert chat.conversation.pending_action["saves"][0]["name"] == "Costco"
    turn = chat.say("open sesame")
    assert "(651) 555-0188" in turn.text
    assert "Costco" in turn.text
    assert chat.state == ConversationState.COLLECTING_SAVE_INFO
    chat.say("650-555-0101")
    assert Store.objects.filter(user=user, store_name="Costco", phone_e164="+16505550101").exists()
