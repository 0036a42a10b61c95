"""Details given over several messages join up, and a correction after a save applies to that store."""

from __future__ import annotations

from conversations.models import ConversationState
from directory.models import Store
from tests.factories import StoreFactory


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


def test_a_bare_name_offered_to_save_is_completed_by_its_number(chat, user):
    chat.say("Green Leaf Market")
    chat.say("415-555-0177")

    assert _stores(user) == [("Green Leaf Market", "+14155550177")]


def test_new_store_with_its_name_asks_only_for_the_number(chat, user):
    asked = chat.say("new store: Green Leaf Market")
    chat.say("415-555-0177")

    assert "Green Leaf Market" in asked.text
    assert _stores(user) == [("Green Leaf Market", "+14155550177")]


def test_its_number_after_naming_a_store_looks_that_store_up(chat, user):
    StoreFactory(user=user, store_name="Green Leaf Market", phone_e164="+14155550177")
    chat.say("Green Leaf Market")

    chat.say("what's its number?")
    answered = chat.say("open sesame")

    assert "(415) 555-0177" in answered.text


def test_a_correction_of_name_and_number_together_corrects_the_store_just_saved(chat, user):
    chat.say("save Sal's Pizza 415-555-0111")

    chat.say("no, it's Sal's Famous Pizza, and the number is 415-555-0112")

    assert _stores(user) == [("Sal's Famous Pizza", "+14155550112")]


def test_a_different_store_after_a_save_is_saved_beside_it(chat, user):
    chat.say("save Sal's Pizza 415-555-0111")

    chat.say("actually also save Joe's Deli 415-555-0113")

    assert _stores(user) == [("Joe's Deli", "+14155550113"), ("Sal's Pizza", "+14155550111")]


def test_a_sentence_saying_the_number_was_wrong_is_no_store_name(chat, user):
    chat.say("remember Kwik Mart 312-555-0150")

    chat.say("that number's wrong, it should be 312-555-0151")

    assert _stores(user) == [("Kwik Mart", "+13125550151")]


def test_cancel_right_after_a_save_takes_the_save_back(chat, user):
    chat.say("save Luigi's 415-555-0192")

    turn = chat.say("cancel that")

    assert _stores(user) == []
    assert "Luigi's" in turn.text


def test_a_name_that_ends_in_s_is_asked_about_without_a_double_possessive(chat, user):
    turn = chat.say("save Luigi's")

    assert "Luigi's's" not in turn.text
    assert "Luigi's" in turn.text
