"""Saving stores through the whole orchestrator, with the offline model."""

from __future__ import annotations

import pytest

from conversations.models import ConversationState, Message
from directory.models import Store
from tests.factories import StoreFactory


def _stores(user) -> list[tuple[str, str]]:
    return list(Store.objects.filter(user=user, deleted_at__isnull=True).values_list("store_name", "phone_e164"))


def test_a_complete_save_is_done_in_one_turn(chat, user):
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    assert _stores(user) == [("ACME Hardware", "+14155550198")]
    assert chat.state == ConversationState.IDLE
    assert "ACME Hardware" in turn.text
    assert "(415) 555-0198" in turn.text
    assert [tool.name for tool in turn.tools] == ["save_store"]
    assert turn.tools[0].ok


def test_the_reply_row_records_the_turn(chat, user):
    turn = chat.say("add Costco Wholesale 650 555 0101")
    reply = turn.reply
    asked = reply.in_reply_to
    assert asked.role == Message.Role.USER
    assert asked.content == "add Costco Wholesale 650 555 0101"
    assert asked.intent == "save"
    assert reply.role == Message.Role.ASSISTANT
    assert reply.content == turn.text
    assert reply.state_before == ConversationState.IDLE
    assert reply.state_after == ConversationState.IDLE
    assert reply.tool_calls[0]["name"] == "save_store"
    assert reply.tool_calls[0]["args"] == {"store_name": "Costco Wholesale", "phone": "650 555 0101"}
    assert reply.tool_calls[0]["ok"] is True
    assert reply.tool_calls[0]["result"]["status"] == "saved"
    assert reply.model == "offline:agent"
    assert reply.model_requests == 2  # classifier + agent
    assert reply.latency_ms is not None
    assert not reply.interrupted
    assert not reply.is_error


def test_a_missing_phone_is_collected_in_the_next_message(chat, user):
    first = chat.say("save Costco")
    assert chat.state == ConversationState.COLLECTING_SAVE_INFO
    assert "Costco" in first.text
    assert chat.conversation.pending_action["saves"][0]["name"] == "Costco"
    assert _stores(user) == []

    second = chat.say("650-555-0101")
    assert _stores(user) == [("Costco", "+16505550101")]
    assert chat.state == ConversationState.IDLE
    assert chat.conversation.pending_action.get("saves") is None
    assert "Costco" in second.text


def test_a_missing_name_is_collected_in_the_next_message(chat, user):
    chat.say("save 415-555-0198")
    assert chat.state == ConversationState.COLLECTING_SAVE_INFO
    chat.say("it's ACME Hardware")
    assert _stores(user) == [("ACME Hardware", "+14155550198")]
    assert chat.state == ConversationState.IDLE


def test_an_invalid_phone_is_explained_then_fixed(chat, user):
    first = chat.say("save Bob's Deli 555-0198")
    assert chat.state == ConversationState.COLLECTING_SAVE_INFO
    assert _stores(user) == []
    assert "555-0198" in first.text
    assert "area code" in first.text

    chat.say("415-555-0142")
    assert _stores(user) == [("Bob's Deli", "+14155550142")]
    assert chat.state == ConversationState.IDLE


def test_a_phone_correction_while_collecting_replaces_an_invalid_number(chat, user):
    chat.say("save Bob's Deli 555-0198")
    chat.say("no, it's 415-555-0199")
    assert _stores(user) == [("Bob's Deli", "+14155550199")]


def test_a_rename_while_collecting_keeps_the_number_already_given(chat, user):
    chat.say("save 650-555-0101")
    chat.say("it's Costco")
    assert _stores(user) == [("Costco", "+16505550101")]


def test_actually_call_it_renames_the_store_being_collected(chat, user):
    chat.say("save Costco")
    chat.say("actually call it Costco Business Center")
    assert chat.conversation.pending_action["saves"][0]["name"] == "Costco Business Center"
    chat.say("650-555-0101")
    assert _stores(user) == [("Costco Business Center", "+16505550101")]


def test_a_correction_right_after_a_save_updates_that_store(chat, user):
    chat.say("Save ACME Hardware, 415-555-0198")
    turn = chat.say("no, it's 415-555-0199")
    assert _stores(user) == [("ACME Hardware", "+14155550199")]
    assert "(415) 555-0199" in turn.text


@pytest.mark.parametrize(
    "rename",
    [
        "actually call it Costco Business Center",
        "rename it to Costco Business Center",
        "no, call it Costco Business Center",
    ],
)
def test_renaming_right_after_a_save_renames_that_store_and_creates_nothing(chat, user, rename):
    chat.say("save Costco 650-555-0101")
    saved = Store.objects.get(user=user)
    turn = chat.say(rename)
    assert _stores(user) == [("Costco Business Center", "+16505550101")]
    assert Store.objects.filter(user=user).count() == 1  # deleted rows included: nothing new, nothing replaced
    saved.refresh_from_db()
    assert saved.store_name == "Costco Business Center"
    assert chat.state == ConversationState.IDLE
    assert chat.conversation.pending_action.get("saves") is None
    assert turn.reply.in_reply_to.intent == "save"
    assert "Costco Business Center" in turn.text


def test_a_second_correction_applies_to_the_same_store(chat, user):
    chat.say("save Costco 650-555-0101")
    chat.say("rename it to Costco Business Center")
    turn = chat.say("no, it's 650-555-0102")
    assert _stores(user) == [("Costco Business Center", "+16505550102")]
    assert "(650) 555-0102" in turn.text


def test_a_rename_with_nothing_just_saved_asks_for_the_number_instead_of_renaming(chat, user):
    StoreFactory(user=user, store_name="Costco", phone_e164="+16505550101")
    turn = chat.say("call it Costco Business Center")
    assert "Costco Business Center" in turn.text
    assert _stores(user) == [("Costco", "+16505550101")]
    assert chat.state == ConversationState.COLLECTING_SAVE_INFO
    assert chat.conversation.pending_action["saves"][0]["name"] == "Costco Business Center"


def test_an_invalid_correction_never_wipes_out_a_valid_number(chat, user):
    chat.say("Save ACME Hardware, 415-555-0198")
    turn = chat.say("no, it's 555-0199")
    assert _stores(user) == [("ACME Hardware", "+14155550198")]
    assert chat.state == ConversationState.IDLE
    assert "555-0199" in turn.text


def test_an_invalid_correction_while_collecting_keeps_the_valid_number(chat, user):
    chat.say("save 650-555-0101")
    chat.say("no, it's 555-0199")
    assert chat.conversation.pending_action["saves"][0]["e164"] == "+16505550101"
    chat.say("it's Costco")
    assert _stores(user) == [("Costco", "+16505550101")]


def test_never_mind_cancels_the_save_being_collected(chat, user):
    chat.say("save Costco")
    turn = chat.say("never mind")
    assert chat.state == ConversationState.IDLE
    assert chat.conversation.pending_action == {}
    assert _stores(user) == []
    assert "Costco" in turn.text


def test_multi_save_saves_every_store(chat, user):
    turn = chat.say("Save Costco 650-555-0101 and Target 651-555-0188")
    assert sorted(_stores(user)) == [("Costco", "+16505550101"), ("Target", "+16515550188")]
    assert chat.state == ConversationState.IDLE
    assert "Costco" in turn.text
    assert "Target" in turn.text
    assert turn.reply.in_reply_to.intent == "multi_save"


def test_multi_save_validates_each_store_on_its_own(chat, user):
    chat.say("Save Costco 650-555-0101 and Target 555-0188")
    assert _stores(user) == [("Costco", "+16505550101")]
    assert chat.state == ConversationState.COLLECTING_SAVE_INFO
    assert chat.conversation.pending_action["saves"][0]["name"] == "Target"
    chat.say("651-555-0188")
    assert sorted(_stores(user)) == [("Costco", "+16505550101"), ("Target", "+16515550188")]


def test_a_duplicate_number_is_not_saved_again_and_the_reply_names_the_existing_entry(chat, user):
    StoreFactory(user=user, store_name="ACME Hardware", phone_e164="+14155550198")
    turn = chat.say("Save Acme Tools 415-555-0198")
    assert _stores(user) == [("ACME Hardware", "+14155550198")]
    assert "ACME Hardware" in turn.text
    assert turn.reply.tool_calls[0]["result"]["status"] == "already_saved"


def test_the_same_name_with_another_number_is_a_second_entry(chat, user):
    chat.say("Save Costco 650-555-0101")
    chat.say("Save Costco 650-555-0102")
    assert sorted(_stores(user)) == [("Costco", "+16505550101"), ("Costco", "+16505550102")]


def test_another_users_identical_number_does_not_count_as_a_duplicate(chat, user, other_user):
    StoreFactory(user=other_user, store_name="Bob's Garage", phone_e164="+14155550198")
    turn = chat.say("Save ACME Hardware, 415-555-0198")
    assert _stores(user) == [("ACME Hardware", "+14155550198")]
    assert "Bob's Garage" not in turn.text


def test_a_save_uses_the_users_default_region(chat, user):
    user.default_region = "GB"
    user.save()
    chat.say("Save Tower Books 020 7946 0958")
    assert _stores(user) == [("Tower Books", "+442079460958")]


def test_a_number_with_an_extension_is_confirmed_and_looked_up_with_it(chat, user):
    saved = chat.say("save Bay Clinic 415-555-0198 ext. 12")

    assert "(415) 555-0198 ext. 12" in saved.text
    chat.say("what's the number for Bay Clinic?")
    found = chat.say("open sesame")
    assert "(415) 555-0198 ext. 12" in found.text
