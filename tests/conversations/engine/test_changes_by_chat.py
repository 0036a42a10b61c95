"""Changing, deleting and undoing by chat: passphrase-gated like lookups, confirmed in the reply, reversible,
and only ever on the user's own stores."""

from __future__ import annotations

import pytest

from conversations.models import ConversationState
from directory.models import Store
from tests.factories import StoreFactory, UserFactory

PASSPHRASE = "open sesame"  # the `user` fixture's


@pytest.fixture
def stores(user):
    return {
        "target": StoreFactory(user=user, store_name="Target", phone_e164="+14155550101"),
        "safeway": StoreFactory(user=user, store_name="Safeway Market", phone_e164="+14155550102"),
        "tonys": StoreFactory(user=user, store_name="Tony's", phone_e164="+14155550103"),
    }


def _live(user) -> list[tuple[str, str]]:
    return sorted(Store.objects.owned_by(user).live().values_list("store_name", "phone_e164"))


def test_a_delete_waits_for_the_passphrase_then_deletes_softly_and_says_how_to_undo(chat, user, stores):
    asked = chat.say("delete Target")

    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_CHANGE
    assert "passphrase" in asked.text
    assert ("Target", "+14155550101") in _live(user)  # nothing changes before the passphrase

    done = chat.say(PASSPHRASE)

    assert chat.state == ConversationState.IDLE
    assert ("Target", "+14155550101") not in _live(user)
    assert Store.objects.get(pk=stores["target"].pk).deleted_at is not None  # soft: it can come back
    assert "Deleted Target" in done.text
    assert "undo" in done.text


def test_undo_brings_a_deleted_store_back(chat, user, stores):
    chat.say("delete Target")
    chat.say(PASSPHRASE)

    undone = chat.say("undo")

    assert ("Target", "+14155550101") in _live(user)
    assert "Target" in undone.text
    assert "back" in undone.text
    again = chat.say("undo")
    assert "nothing to undo" in again.text.lower()


def test_a_new_number_by_name_then_undo_restores_the_old_one(chat, user, stores):
    chat.say("change Safeway's number to 415-555-0177")
    changed = chat.say(PASSPHRASE)

    assert ("Safeway Market", "+14155550177") in _live(user)
    assert "(415) 555-0177" in changed.text
    assert "(415) 555-0102" in changed.text  # what it was

    chat.say("undo")
    assert ("Safeway Market", "+14155550102") in _live(user)


def test_a_rename_by_name_once_unlocked_runs_at_once(chat, user, stores):
    chat.say("what's the number for Target?")
    chat.say(PASSPHRASE)

    renamed = chat.say("rename Tony's to Tony's Pizza Napoletana")

    assert chat.state == ConversationState.IDLE
    assert ("Tony's Pizza Napoletana", "+14155550103") in _live(user)
    assert "Renamed Tony's to Tony's Pizza Napoletana" in renamed.text


def test_delete_it_after_a_lookup_deletes_the_store_found(chat, user, stores):
    chat.say("what's the number for Safeway?")
    chat.say(PASSPHRASE)

    chat.say("delete it")

    assert [name for name, _ in _live(user)] == ["Target", "Tony's"]


def test_change_its_number_after_a_lookup_changes_the_store_found(chat, user, stores):
    chat.say("what's the number for Tony's?")
    chat.say(PASSPHRASE)

    chat.say("change its number to 415-555-0199")

    assert ("Tony's", "+14155550199") in _live(user)
    assert len(_live(user)) == 3  # changed, not saved as a new store


def test_a_store_nobody_saved_is_reported_and_nothing_changes(chat, user, stores):
    chat.say("what's the number for Target?")
    chat.say(PASSPHRASE)
    before = _live(user)

    turn = chat.say("delete Zebra Books")

    assert _live(user) == before
    assert "couldn't find" in turn.text


def test_an_unclear_store_is_asked_about_and_nothing_changes(chat, user, stores):
    StoreFactory(user=user, store_name="Safeway Pharmacy", phone_e164="+14155550104")
    chat.say("what's the number for Target?")
    chat.say(PASSPHRASE)
    before = _live(user)

    turn = chat.say("delete Safeway")

    assert _live(user) == before
    assert "Safeway Market" in turn.text
    assert "Safeway Pharmacy" in turn.text
    assert "Which one" in turn.text


def test_another_users_store_of_the_same_name_is_never_touched(chat, user, stores):
    other = UserFactory()
    StoreFactory(user=other, store_name="Zebra Books", phone_e164="+14155550150")
    chat.say("what's the number for Target?")
    chat.say(PASSPHRASE)

    turn = chat.say("delete Zebra Books")

    assert Store.objects.live().filter(store_name="Zebra Books").exists()  # only the other user has one
    assert "(415) 555-0150" not in turn.text


def test_undo_right_after_a_save_takes_it_back_without_the_passphrase(chat, user):
    chat.say("save Blue Door Cafe 415-555-0160")

    undone = chat.say("undo")

    assert chat.state == ConversationState.IDLE
    assert _live(user) == []
    assert "Blue Door Cafe" in undone.text


def test_a_wrong_passphrase_keeps_the_change_held_and_never_mind_drops_it(chat, user, stores):
    chat.say("delete Target")
    chat.say("wrong guess")
    assert chat.state == ConversationState.AWAITING_PASSPHRASE_FOR_CHANGE

    chat.say("never mind")

    assert chat.state == ConversationState.IDLE
    assert ("Target", "+14155550101") in _live(user)
    chat.say("what's the number for Safeway?")
    chat.say(PASSPHRASE)
    assert ("Target", "+14155550101") in _live(user)  # the dropped delete did not come back with the unlock


def test_a_user_without_a_passphrase_is_told_to_set_one_and_nothing_changes(new_chat, db):
    owner = UserFactory(passphrase=None)
    StoreFactory(user=owner, store_name="Target", phone_e164="+14155550101")
    chat = new_chat(owner)

    turn = chat.say("delete Target")

    assert _live(owner) == [("Target", "+14155550101")]
    assert "passphrase" in turn.text


def test_several_stores_in_one_lookup_are_all_answered_after_one_passphrase(chat, user, stores):
    asked = chat.say("numbers for Target and Safeway?")
    assert asked.text.count("passphrase") >= 1

    answered = chat.say(PASSPHRASE)

    assert "(415) 555-0101" in answered.text
    assert "(415) 555-0102" in answered.text
    assert [tool.name for tool in answered.tools] == ["lookup_by_name", "lookup_by_name"]


def test_a_new_number_for_a_store_nobody_saved_says_how_to_save_it(chat, user, stores):
    chat.say("what's the number for Target?")
    chat.say(PASSPHRASE)

    turn = chat.say("Pinecrest Hardware has a new number: 408-555-0177")

    assert "Pinecrest Hardware" not in [name for name, _ in _live(user)]
    assert "save Pinecrest Hardware 408-555-0177" in turn.text


def test_a_store_named_by_its_kind_is_deleted(chat, user, stores):
    StoreFactory(user=user, store_name="Bright Smile Dental", phone_e164="+14155550104")
    chat.say("can you remove my dentist")
    chat.say(PASSPHRASE)

    assert "Bright Smile Dental" not in [name for name, _ in _live(user)]


def test_change_it_to_a_number_after_a_lookup_changes_the_store_found(chat, user, stores):
    chat.say("what's Target's number?")
    chat.say(PASSPHRASE)

    chat.say("great, can you change it to 415-555-0150?")

    assert ("Target", "+14155550150") in _live(user)


def test_the_passphrase_request_for_a_number_shows_it_as_people_read_it(chat, user, stores):
    turn = chat.say("who is 415-555-0101?")

    assert "(415) 555-0101" in turn.text
    assert "+1415" not in turn.text


def test_a_change_asked_in_steps_collects_the_store_then_the_number(chat, user, stores):
    assert "Which store" in chat.say("I need to update a number").text
    assert "new name or number" in chat.say("Safeway").text
    chat.say("415-555-0177")
    chat.say(PASSPHRASE)

    assert ("Safeway Market", "+14155550177") in _live(user)
    assert len(_live(user)) == 3  # the number filled the change: no store saved with it


def test_a_delete_asked_in_steps(chat, user, stores):
    assert "Which store" in chat.say("I want to delete a store").text
    chat.say("Target")
    chat.say(PASSPHRASE)

    assert "Target" not in [name for name, _ in _live(user)]


def test_a_change_asked_in_steps_can_be_called_off(chat, user, stores):
    chat.say("I need to update a number")

    turn = chat.say("never mind")

    assert "won't change anything" in turn.text
    assert len(_live(user)) == 3


def test_it_means_the_store_of_the_turn_before_only(chat, user, stores):
    chat.say("what's the number for Target?")
    chat.say(PASSPHRASE)
    chat.say("hmm")

    turn = chat.say("delete it")

    assert "Target" in [name for name, _ in _live(user)]
    assert "Which store" in turn.text
