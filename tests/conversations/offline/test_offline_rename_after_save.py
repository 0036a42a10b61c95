"""Outside a save in progress, "actually call it X" is a name-only correction.

The engine renames the store the previous turn saved (tests/conversations/engine/test_saving_stores.py).
"""

from __future__ import annotations

import pytest

from conversations.models import ConversationState, Intent
from tests.conversations.offline.readings import stores_of


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("actually call it Costco Business Center", "Costco Business Center"),
        ("rename it to Costco Business Center", "Costco Business Center"),
        ("no, call it Costco Business Center", "Costco Business Center"),
        ("rename it Costco Business Center", "Costco Business Center"),
        ("sorry, name it Joe's Pizza instead", "Joe's Pizza"),
        ("please rename that to Rosie's Diner & Bar", "Rosie's Diner & Bar"),
        ("change the name to Back to Basics Books", "Back to Basics Books"),
        ("change its name to Lucky Nails", "Lucky Nails"),
        ("actually the name is Jade Garden Express", "Jade Garden Express"),
        ("I meant Sal's Famous Pizzeria", "Sal's Famous Pizzeria"),
        ("oops, it should be Hilltop Vet Clinic", "Hilltop Vet Clinic"),
        ("wait, it's called Marlowe's Books", "Marlowe's Books"),
        ("sorry I meant to say Parkside Dental", "Parkside Dental"),
        ("make that Riverside Auto Body", "Riverside Auto Body"),
        ("can you call it Target instead", "Target"),
    ],
)
def test_a_new_name_after_a_save_is_a_name_only_correction(classify, text, name):
    result = classify(text, state=ConversationState.IDLE)

    assert (result.intent, stores_of(result), result.is_correction) == (Intent.SAVE, [(name, None)], True)


def test_a_new_name_after_an_off_scope_warning_is_read_the_same_way(classify):
    result = classify("call it Lucky Nails", state=ConversationState.OFF_SCOPE_WARNED)

    assert (result.intent, stores_of(result), result.is_correction) == (Intent.SAVE, [("Lucky Nails", None)], True)


def test_naming_the_store_being_collected_fills_the_gap_without_a_correction(classify):
    result = classify(
        "call it Trader Joe's",
        state=ConversationState.COLLECTING_SAVE_INFO,
        pending={"name": None, "phone": "+16505550134"},
    )

    assert (result.intent, stores_of(result), result.is_correction) == (Intent.SAVE, [("Trader Joe's", None)], False)


@pytest.mark.parametrize(
    ("text", "query"), [("call Costco", "Costco"), ("call Costco Business Center please", "Costco Business Center")]
)
def test_call_without_it_is_still_a_lookup(classify, text, query):
    result = classify(text)

    assert (result.intent, result.lookup_query) == (Intent.RETRIEVE_BY_NAME, query)


@pytest.mark.parametrize(
    "text", ["rename it", "call it", "let's call it a day", "call it quits", "I meant to ask what you can do"]
)
def test_a_rename_without_a_new_name_renames_nothing(classify, text):
    result = classify(text)

    assert result.intent != Intent.SAVE
    assert not result.is_correction
    assert stores_of(result) == []
