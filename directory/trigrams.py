"""Store-name folding and pg_trgm's trigram arithmetic (similarity, word similarity, keys), in Python.

`similarity` and `word_similarity` compute exactly what PostgreSQL's pg_trgm
computes (contrib/pg_trgm/trgm_op.c), down to its float4 arithmetic, so that
SQLite, where they are registered as SQL functions, ranks search results the
same way PostgreSQL does. No Django models are imported here.
"""

from __future__ import annotations

import functools
import math
import re
import struct
import unicodedata
from typing import Any

# pg_trgm's defaults, set explicitly so PostgreSQL and SQLite agree whatever
# the server's configuration says.
SIMILARITY_THRESHOLD = 0.3
WORD_SIMILARITY_THRESHOLD = 0.6
# Shorter queries have too few trigrams to match anything; they match by prefix.
MIN_TRIGRAM_QUERY_LENGTH = 3

# pg_trgm pads every word with two blanks before and one after.
_LEFT_PADDING = "  "
_RIGHT_PADDING = " "

# A maximal run of alphanumeric characters: what pg_trgm calls a word;
# everything else (underscore included) separates words.
_WORD = re.compile(r"[^\W_]+")

# Dropped rather than turned into a space, so "Joe's" and "Joes" meet.
_APOSTROPHES = frozenset("'\u2019\u2018`\u00b4\u02bc")


def normalize_name(name: str) -> str:
    """Fold a store name to what fuzzy search compares.

    Case, accents and punctuation are folded and whitespace collapsed, so
    "Trader Joe's", "TRADER JOES" and "trader joe\u2019s" (curly apostrophe) all give "trader joes".
    Apostrophes join their word ("joe's" → "joes"); other punctuation splits
    words ("Ace-Hardware" → "ace hardware").
    """
    decomposed = unicodedata.normalize("NFKD", name).casefold()
    kept: list[str] = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if category == "Mn" or ch in _APOSTROPHES:
            continue
        kept.append(ch if ch.isalnum() else " ")
    return " ".join("".join(kept).split())


def similarity(a: str | None, b: str | None) -> float | None:
    """pg_trgm `similarity(a, b)`: shared trigrams over all trigrams of both strings."""
    if a is None or b is None:
        return None
    trigrams_a = _trigram_set(a)
    trigrams_b = _trigram_set(b)
    if not trigrams_a or not trigrams_b:
        return 0.0
    shared = len(trigrams_a & trigrams_b)
    return _ratio(shared, len(trigrams_a), len(trigrams_b))


def word_similarity(needle: str | None, haystack: str | None) -> float | None:
    """pg_trgm `word_similarity(needle, haystack)`: how well `needle` matches the best
    continuous extent of `haystack` ("cost" against "costco wholesale" gives 0.8).

    A port of `calc_word_similarity`/`iterate_word_similarity` in trgm_op.c:
    the haystack keeps its trigrams in order, and an extent grows to the right
    over trigrams the needle shares and shrinks from the left while that raises
    the score.
    """
    if needle is None or haystack is None:
        return None
    needle_trigrams = _trigram_set(needle)
    haystack_trigrams = _trigrams(haystack)
    if needle_trigrams.isdisjoint(haystack_trigrams):
        return 0.0
    ids: dict[str, int] = {}
    positions = [ids.setdefault(trigram, len(ids)) for trigram in haystack_trigrams]
    in_needle = [False] * len(ids)
    for trigram, trigram_id in ids.items():
        in_needle[trigram_id] = trigram in needle_trigrams
    return _best_extent_similarity(positions, in_needle, len(needle_trigrams))


def trigram_set(text: str) -> frozenset[str]:
    """pg_trgm's trigrams of `text`: each word lower-cased, padded with two blanks before and one after."""
    return _trigram_set(text)


def trigrams_in_order(text: str) -> tuple[str, ...]:
    """pg_trgm's trigrams of `text` in the order they occur, repeats kept: "cat" gives "  c", " ca", "cat", "at "."""
    return _trigrams(text)


def word_similarity_bound(*, shared: int, needle_size: int) -> float:
    """The most `word_similarity(needle, haystack)` can be when the haystack holds `shared` of the
    needle's `needle_size` trigrams: a perfect extent of just those (float4, as the measure itself)."""
    return _ratio(shared, needle_size, shared)


def min_shared_trigrams(needle_size: int) -> int:
    """The fewest of a query's `needle_size` trigrams a name must hold to match it: similarity
    0.3 needs 30% of them (the name's own trigrams only add to the union), word similarity 0.6 needs 60%."""
    return max(1, math.ceil(SIMILARITY_THRESHOLD * needle_size - 1e-6))


def prefix_trigram(needle: str) -> str:
    """The trigram a name holds exactly when one of its words starts with a one- or two-character
    `needle` ("co" gives " co", "j" gives "  j")."""
    return (" " if len(needle) == 2 else _LEFT_PADDING) + needle


def trigram_key(owner_id: int, trigram: str) -> int:
    """The int4 key PostgreSQL's `directory_trigram_keys()` (migration 0005) stores for an ASCII
    `trigram` of a name owned by `owner_id`: one to one with the trigram for a given owner."""
    code = (ord(trigram[0]) << 16) | (ord(trigram[1]) << 8) | ord(trigram[2])
    return ((owner_id % 2**31) * 2654435761 + code * 40503) % 2**32 - 2**31


def register_sqlite_functions(connection: Any) -> None:
    """Make `similarity()` and `word_similarity()` callable from SQL on a sqlite3 connection."""
    connection.create_function("similarity", 2, similarity, deterministic=True)
    connection.create_function("word_similarity", 2, word_similarity, deterministic=True)


def _trigrams(text: str) -> tuple[str, ...]:
    """Trigrams of each padded, lower-cased word, in order, duplicates kept."""
    found: list[str] = []
    for word in _WORD.findall(text):
        padded = f"{_LEFT_PADDING}{word.lower()}{_RIGHT_PADDING}"
        found.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return tuple(found)


@functools.lru_cache(maxsize=256)
def _trigram_set(text: str) -> frozenset[str]:
    # Cached: a search compares one query with every name, so the query's
    # trigrams would otherwise be rebuilt once a row.
    return frozenset(_trigrams(text))


def _best_extent_similarity(positions: list[int], in_needle: list[bool], needle_size: int) -> float:
    last_seen = [-1] * len(in_needle)
    lower = -1
    extent_size = 0
    shared = 0
    best = 0.0
    for upper, trigram_id in enumerate(positions):
        if lower >= 0 or in_needle[trigram_id]:
            if last_seen[trigram_id] < 0:
                extent_size += 1
                if in_needle[trigram_id]:
                    shared += 1
            last_seen[trigram_id] = upper
        if not in_needle[trigram_id]:
            continue
        if lower == -1:
            lower = upper
            extent_size = 1
        current = _ratio(shared, needle_size, extent_size)
        # Try every later start for the extent ending here; keep the best.
        trial_shared, trial_size, previous_lower = shared, extent_size, lower
        for trial_lower in range(lower, upper + 1):
            trial = _ratio(trial_shared, needle_size, trial_size)
            if trial > current:
                current, extent_size, lower, shared = trial, trial_size, trial_lower, trial_shared
            dropped = positions[trial_lower]
            if last_seen[dropped] == trial_lower:
                trial_size -= 1
                if in_needle[dropped]:
                    trial_shared -= 1
        best = max(best, current)
        for forgotten in range(previous_lower, lower):
            if last_seen[positions[forgotten]] == forgotten:
                last_seen[positions[forgotten]] = -1
    return best


def _ratio(shared: int, size_a: int, size_b: int) -> float:
    """pg_trgm's CALCSML, `shared / (|A| + |B| - shared)`, rounded to float4 as PostgreSQL returns it."""
    return _as_float4(shared / (size_a + size_b - shared))


def _as_float4(value: float) -> float:
    return float(struct.unpack("f", struct.pack("f", value))[0])
