"""Search that forgives like a person: one mistyped letter, or a kind of shop instead of a name.

Runs on SQLite and, with DATABASE_URL, on PostgreSQL: the same stores in the same order on both.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from directory.forgiving_search import KIND_SCORE, TYPO_SCORE, forgiving_score, within_one_edit
from directory.selectors import store_search_by_name
from directory.shop_kinds import word_stem, words_with_stem
from tests.factories import StoreFactory

DIRECTORY = [
    "Target",
    "Safeway Market",
    "Costco",
    "Walgreens",
    "La Taqueria",
    "Bayview Animal Clinic",
    "Supercuts",
    "CVS Pharmacy",
    "Tony's Pizzeria",
    "Blue Bottle Coffee",
    "Bernal Dry Cleaners",
    "Ace Hardware",
    "Green Thumb Nursery",
    "Catering by Carla",
    "Shell",
    "Tacos El Gordo",
    "The Coffee Place",
    "Panda Wok",
    "Pho Saigon",
]


@pytest.fixture
def directory(user, other_user):
    StoreFactory.create(user=user, store_name="Targat Outlet", deleted_at=timezone.now())
    for owner, store_names in ((user, DIRECTORY), (other_user, ["Targit", "Mission Vet"])):
        for name in store_names:
            StoreFactory.create(user=owner, store_name=name)
    return user


def names(user, query):
    return [match.store.store_name for match in store_search_by_name(user=user, query=query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("targte", "Target"),  # two neighbours swapped
        ("tagret", "Target"),
        ("targt", "Target"),  # a letter dropped
        ("tarrget", "Target"),  # a letter added
        ("safway", "Safeway Market"),
        ("costko", "Costco"),  # a letter changed
        ("walgreen", "Walgreens"),
        ("wlagreens", "Walgreens"),
        ("supercust", "Supercuts"),
        ("safeway markte", "Safeway Market"),  # every word up to one edit
    ],
)
def test_one_edit_of_a_word_finds_the_store_first(directory, query, expected):
    assert names(directory, query)[0] == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("the taco place", ["La Taqueria", "Tacos El Gordo"]),
        ("taco place", ["La Taqueria", "Tacos El Gordo"]),
        ("mexican", ["La Taqueria", "Tacos El Gordo"]),
        ("my vet", ["Bayview Animal Clinic"]),
        ("the veterinarian", ["Bayview Animal Clinic"]),
        ("hair place", ["Supercuts"]),
        ("the barber", ["Supercuts"]),
        ("the pharmacy", ["CVS Pharmacy", "Walgreens"]),
        ("my chemist", ["CVS Pharmacy", "Walgreens"]),
        ("drugstore", ["CVS Pharmacy", "Walgreens"]),
        ("the pizza place", ["Tony's Pizzeria"]),
        ("dry cleaners", ["Bernal Dry Cleaners"]),
        ("the laundry", ["Bernal Dry Cleaners"]),
        ("the chinese takeout place", ["Panda Wok"]),  # "takeout" names no kind; "wok" is a Chinese name word
        ("vietnamese", ["Pho Saigon"]),
        ("my doctor", []),  # an animal clinic is not a doctor's
        ("hardware store", ["Ace Hardware"]),
        ("garden centre", []),  # not in the vocabulary as spelled
        ("plant nursery", ["Green Thumb Nursery"]),
        ("gas station", ["Shell"]),
        ("the grocery", ["Safeway Market"]),
        ("supermarket", ["Safeway Market"]),
    ],
)
def test_a_kind_of_shop_finds_the_stores_of_that_kind(directory, query, expected):
    assert names(directory, query)[: len(expected)] == expected
    assert set(names(directory, query)) >= set(expected)


def test_a_name_holding_the_word_as_typed_ranks_before_a_kind_match(directory):
    matches = store_search_by_name(user=directory, query="tacos")
    assert [match.store.store_name for match in matches] == ["Tacos El Gordo", "La Taqueria"]
    assert matches[0].score > KIND_SCORE == matches[1].score


def test_kind_words_match_whole_words_not_parts_of_words(directory):
    # "cat" is no kind; "bar" is, and must not find "Catering by Carla" or "Supercuts" through "bar" inside them.
    assert "Catering by Carla" not in names(directory, "the bar")
    assert names(directory, "the bar") == []


def test_coffee_finds_the_kind_and_the_name(directory):
    assert names(directory, "my coffee place") == ["The Coffee Place", "Blue Bottle Coffee"]


@pytest.mark.parametrize("query", ["the", "my", "place", "the place", "my shop", "the store"])
def test_filler_words_alone_find_nothing(directory, query):
    assert names(directory, query) == []


@pytest.mark.parametrize("query", ["zorblax", "the zorblax place", "quantum physics"])
def test_an_unrelated_query_still_finds_nothing(directory, query):
    assert names(directory, query) == []


def test_a_typo_does_not_rank_unrelated_stores_above_the_right_one(directory):
    matches = store_search_by_name(user=directory, query="tagret")
    assert matches[0].store.store_name == "Target"
    assert matches[0].score == TYPO_SCORE
    assert all(match.score <= TYPO_SCORE for match in matches[1:])


def test_a_correctly_typed_name_is_not_padded_with_look_alikes(user):
    for name in ("Costco", "Costo Pizza"):
        StoreFactory.create(user=user, store_name=name)
    assert names(user, "costco") == ["Costco"]


def test_short_words_must_match_as_typed():
    assert forgiving_score("bar nine", typo_words=["bat", "nine"], kind_terms=frozenset()) == 0.0
    assert forgiving_score("bar nine", typo_words=["bar", "nien"], kind_terms=frozenset()) == 0.0
    assert forgiving_score("bar nine", typo_words=["bar", "niine"], kind_terms=frozenset()) == TYPO_SCORE


def test_forgiving_matches_stay_with_their_owner(directory, other_user):
    assert "Targit" not in names(directory, "targte")
    assert "Mission Vet" not in names(directory, "my vet")
    assert names(other_user, "targte") == ["Targit"]
    assert names(other_user, "my vet") == ["Mission Vet"]


def test_deleted_stores_are_not_forgiven_into_the_results(directory):
    assert "Targat Outlet" not in names(directory, "targte")


def test_the_limit_holds_with_forgiving_matches(directory):
    assert len(store_search_by_name(user=directory, query="the pharmacy", limit=1)) == 1


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("target", "target", True),
        ("targte", "target", True),
        ("targt", "target", True),
        ("tarrget", "target", True),
        ("tarbet", "target", True),
        ("tagret", "target", True),
        ("tagrte", "target", False),  # two swaps
        ("abc", "bca", False),
        ("walgreen", "walgreens", True),
        ("safway", "safeway", True),
        ("safwy", "safeway", False),
    ],
)
def test_one_edit_means_one_letter_dropped_added_changed_or_two_swapped(a, b, expected):
    assert within_one_edit(a, b) is expected
    assert within_one_edit(b, a) is expected


def test_a_kind_is_found_past_names_holding_its_letters_inside_other_words(user):
    # The first four by name hold "gas" inside "vegas" only (SQLite's trigram table offers them): no gas station.
    for name in ("A Vegas", "B Vegas", "C Vegas", "D Vegas", "Zed Gas"):
        StoreFactory.create(user=user, store_name=name)
    assert names(user, "the gas station") == ["Zed Gas"]
    assert [match.store.store_name for match in store_search_by_name(user=user, query="petrol", limit=1)] == ["Zed Gas"]


def test_a_typo_is_found_past_candidates_that_are_two_edits_away(user):
    # "tgrext" and "tagret" give "tgret" with a letter dropped, so PostgreSQL's word keys offer
    # the first 45 names by name, none a typo of "tagret": the pass reads on to the one that is.
    for number in range(45):
        StoreFactory.create(user=user, store_name=f"Tgrext {number:02d}")
    StoreFactory.create(user=user, store_name="Zed Target")
    assert names(user, "tagret") == ["Zed Target"]


@pytest.mark.parametrize(
    ("stem", "words"),
    [
        ("taco", {"taco", "tacos"}),
        ("pharmacy", {"pharmacy", "pharmacys", "pharmacies"}),
        ("glass", {"glass", "glasses"}),
        ("gas", {"gas"}),
        ("bp", {"bp"}),
    ],
)
def test_a_kind_word_is_asked_for_in_every_form_that_stems_to_it(stem, words):
    assert words_with_stem(stem) == words


@given(st.text(alphabet="aeilsy", min_size=1, max_size=8))
def test_every_word_is_a_form_of_its_stem(word):
    assert word in words_with_stem(word_stem(word))
