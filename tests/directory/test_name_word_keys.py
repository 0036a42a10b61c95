"""On PostgreSQL the forgiving pass finds names through their word keys (migration 0006).

Each name's words, and each word of five letters or more with a letter
dropped, are stored as per-owner keys; a mistyped word asks for its own and
its letter-dropped forms' keys. Python and PostgreSQL must compute the same
keys, and a word one edit away from the query's must share one.
"""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from directory.forgiving_search import TYPO_MIN_LENGTH, letters_dropped, within_one_edit
from directory.postgres_search import name_word_key, near_word_entries
from directory.services import store_save
from directory.trigrams import normalize_name

LETTERS = "abcdeknorst"


def name_entries(name: str) -> set[str]:
    """What a folded name holds, as the migration's function reads it."""
    words = name.split()
    return {f"={word}" for word in words} | {
        f"-{form}" for word in words if len(word) >= TYPO_MIN_LENGTH for form in letters_dropped(word)
    }


@st.composite
def one_edit(draw: st.DrawFn) -> tuple[str, str]:
    """A word of five letters or more and the same word with a letter dropped, added, changed or swapped."""
    word = draw(st.text(alphabet=LETTERS, min_size=TYPO_MIN_LENGTH, max_size=10))
    at = draw(st.integers(min_value=0, max_value=len(word) - 1))
    letter = draw(st.sampled_from(LETTERS))
    edited = draw(
        st.sampled_from(
            [
                word[:at] + word[at + 1 :],
                word[:at] + letter + word[at:],
                word[:at] + letter + word[at + 1 :],
                word[: at - 1] + word[at] + word[at - 1] + word[at + 1 :] if at else word,
            ]
        )
    )
    return word, edited


@given(one_edit())
def test_a_word_one_edit_away_shares_an_entry_with_the_query_word(pair):
    typed, saved = pair
    assert within_one_edit(typed, saved)
    assert set(near_word_entries(typed)) & name_entries(saved), pair


def test_a_short_word_is_asked_for_as_typed():
    assert near_word_entries("taco") == ["=taco"]
    assert not set(near_word_entries("taco")) & name_entries("tacos")


@pytest.mark.postgres
@pytest.mark.django_db
def test_python_and_postgresql_compute_the_same_word_keys(user):
    names = ["Joe's Pizza #12", "Kavro Thai Kitchen Downtown", "a", "7 11", "Café Olé Marina", "Tarrget"]
    for number, name in enumerate(names):
        store = store_save(user=user, store_name=name, phone=f"415-555-01{number:02d}").store
        with connection.cursor() as cursor:
            cursor.execute("SELECT word_keys FROM directory_store WHERE id = %s", [store.pk])
            [stored] = cursor.fetchone()
        expected = sorted({name_word_key(user.pk, entry) for entry in name_entries(normalize_name(name))})
        assert stored == expected, name
    with connection.cursor() as cursor:
        # Owner ids past 2^31 too.
        cursor.execute("SELECT directory_name_word_keys(%s, %s)", [3_000_000_123, "kavro liquor"])
        [stored] = cursor.fetchone()
    assert stored == sorted({name_word_key(3_000_000_123, entry) for entry in name_entries("kavro liquor")})
