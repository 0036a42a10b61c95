"""Changes of saved stores read by the offline rules: the store as named and its new values, nothing more.

Which saved store is meant, whether the passphrase is needed and what "undo" takes back are the engine's
business (tests/conversations/engine/test_changes_by_chat.py).
"""

from __future__ import annotations

import pytest

from conversations.models import Intent
from tests.conversations.offline.readings import stores_of


@pytest.mark.parametrize(
    ("text", "target", "new_name", "new_phone"),
    [
        ("change Raley's number to 925-555-0133", "Raley", None, "925-555-0133"),
        ("rename Tony's to Tony's Pizza Napoletana", "Tony's", "Tony's Pizza Napoletana", None),
        ("update the number for Kwik Fix Shoes to 510-555-0166", "Kwik Fix Shoes", None, "510-555-0166"),
        ("please change the name of Kimura Sushi to Kimura Sushi Bar", "Kimura Sushi", "Kimura Sushi Bar", None),
        ("Pinecrest Hardware has a new number: 408-555-0177", "Pinecrest Hardware", None, "408-555-0177"),
    ],
)
def test_an_update_names_the_store_and_its_new_value(classify, text, target, new_name, new_phone):
    result = classify(text)

    assert (result.intent, result.target, result.new_name, result.new_phone) == (
        Intent.UPDATE,
        target,
        new_name,
        new_phone,
    )
    assert stores_of(result) == []  # nothing to save


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("remove Dollar Tree", "Dollar Tree"),
        ("delete Harbor Freight from my list", "Harbor Freight"),
        ("can you erase Bellwether Books", "Bellwether Books"),
        ("take Maple Street Bakery off my list", "Maple Street Bakery"),
        ("delete it", None),
        ("remove that one", None),
    ],
)
def test_a_delete_names_the_store_or_leaves_it_to_the_store_in_hand(classify, text, target):
    result = classify(text)

    assert (result.intent, result.target) == (Intent.DELETE, target)


@pytest.mark.parametrize("text", ["undo", "oops, undo that", "put it back", "undo the last change please"])
def test_undo(classify, text):
    assert classify(text).intent == Intent.UNDO


@pytest.mark.parametrize(
    ("text", "stores"),
    [
        ("change it to 415-555-0199", [(None, "415-555-0199")]),
        ("change its number to 415-555-0131", [(None, "415-555-0131")]),
        ("rename it to Costco Business Center", [("Costco Business Center", None)]),
        ("change the name to Back to Basics Books", [("Back to Basics Books", None)]),
    ],
)
def test_changing_the_store_in_hand_is_still_a_correction(classify, text, stores):
    result = classify(text)

    assert (result.intent, stores_of(result), result.is_correction) == (Intent.SAVE, stores, True)


@pytest.mark.parametrize(
    "text",
    [
        "remove fries from my shopping list",
        "undo my last bank transfer",
        "forget it",
        "remove the ads please",
        "delete my account",
    ],
)
def test_look_alikes_are_no_change_of_a_store(classify, text):
    assert classify(text).intent not in {Intent.UPDATE, Intent.DELETE, Intent.UNDO}


@pytest.mark.parametrize(
    ("text", "first", "more"),
    [
        ("numbers for Target and Safeway?", "Target", ["Safeway"]),
        ("what are the numbers for Costco, Trader Joe's and Walgreens", "Costco", ["Trader Joe's", "Walgreens"]),
        ("look up Ace Hardware and Big 5", "Ace Hardware", ["Big 5"]),
        ("phone for Home Depot? and also Lowe's", "Home Depot", ["Lowe's"]),
        ("what's the number for Barnes and Noble", "Barnes and Noble", []),
    ],
)
def test_several_lookups_in_one_message(classify, text, first, more):
    result = classify(text)

    assert (result.intent, result.lookup_query, result.other_lookup_queries) == (Intent.RETRIEVE_BY_NAME, first, more)
