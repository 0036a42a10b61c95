"""Editing or deleting a saved store by chat does not exist yet: such a request gets a pointer, never a save."""

from __future__ import annotations

import pytest

from conversations.models import Intent
from conversations.phrasing.brief import TurnBrief
from conversations.phrasing.hints import HINT_EDIT_BY_CHAT
from conversations.phrasing.notes import Clarify
from conversations.phrasing.replies import phrase_reply
from tests.conversations.offline.readings import stores_of


@pytest.mark.parametrize(
    "text",
    [
        "change Raley's number to 925-555-0133",
        "remove Dollar Tree",
        "delete Harbor Freight from my list",
        "rename Tony's to Tony's Pizza Napoletana",
        "update the number for Kwik Fix Shoes to 510-555-0166",
        "can you erase Bellwether Books",
    ],
)
def test_an_edit_of_a_named_store_is_a_clarification_that_points_to_the_directory(classify, text):
    result = classify(text)

    assert (result.intent, stores_of(result), result.lookup_query) == (Intent.CLARIFICATION, [], None)
    assert result.reply_hint == HINT_EDIT_BY_CHAT


@pytest.mark.parametrize(
    ("text", "stores"),
    [
        ("change it to 415-555-0199", [(None, "415-555-0199")]),
        ("rename it to Costco Business Center", [("Costco Business Center", None)]),
        ("change the name to Back to Basics Books", [("Back to Basics Books", None)]),
    ],
)
def test_changing_the_store_in_hand_is_still_a_correction(classify, text, stores):
    result = classify(text)

    assert (result.intent, stores_of(result), result.is_correction) == (Intent.SAVE, stores, True)


def test_removing_something_from_another_list_is_no_edit_of_a_store(classify):
    assert classify("remove fries from my shopping list").intent == Intent.OFF_SCOPE


def test_the_reply_in_python_points_to_the_directory_page(classify):
    result = classify("remove Dollar Tree")

    reply = phrase_reply([], TurnBrief(state="IDLE", notes=(Clarify(hint=result.reply_hint),)))

    assert "Directory page" in reply
    assert "Dollar Tree" not in reply
