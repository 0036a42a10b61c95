"""Several stores in one message, and saves mixed with a lookup, keep every store in message order."""

from __future__ import annotations

import pytest

from conversations.models import Intent
from tests.conversations.offline.readings import stores_of


@pytest.mark.parametrize(
    ("text", "stores"),
    [
        (
            "Save Costco 650-555-0101 and Target 651-555-0188",
            [("Costco", "650-555-0101"), ("Target", "651-555-0188")],
        ),
        (
            "add Safeway 415-555-0150, Whole Foods 415-555-0151 and Rainbow Grocery 415-555-0152",
            [("Safeway", "415-555-0150"), ("Whole Foods", "415-555-0151"), ("Rainbow Grocery", "415-555-0152")],
        ),
        (
            "save 650-555-0101 for Costco and 651-555-0188 for Target",
            [("Costco", "650-555-0101"), ("Target", "651-555-0188")],
        ),
        (
            "Barnes and Noble 212-555-0171, Strand Books 212-555-0172",
            [("Barnes and Noble", "212-555-0171"), ("Strand Books", "212-555-0172")],
        ),
        (
            "Costco 650-555-0101\nTarget 651-555-0188",
            [("Costco", "650-555-0101"), ("Target", "651-555-0188")],
        ),
        (
            "add Bob's Deli 555-0198 and Ace Hardware 415-555-0198",
            [("Bob's Deli", "555-0198"), ("Ace Hardware", "415-555-0198")],
        ),
        (
            "Save Costco 650-555-0101 and Target",
            [("Costco", "650-555-0101"), ("Target", None)],
        ),
    ],
)
def test_multi_save_pairs_each_name_with_its_own_number(classify, text, stores):
    result = classify(text)

    assert result.intent == Intent.MULTI_SAVE
    assert stores_of(result) == stores


def test_a_save_and_a_lookup_by_name_are_a_multi_operation(classify):
    result = classify("save Costco 650-555-0101 and what's the number for Target?")

    assert result.intent == Intent.MULTI_OPERATION
    assert stores_of(result) == [("Costco", "650-555-0101")]
    assert result.lookup_query == "Target"


def test_a_lookup_before_the_save_is_a_multi_operation_too(classify):
    result = classify("what's the number for costco and save Target 651-555-0188")

    assert result.intent == Intent.MULTI_OPERATION
    assert stores_of(result) == [("Target", "651-555-0188")]
    assert result.lookup_query == "costco"


def test_a_save_and_a_reverse_lookup_are_a_multi_operation_with_the_digits(classify):
    result = classify("save Walgreens 415-555-0165 and whose number is 415-555-0198?")

    assert result.intent == Intent.MULTI_OPERATION
    assert stores_of(result) == [("Walgreens", "415-555-0165")]
    assert result.phone_digits == "+14155550198"


def test_a_store_name_containing_and_is_not_cut_in_two(classify):
    result = classify("save Bed Bath and Beyond 415-555-0142")

    assert stores_of(result) == [("Bed Bath and Beyond", "415-555-0142")]
