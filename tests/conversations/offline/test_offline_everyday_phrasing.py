"""Everyday phrasing found while reading the second held-out batch's misses (it no longer measures unseen
phrasing; holdout3 does). Each case is written in other words than the batch's."""

from __future__ import annotations

import pytest

from conversations.models import Intent
from tests.conversations.offline.readings import stores_of

COLLECTING = "COLLECTING_SAVE_INFO"


@pytest.mark.parametrize(
    ("text", "stores"),
    [
        ("save rosies bakery... sorry, Rosie's Bakery, 415 555 0140", [("Rosie's Bakery", "415 555 0140")]),
        ("add Mike's Garage, I mean Mike's Auto, 415-555-0141", [("Mike's Auto", "415-555-0141")]),
        ("save Green Thumb 415-555-0142 no wait 415-555-0143", [("Green Thumb", "415-555-0143")]),
        ("my vet, Happy Paws Clinic, 415-555-0144 - save it", [("Happy Paws Clinic", "415-555-0144")]),
        ("add Number Nine Pizza 415-555-0145", [("Number Nine Pizza", "415-555-0145")]),
        ("could you pop Corner Books in there, 415-555-0146", [("Corner Books", "415-555-0146")]),
    ],
)
def test_a_name_taken_back_or_introduced_inside_a_save_keeps_only_the_name(classify, text, stores):
    assert stores_of(classify(text)) == stores


@pytest.mark.parametrize(
    ("text", "pending"),
    [
        ("the actual number is 415-555-0147", {"stores": [{"name": "Blue Fin", "phone": None}]}),
        ("415-555-0147 is the right one", {"stores": [{"name": "Blue Fin", "phone": None}]}),
        ("415-555-0147 (btw thanks)", {"stores": [{"name": "Blue Fin", "phone": None}]}),
    ],
)
def test_a_fixed_number_with_words_around_it_fills_the_number_only(classify, text, pending):
    assert stores_of(classify(text, state=COLLECTING, pending=pending)) == [(None, "415-555-0147")]


def test_a_role_then_a_name_while_collecting_gives_the_name(classify):
    pending = {"stores": [{"name": None, "phone": "+14155550148"}]}
    assert stores_of(classify("it's my florist, Petal Pushers", state=COLLECTING, pending=pending)) == [
        ("Petal Pushers", None)
    ]


@pytest.mark.parametrize(
    ("text", "target", "phone"),
    [
        ("target changed their number, the new one is 415-555-0149", "target", "415-555-0149"),
        ("Boots has moved, their new number is 020 7946 0150", "Boots", "020 7946 0150"),
        ("the pizza place has a new number: 415-555-0151", "pizza place", "415-555-0151"),
        ("update safeway number -> 415-555-0152", "safeway", "415-555-0152"),
        ("Costco's number should be 415-555-0153 not 415-555-0154", "Costco", "415-555-0153"),
        ("I think I saved Lowe's wrong, change it to 415-555-0155", "Lowe's", "415-555-0155"),
    ],
)
def test_a_new_number_said_in_passing_is_an_update(classify, text, target, phone):
    result = classify(text, region="GB" if "7946" in text else "US")
    assert (result.intent, result.target, result.new_phone) == (Intent.UPDATE, target, phone)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("get rid of the target entry", Intent.DELETE),
        ("cancel that, undo", Intent.UNDO),
        ("undo it, I didn't mean that", Intent.UNDO),
        ("and Safeway?", Intent.RETRIEVE_BY_NAME),
        ("costco? what's their number", Intent.RETRIEVE_BY_NAME),
    ],
)
def test_changes_and_follow_up_lookups(classify, text, intent):
    assert classify(text).intent == intent


@pytest.mark.parametrize(
    "text",
    [
        "what's the number one movie this week",
        "store this thought: buy a kayak",
        "which lotto numbers should I play",
        "look up what 'ephemeral' means",
        "save the planet!",
    ],
)
def test_look_alikes_are_off_topic(classify, text):
    assert classify(text).intent == Intent.OFF_SCOPE


@pytest.mark.parametrize("text", ["cheerio!", "Lovely, that's me done, thanks, bye", "actually nothing else, bye"])
def test_farewells(classify, text):
    assert classify(text).intent == Intent.TERMINATE


def test_waiting_for_a_detail_is_no_strike(classify):
    pending = {"stores": [{"name": "Blue Fin", "phone": None}]}
    assert classify("hang on, let me find it", state=COLLECTING, pending=pending).intent == Intent.CLARIFICATION
