"""Details given over several messages join up, and a correction after a save applies to that store."""

from __future__ import annotations

from conversations.models import ConversationState
from directory.models import Store


def _stores(user) -> list[tuple[str, str]]:
    return sorted(Store.objects.owned_by(user).live().values_list("store_name", "phone_e164"))


def test_a_name_and_a_number_in_separate_messages_make_one_store(chat, user):
    chat.say("new place")
    chat.say("it's called Riverbend Feed")
    done = chat.say("the number's 707-555-0123")

    assert _stores(user) == [("Riverbend Feed", "+17075550123")]
    assert chat.state == ConversationState.IDLE
    assert "Riverbend Feed" in done.text


def test_a_number_first_then_whose_it_is(chat, user):
    chat.say("can you save a number for me?")
    chat.say("415-555-0199")
    chat.say("that's for Ace Plumbing")

    assert _stores(user) == [("Ace Plumbing", "+14155550199")]


def test_asking_to_add_then_giving_a_whole_store_saves_it_once_and_asks_nothing_more(chat, user):
    chat.say("I'd like to add a shop")
    turn = chat.say("Sunrise Bakery 206-555-0156")

    assert _stores(user) == [("Sunrise Bakery", "+12065550156")]
    assert chat.state == ConversationState.IDLE
    assert "?" not in turn.text


def test_a_correction_after_the_save_applies_to_the_store_just_saved(chat, user):
    chat.say("save Luigi's 415-555-0116")

    chat.say("wait, the number is wrong, it's 415-555-0161")
    chat.say("I typed the name wrong: Luigi's Trattoria")

    assert _stores(user) == [("Luigi's Trattoria", "+14155550161")]
