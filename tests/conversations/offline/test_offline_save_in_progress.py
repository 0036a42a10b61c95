"""While a save is being collected, a bare reply fills the gap; corrections and cancels are flagged."""

from __future__ import annotations

import pytest

from conversations.models import ConversationState, Intent
from tests.conversations.offline.readings import stores_of

COLLECTING = ConversationState.COLLECTING_SAVE_INFO
NAME_KNOWN = {"name": "Costco", "phone": None}
PHONE_KNOWN = {"name": None, "phone": "+14155550199"}


def test_a_bare_number_fills_the_missing_phone(classify):
    result = classify("415-555-0199", state=COLLECTING, pending=NAME_KNOWN)

    assert (result.intent, stores_of(result), result.is_correction) == (
        Intent.SAVE,
        [(None, "415-555-0199")],
        False,
    )


@pytest.mark.parametrize("text", ["it's Costco", "Costco", "the name is Costco", "call it Costco"])
def test_a_bare_name_fills_the_missing_name(classify, text):
    result = classify(text, state=COLLECTING, pending=PHONE_KNOWN)

    assert (result.intent, stores_of(result), result.is_correction) == (Intent.SAVE, [("Costco", None)], False)


def test_the_pending_action_may_keep_its_stores_in_a_list(classify):
    result = classify("Costco", state=COLLECTING, pending={"stores": [{"name": None, "phone": "+14155550199"}]})

    assert stores_of(result) == [("Costco", None)]


@pytest.mark.parametrize(
    ("text", "store"),
    [
        ("no, it's 415-555-0199", (None, "415-555-0199")),
        ("actually call it Costco Business Center", ("Costco Business Center", None)),
        ("sorry, I meant 650-555-0102", (None, "650-555-0102")),
        ("make that 650-555-0110", (None, "650-555-0110")),
        ("no wait, call it Rosie's Diner & Bar", ("Rosie's Diner & Bar", None)),
    ],
)
def test_a_correction_is_a_save_of_the_new_value_flagged_as_a_correction(classify, text, store):
    result = classify(text, state=COLLECTING, pending=NAME_KNOWN)

    assert (result.intent, stores_of(result), result.is_correction) == (Intent.SAVE, [store], True)


@pytest.mark.parametrize("text", ["never mind", "cancel", "forget it", "nvm", "scratch that", "no don't save it"])
def test_a_cancel_is_a_clarification_flagged_as_a_cancel(classify, text):
    result = classify(text, state=COLLECTING, pending=NAME_KNOWN)

    assert (result.intent, result.is_cancel, result.stores) == (Intent.CLARIFICATION, True, [])


def test_a_cancel_followed_by_a_new_request_carries_both(classify):
    result = classify("never mind, what's the number for Target?", state=COLLECTING, pending=NAME_KNOWN)

    assert (result.intent, result.lookup_query, result.is_cancel) == (Intent.RETRIEVE_BY_NAME, "Target", True)


def test_a_vague_reply_asks_again_for_the_missing_detail(classify):
    result = classify("hmm not sure", state=COLLECTING, pending=NAME_KNOWN)

    assert result.intent == Intent.CLARIFICATION
    assert "phone number of “Costco”" in (result.reply_hint or "")


def test_a_bare_name_outside_a_save_asks_what_to_do_with_it(classify):
    result = classify("costco")

    assert result.intent == Intent.CLARIFICATION
    assert "“costco”" in (result.reply_hint or "")


def test_chatter_during_a_save_is_still_off_scope(classify):
    result = classify("tell me about the history of Rome", state=COLLECTING, pending=NAME_KNOWN)

    assert result.intent == Intent.OFF_SCOPE
