"""Fuzzy name search on PostgreSQL: pg_trgm's ranking, computed for few stores even in a big directory.

A plain statement (pg_trgm's operators through its GIN index, every match
scored) answers a user with a few hundred stores in 2 ms, but a user with
100,000 stores searching "liquor" or "kavro thai kitchen" has thousands of
matches, each read and scored (30 to 80 ms). For a query with a long trigram
list, the search instead reads the per-(owner, trigram) lists of migration
0005 and ranks by a bound:

- A store holding `shared` of the query's `q` trigrams, with `n` of its own,
  has pg_trgm's similarity `shared / (q + n - shared)` exactly, word
  similarity at most `shared / q`, so its score is at most their mean.
- Reading only the shortest lists leaves out stores that lack all of those
  `r` trigrams: they hold at most `q - r`, so they score at most `(q - r) / q`
  and match not at all below 30% of `q`.
- Stores are scored with pg_trgm (word similarity) best bound first, 40 at
  once, then every store whose bound reaches the tenth score found; the answer
  is final when nobody left out can reach it either. Otherwise a second
  statement reads as many lists as that tenth score requires, or, when those
  are long, the plain statement answers.

Same stores, scores and order as the plain statement (tests compare them).
Which lists are long comes from PostgreSQL's statistics on `trigram_keys`
(its most common elements), cached per process: a query none of whose lists
is long there runs the plain statement, which is then cheap.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from directory.forgiving_search import TYPO_MIN_LENGTH, Candidates, letters_dropped
from directory.models import Store
from directory.shop_kinds import words_with_stem
from directory.trigrams import (
    MIN_TRIGRAM_QUERY_LENGTH,
    SIMILARITY_THRESHOLD,
    WORD_SIMILARITY_THRESHOLD,
    min_shared_trigrams,
    prefix_trigram,
    trigram_key,
    trigram_set,
    word_similarity_bound,
)

# Estimated stores in the lists a first statement reads, and in those a second may read. At 8,000,
# typos and names nobody saved mostly needed the second statement too: the bench's heavy user's p95
# was 20 ms against 15 at 14,000 (same queries interleaved, p50 7.2 against 7.6 ms).
FIRST_READ_BUDGET = 14_000
SECOND_READ_BUDGET = 30_000
# Stores scored with pg_trgm first, best bound first.
FIRST_SCORED = 40
LIST_SIZES_MAX_AGE_SECONDS = 300.0

# The statements are compiled once: building and compiling the equivalent queryset
# cost more than running it for a user with 100 stores (1.1 of 2 ms).
_STORE_FIELDS = [field.attname for field in Store._meta.concrete_fields]
_STORE_COLUMNS = ", ".join(f"store.{field.column}" for field in Store._meta.concrete_fields)
# Only placeholders go into the statements; every value is a parameter.
_SEARCH_SELECT = (
    f"SELECT {_STORE_COLUMNS}"  # noqa: S608 - the text is built from model metadata only, never from input
    # pg_trgm's measures are float4; the sum is exact in float8, as SQLite's Python floats compute it.
    ", (SIMILARITY(store.normalized_name, %(needle)s)::float8"
    " + WORD_SIMILARITY(%(needle)s, store.normalized_name)::float8) / 2 AS score"
    f" FROM {Store._meta.db_table} AS store"
    # As bigint: PostgreSQL 15's btree_gin cannot use the trigram index for
    # bigint = integer, and a bare parameter is sent as an integer.
    " WHERE store.user_id = %(user)s::bigint AND store.deleted_at IS NULL"
)
# PostgreSQL's default collation may ignore spaces and punctuation; "C"
# sorts by code point, as SQLite's BINARY (and Python) do.
_SEARCH_ORDER = ' ORDER BY score DESC, store.normalized_name COLLATE "C", store.id LIMIT %(limit)s'
_FUZZY_SEARCH_SQL = (
    _SEARCH_SELECT
    # The operators, not a comparison on the measures, are what the trigram index serves.
    + " AND (store.normalized_name %% %(needle)s OR store.normalized_name %%> %(needle)s)"
    # The operators' thresholds, fixed for this statement (for the rest of the transaction when
    # inside one) whatever the server's configuration says, without a transaction of its own.
    # An uncorrelated subquery in WHERE runs once, as the plan's one-time filter, before any row
    # is read; set_config is parallel-unsafe, so no worker process runs with other thresholds.
    + " AND (SELECT set_config('pg_trgm.similarity_threshold', %(similarity_threshold)s, true)"
    " || set_config('pg_trgm.word_similarity_threshold', %(word_similarity_threshold)s, true)) IS NOT NULL"
    + _SEARCH_ORDER
)
_PREFIX_SEARCH_SQL = (
    _SEARCH_SELECT
    + " AND (store.normalized_name LIKE %(prefix)s OR store.normalized_name LIKE %(inner_prefix)s)"
    + _SEARCH_ORDER
)
# A match: the operators' conditions on the measures, or for a short query a word starting with it.
_MATCHES = (
    "CASE WHEN %(prefix_only)s THEN normalized_name LIKE %(prefix)s OR normalized_name LIKE %(inner_prefix)s"
    " ELSE similarity >= %(similarity_threshold)s::float8"
    " OR word_similarity >= %(word_similarity_threshold)s::float8 END"
)
# Rows: (q, lists read, tenth score found or NULL, store columns, score); one row of NULL stores when none match.
_LISTS_SEARCH_SQL = (
    "WITH query AS MATERIALIZED ("  # noqa: S608 - model metadata and fixed text only, never input
    " SELECT keys, size, icount(keys & %(lists)s::int4[]) AS lists_read FROM ("
    "  SELECT directory_trigram_keys(%(user)s, %(needle)s) AS keys, cardinality(show_trgm(%(needle)s)) AS size"
    " ) AS needle"
    "), candidate AS MATERIALIZED ("
    " SELECT id, normalized_name, similarity,"
    "  (similarity::float8 + (shared::float4 / size::float4)::float8) / 2 AS bound"
    " FROM ("
    "  SELECT id, normalized_name, shared, size,"
    # pg_trgm's CALCSML, in float4 as it computes it.
    "   shared::float4 / (size + name_size - shared)::float4 AS similarity"
    "  FROM ("
    "   SELECT store.id, store.normalized_name, icount(store.trigram_keys & query.keys) AS shared,"
    "    cardinality(store.trigram_keys) AS name_size, query.size"
    f"   FROM {Store._meta.db_table} AS store, query"
    "   WHERE store.trigram_keys && %(lists)s::int4[] AND store.deleted_at IS NULL"
    # + 0: filtered on the rows the lists give; ANDing the user's whole btree range costs more.
    "   AND store.user_id + 0 = %(user)s"
    # OFFSET 0 keeps the subquery whole, so each count is computed once.
    "   OFFSET 0"
    "  ) AS counted"
    " ) AS measured"
    " WHERE %(prefix_only)s OR similarity >= %(similarity_threshold)s::float8"
    "  OR shared::float4 / size::float4 >= %(word_similarity_threshold)s::float8"
    "), first AS MATERIALIZED ("
    " SELECT id, normalized_name, similarity, WORD_SIMILARITY(%(needle)s, normalized_name) AS word_similarity"
    " FROM candidate ORDER BY bound DESC LIMIT %(first_scored)s"
    "), kth AS MATERIALIZED ("
    " SELECT (similarity::float8 + word_similarity::float8) / 2 AS score FROM first"
    f" WHERE {_MATCHES} ORDER BY score DESC LIMIT 1 OFFSET %(limit)s - 1"
    "), scored AS ("
    " SELECT * FROM first UNION ALL"
    " SELECT id, normalized_name, similarity, WORD_SIMILARITY(%(needle)s, normalized_name) FROM candidate"
    " WHERE id NOT IN (SELECT id FROM first) AND bound >= coalesce((SELECT score FROM kth), 0)"
    "), best AS ("
    " SELECT id, normalized_name, (similarity::float8 + word_similarity::float8) / 2 AS score FROM scored"
    f" WHERE {_MATCHES}"
    ' ORDER BY score DESC, normalized_name COLLATE "C", id LIMIT %(limit)s'
    ")"
    f" SELECT query.size, query.lists_read, (SELECT score FROM kth), {_STORE_COLUMNS}, best.score FROM query"
    f" LEFT JOIN (best JOIN {Store._meta.db_table} AS store ON store.id = best.id) ON true"
    ' ORDER BY best.score DESC, best.normalized_name COLLATE "C", best.id'
)

# The forgiving pass's candidates (directory.forgiving_search): the owner's live stores whose
# word keys (migration 0006) meet a boolean query of them, through the intarray GIN index.
_FORGIVING_CANDIDATES_SQL = (
    f"SELECT id, normalized_name FROM {Store._meta.db_table}"  # noqa: S608 - model metadata only, never input
    " WHERE word_keys @@ %(query)s::query_int AND deleted_at IS NULL"
    # + 0: the GIN lists are the owner's own; the user's whole btree range costs more.
    " AND user_id + 0 = %(user)s"
    ' ORDER BY normalized_name COLLATE "C", id LIMIT %(most)s'
)

_list_sizes: dict[str, tuple[float, dict[int, int]]] = {}
_list_sizes_lock = threading.Lock()


def ranked_stores(*, user_id: int, needle: str, limit: int) -> list[tuple[Store, float]]:
    """The user's live stores matching the normalized `needle`, best first, with their scores."""
    parameters: dict[str, Any] = {
        "user": user_id,
        "needle": needle,
        "limit": limit,
        "similarity_threshold": str(SIMILARITY_THRESHOLD),
        "word_similarity_threshold": str(WORD_SIMILARITY_THRESHOLD),
        # normalize_name leaves letters, digits and single spaces: nothing LIKE reads as a wildcard.
        "prefix": f"{needle}%",
        "inner_prefix": f"% {needle}%",
        "prefix_only": len(needle) < MIN_TRIGRAM_QUERY_LENGTH,
        "first_scored": FIRST_SCORED,
    }
    sizes = _sizes_of_lists()
    if parameters["prefix_only"]:
        # Names with a word starting with the needle are those holding its trigram, when pg_trgm
        # reads the needle as one word (ASCII letters and digits) and so computes the same key.
        if needle.isascii() and needle.isalnum():
            key = trigram_key(user_id, prefix_trigram(needle))
            if sizes.get(key, 0):
                rows = _by_lists(parameters, [key])
                if rows[0][1] == 1:
                    return _stores(rows)
        return _plain(_PREFIX_SEARCH_SQL, parameters)
    by_size = sorted((sizes.get(key, 0), key) for key in {trigram_key(user_id, t) for t in trigram_set(needle)})
    if not by_size or not by_size[-1][0]:
        return _plain(_FUZZY_SEARCH_SQL, parameters)
    rows = _by_lists(parameters, _shortest(by_size, FIRST_READ_BUDGET))
    size, lists_read, kth = rows[0][:3]
    if _final(size=size, lists_read=lists_read, kth=kth):
        return _stores(rows)
    # Enough lists that whoever lacks them all scores below the tenth score found (or cannot match).
    needed = size - min_shared_trigrams(size) + 1 if kth is None else min(size, int(size * (1 - kth)) + 1)
    if needed <= len(by_size) and sum(stores for stores, _ in by_size[:needed]) <= SECOND_READ_BUDGET:
        rows = _by_lists(parameters, [key for _, key in by_size[:needed]])
        size, lists_read, kth = rows[0][:3]
        if _final(size=size, lists_read=lists_read, kth=kth):
            return _stores(rows)
    return _plain(_FUZZY_SEARCH_SQL, parameters)


@dataclass(frozen=True)
class WordKeyCandidates:
    """The forgiving pass's candidates (directory.forgiving_search.CandidateStores) from the word keys."""

    user_id: int

    def near_words(self, words: Sequence[str], most: int | None) -> Candidates:
        return self._meeting(" & ".join(self._any_of(near_word_entries(word)) for word in words), most)

    def holding_terms(self, terms: Sequence[str], most: int | None) -> Candidates:
        # Each word of a term as one of the words that stem to it ("tacos" for "taco").
        query = " | ".join(
            "("
            + " & ".join(self._any_of(sorted(f"={form}" for form in words_with_stem(stem))) for stem in term.split())
            + ")"
            for term in terms
        )
        return self._meeting(query, most)

    def _any_of(self, entries: Sequence[str]) -> str:
        return "(" + " | ".join(str(name_word_key(self.user_id, entry)) for entry in entries) + ")"

    def _meeting(self, query: str, most: int | None) -> Candidates:
        with connection.cursor() as cursor:
            cursor.execute(_FORGIVING_CANDIDATES_SQL, {"query": query, "user": self.user_id, "most": most})
            return cursor.fetchall()


def name_word_key(owner_id: int, entry: str) -> int:
    """The int4 key PostgreSQL's `directory_name_word_keys()` (migration 0006) stores for an entry of
    a name owned by `owner_id`: "=" and a word of the name, or "-" and the word with a letter dropped."""
    digest = hashlib.md5(f"{owner_id} {entry}".encode(), usedforsecurity=False).digest()
    return int.from_bytes(digest[:4], "big", signed=True)


def near_word_entries(word: str) -> list[str]:
    """The entries of `name_word_key` one of which a name holding `word` holds (up to one edit for a
    word of `TYPO_MIN_LENGTH` letters or more).

    Words one edit apart share an entry: one of them, or one of them with a letter dropped, is the
    other or the other with a letter dropped ("tagret" and "target" both give "taret"). So: the word
    and its letter-dropped forms, each as a name's word (=) and as a name's word with a letter
    dropped (-). A shorter word must be there as typed.
    """
    if len(word) < TYPO_MIN_LENGTH:
        return [f"={word}"]
    return sorted(f"{sign}{form}" for form in {word, *letters_dropped(word)} for sign in "=-")


def list_sizes_forget() -> None:
    """Drop the cached list sizes (tests, or right after a big load and ANALYZE)."""
    with _list_sizes_lock:
        _list_sizes.clear()


def _final(*, size: int, lists_read: int, kth: float | None) -> bool:
    """Whether stores lacking every list read can neither match nor reach the tenth score found."""
    left_out_at_most = size - lists_read
    if left_out_at_most < min_shared_trigrams(size):
        return True
    return kth is not None and kth > word_similarity_bound(shared=left_out_at_most, needle_size=size)


def _shortest(by_size: list[tuple[int, int]], budget: int) -> list[int]:
    """Keys of the shortest lists whose estimated stores add up to `budget` (at least one list)."""
    keys: list[int] = []
    total = 0
    for stores, key in by_size:
        if keys and total + stores > budget:
            break
        keys.append(key)
        total += stores
    return keys


def _by_lists(parameters: dict[str, Any], lists: list[int]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(_LISTS_SEARCH_SQL, {**parameters, "lists": lists})
        return cursor.fetchall()


def _stores(rows: list[tuple[Any, ...]], *, first_column: int = 3) -> list[tuple[Store, float]]:
    """(store, score) of rows holding the store's columns from `first_column` on, then the score.

    The lists statement's rows start with three figures of the query and hold no store when none matched.
    """
    db = connection.alias
    return [
        (Store.from_db(db, _STORE_FIELDS, row[first_column:-1]), row[-1])
        for row in rows
        if row[first_column] is not None
    ]


def _plain(sql: str, parameters: dict[str, Any]) -> list[tuple[Store, float]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, parameters)
        return _stores(cursor.fetchall(), first_column=0)


def _sizes_of_lists() -> dict[int, int]:
    """Estimated stores of the longest (owner, trigram) lists, from PostgreSQL's statistics; cached."""
    now = time.monotonic()
    cached = _list_sizes.get(connection.alias)
    if cached and now - cached[0] < LIST_SIZES_MAX_AGE_SECONDS:
        return cached[1]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT stats.most_common_elems::text::int4[], stats.most_common_elem_freqs, class.reltuples"
            " FROM pg_stats AS stats JOIN pg_class AS class ON class.oid = %s::regclass"
            " WHERE stats.schemaname = current_schema() AND stats.tablename = %s AND stats.attname = 'trigram_keys'",
            [Store._meta.db_table, Store._meta.db_table],
        )
        row = cursor.fetchone()
    sizes: dict[int, int] = {}
    if row and row[0]:
        keys, frequencies, rows = row
        # The frequencies list ends with three summary figures; zip stops at the keys.
        sizes = {key: max(1, round(frequency * rows)) for key, frequency in zip(keys, frequencies, strict=False)}
    with _list_sizes_lock:
        _list_sizes[connection.alias] = (now, sizes)
    return sizes
