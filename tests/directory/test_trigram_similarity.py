"""similarity() and word_similarity() compute exactly what PostgreSQL's pg_trgm computes."""

from __future__ import annotations

import random
import struct

import pytest
from django.db import connection

from directory.trigrams import similarity, word_similarity


def float4(value):
    return struct.unpack("f", struct.pack("f", value))[0]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        # The example of the pg_trgm documentation first.
        ("word", "two words", float4(4 / 11)),
        ("costco", "costco wholesale", float4(7 / 17)),
        ("acme hardwre", "acme hardware", float4(11 / 16)),
        ("Costco", "COSTCO", 1.0),
        ("a-b", "a b", 1.0),
        ("", "costco", 0.0),
        ("!!", "costco", 0.0),
        ("xyz", "costco", 0.0),
    ],
)
def test_similarity_is_shared_trigrams_over_all_trigrams(a, b, expected):
    assert similarity(a, b) == expected


@pytest.mark.parametrize(
    ("needle", "haystack", "expected"),
    [
        ("word", "two words", float4(4 / 5)),
        ("cost", "costco wholesale", float4(4 / 5)),
        ("costco", "costco wholesale", 1.0),
        ("wholesale", "costco wholesale", 1.0),
        ("", "costco", 0.0),
        ("costco", "", 0.0),
    ],
)
def test_word_similarity_matches_the_best_extent_of_the_haystack(needle, haystack, expected):
    assert word_similarity(needle, haystack) == expected


def test_null_in_gives_null_out():
    assert similarity(None, "a") is None
    assert word_similarity("a", None) is None


@pytest.mark.django_db
def test_the_functions_are_callable_from_sql_on_every_database():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT CAST(similarity(%s, %s) AS double precision), CAST(word_similarity(%s, %s) AS double precision)",
            ["word", "two words", "word", "two words"],
        )
        row = cursor.fetchone()

    assert row == (float4(4 / 11), float4(4 / 5))


def generated_pairs(count, seed=20):
    rng = random.Random(seed)
    words = ["costco", "wholesale", "acme", "hardware", "trader", "joes", "cost", "co", "a", "7", "o'reilly", "market"]
    alphabet = "abcdeorst ABC-'.&0123éü"

    def text():
        if rng.random() < 0.5:
            return " ".join(rng.choice(words) for _ in range(rng.randint(0, 4)))
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 18)))

    return [(text(), text()) for _ in range(count)]


@pytest.mark.postgres
@pytest.mark.django_db
def test_python_and_postgresql_agree_on_hundreds_of_generated_pairs():
    pairs = generated_pairs(500)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT similarity(a, b)::float8, word_similarity(a, b)::float8 "
            "FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS pair(a, b, n) ORDER BY n",
            [[a for a, _ in pairs], [b for _, b in pairs]],
        )
        from_postgresql = cursor.fetchall()

    from_python = [(similarity(a, b), word_similarity(a, b)) for a, b in pairs]

    assert from_python == [tuple(row) for row in from_postgresql]
