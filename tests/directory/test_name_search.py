"""Fuzzy search by store name: the same ranked results on SQLite and PostgreSQL."""

from __future__ import annotations

import struct

import pytest
from django.db import connection
from django.utils import timezone

from directory.selectors import store_search_by_name
from tests.factories import StoreFactory

DIRECTORY = [
    "Costco Wholesale",
    "Costco Gas",
    "ACME Hardware",
    "Acme Hardware Oakland",
    "Ace Hardware",
    "Trader Joe's",
    "Whole Foods Market",
    "Costa Coffee",
    "Joe's Pizza",
    "Café Olé",
    "Target",
    "Cost Plus World Market",
]


@pytest.fixture
def directory(user, other_user):
    for name in DIRECTORY:
        StoreFactory.create(user=user, store_name=name)
    StoreFactory.create(user=user, store_name="Costco Business Center", deleted_at=timezone.now())
    StoreFactory.create(user=other_user, store_name="Costco")
    StoreFactory.create(user=other_user, store_name="ACME Hardware")
    return user


def float4(value):
    return struct.unpack("f", struct.pack("f", value))[0]


def names(matches):
    return [match.store.store_name for match in matches]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("costco", ["Costco Gas", "Costco Wholesale"]),
        ("acme hardwre", ["ACME Hardware", "Acme Hardware Oakland", "Ace Hardware"]),
        ("cost", ["Cost Plus World Market", "Costa Coffee", "Costco Gas", "Costco Wholesale"]),
        ("trader joes", ["Trader Joe's"]),
        ("Trader Joe\u2019s", ["Trader Joe's"]),  # a curly apostrophe, as phones type it
        ("joes", ["Joe's Pizza", "Trader Joe's"]),
        ("CAFE OLE", ["Café Olé"]),
        ("hardware", ["Ace Hardware", "ACME Hardware", "Acme Hardware Oakland"]),
        ("whole", ["Whole Foods Market", "Costco Wholesale"]),
        ("pizza joe", ["Joe's Pizza"]),
        ("target", ["Target"]),
        ("zzzz", []),
    ],
)
def test_fuzzy_search_ranks_best_match_first(directory, query, expected):
    assert names(store_search_by_name(user=directory, query=query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("co", ["Costco Gas", "Costco Wholesale", "Costa Coffee", "Cost Plus World Market"]),
        ("j", ["Joe's Pizza", "Trader Joe's"]),
        ("x", []),
    ],
)
def test_queries_under_three_characters_match_word_prefixes(directory, query, expected):
    assert names(store_search_by_name(user=directory, query=query)) == expected


def test_scores_are_pg_trgm_measures_and_identical_across_databases(directory):
    matches = store_search_by_name(user=directory, query="costco")

    # (similarity + word_similarity) / 2, each a float4 as pg_trgm returns it:
    # "costco gas" is 7/11 similar and contains "costco" whole.
    assert [match.score for match in matches] == [(float4(7 / 11) + 1) / 2, (float4(7 / 17) + 1) / 2]


def test_exact_name_scores_one(directory):
    [match] = store_search_by_name(user=directory, query="Target")

    assert match.score == 1.0


def test_ties_are_broken_by_name_then_id(user):
    first = StoreFactory.create(user=user, store_name="Corner Deli")
    second = StoreFactory.create(user=user, store_name="Corner Deli")
    StoreFactory.create(user=user, store_name="Corner Bakery")

    matches = store_search_by_name(user=user, query="corner")

    assert [match.store.pk for match in matches[:2]] == sorted([first.pk, second.pk])
    assert names(matches) == ["Corner Deli", "Corner Deli", "Corner Bakery"]


def test_limit_caps_the_number_of_matches(directory):
    assert names(store_search_by_name(user=directory, query="cost", limit=2)) == [
        "Cost Plus World Market",
        "Costa Coffee",
    ]


def test_deleted_stores_are_not_found(directory):
    assert "Costco Business Center" not in names(store_search_by_name(user=directory, query="costco business"))


def test_a_query_of_only_punctuation_finds_nothing(directory):
    assert store_search_by_name(user=directory, query=" '!?- ") == []


def test_a_very_long_query_is_searched_not_refused(directory):
    assert names(store_search_by_name(user=directory, query="target " * 200)) == ["Target"]


@pytest.mark.postgres
def test_the_servers_own_thresholds_do_not_change_the_results(directory):
    with connection.cursor() as cursor:
        cursor.execute("SET pg_trgm.similarity_threshold = 0.9")
        cursor.execute("SET pg_trgm.word_similarity_threshold = 0.95")

    assert names(store_search_by_name(user=directory, query="acme hardwre")) == [
        "ACME Hardware",
        "Acme Hardware Oakland",
        "Ace Hardware",
    ]
