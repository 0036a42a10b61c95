"""Lookups give the store name to search for, or the digits of the number to identify."""

from __future__ import annotations

import pytest

from conversations.models import Intent


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("What's the number for Costco?", "Costco"),
        ("What's the number for costco?", "costco"),
        ("phone number for acme hardwre please", "acme hardwre"),
        ("wats the nubmer for target", "target"),
        ("whats costco's number", "costco"),
        ("how do I call Joe's Pizza?", "Joe's Pizza"),
        ("What is Le Bon Marché's phone number?", "Le Bon Marché"),
        ("do I have Trader Joe's saved?", "Trader Joe's"),
        ("look up Lucky Nails", "Lucky Nails"),
        ("Target phone number", "Target"),
        ("can I get costco's #", "costco"),
        ("can you find the number of that Thai place, Kin Khao", "Kin Khao"),
        ("number for costco pls 🙏", "costco"),
    ],
)
def test_lookup_by_name_gives_the_store_name_without_the_question_around_it(classify, text, query):
    result = classify(text)

    assert result.intent == Intent.RETRIEVE_BY_NAME
    assert result.lookup_query == query
    assert result.stores == []


@pytest.mark.parametrize(
    ("text", "region", "digits"),
    [
        ("whose number is 415-555-0198?", "US", "+14155550198"),
        ("which store has a number ending in 0198", "US", "0198"),
        ("who has 651 555 0188?", "US", "+16515550188"),
        ("is 415-555-0198 saved?", "US", "+14155550198"),
        ("whose is 020 7946 0958", "GB", "+442079460958"),
        ("Do I have 1-800-FLOWERS saved?", "US", "+18003569377"),
        ("find the store with number 555-0198", "US", "5550198"),
        ("last 4 digits 0147, which store?", "US", "0147"),
        ("I got a missed call from 650-555-0101, which store is that?", "US", "+16505550101"),
    ],
)
def test_lookup_by_phone_gives_e164_for_a_whole_number_and_digits_for_part_of_one(classify, text, region, digits):
    result = classify(text, region=region)

    assert result.intent == Intent.RETRIEVE_BY_PHONE
    assert result.phone_digits == digits


def test_a_lookup_of_a_pronoun_is_not_a_lookup(classify):
    assert classify("what's your phone number?").intent == Intent.OFF_SCOPE


def test_asking_for_every_store_is_explained_not_looked_up(classify):
    result = classify("show me all my stores")

    assert result.intent == Intent.CLARIFICATION
    assert "Directory" in (result.reply_hint or "")
