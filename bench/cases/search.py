"""search: fuzzy lookup by name at scale.

PostgreSQL: 1,100,000 stores, 100 for each of 10,000 users plus 100,000 for
one heavy user, loaded with COPY. For the heavy user and for typical users:
`store_search_by_name` against the same SQL written by hand, run alternately
in the same process (target: p95 ≤ 25 ms, ORM over hand-written p50 ≤ 1.3).

SQLite: 10,000 stores for one user through the same selector (target: p95 ≤
50 ms), next to the search it replaced (every store scored in SQL by the
Python trigram functions), which also checks both give the same answers.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, FloatField, Q
from django.db.models.functions import Cast

from accounts.models import User
from bench.data import phone_e164, search_queries, store_names
from bench.progress import say
from bench.results import Result, Summary
from bench.seeding import indexes_rebuilt_after, stores_load, users_create
from directory import postgres_search
from directory.forgiving_search import forgiven_ranking
from directory.models import Store
from directory.selectors import (
    MIN_TRIGRAM_QUERY_LENGTH,
    SIMILARITY_THRESHOLD,
    WORD_SIMILARITY_THRESHOLD,
    TrigramTableCandidates,
    name_search_needle,
    store_search_by_name,
)

LIMIT = 10
P95_TARGET_PG_MS = 25.0
RATIO_TARGET = 1.3
P95_TARGET_SQLITE_MS = 50.0


@dataclass(frozen=True)
class Sizes:
    typical_users: int
    stores_per_typical_user: int
    heavy_user_stores: int
    queries: int
    sqlite_stores: int
    sqlite_baseline_queries: int


FULL = Sizes(
    typical_users=10_000,
    stores_per_typical_user=100,
    heavy_user_stores=100_000,
    queries=200,
    sqlite_stores=10_000,
    sqlite_baseline_queries=20,
)
QUICK = Sizes(
    typical_users=20,
    stores_per_typical_user=10,
    heavy_user_stores=300,
    queries=8,
    sqlite_stores=300,
    sqlite_baseline_queries=3,
)


def run(*, quick: bool) -> list[Result]:
    sizes = QUICK if quick else FULL
    if connection.vendor == "postgresql":
        return _postgresql(sizes)
    return _sqlite(sizes)


# --- PostgreSQL -----------------------------------------------------------------
_HAND_WRITTEN_COLUMNS = (
    "id, user_id, store_name, normalized_name, phone_e164, phone_original, created_at, updated_at, deleted_at, "
    "(similarity(normalized_name, %(q)s)::float8 + word_similarity(%(q)s, normalized_name)::float8) / 2 AS score"
)
_HAND_WRITTEN_ORDER = 'ORDER BY score DESC, normalized_name COLLATE "C", id LIMIT %(limit)s'
HAND_WRITTEN_FUZZY = (
    f"SELECT {_HAND_WRITTEN_COLUMNS} FROM directory_store "
    "WHERE user_id = %(user)s::bigint AND deleted_at IS NULL "
    "AND (normalized_name %% %(q)s OR normalized_name %%> %(q)s) "
    # The operators' thresholds, set for this statement only (the selector does the same).
    "AND (SELECT set_config('pg_trgm.similarity_threshold', %(similarity)s, true) "
    "|| set_config('pg_trgm.word_similarity_threshold', %(word_similarity)s, true)) IS NOT NULL " + _HAND_WRITTEN_ORDER
)
HAND_WRITTEN_PREFIX = (
    f"SELECT {_HAND_WRITTEN_COLUMNS} FROM directory_store "
    "WHERE user_id = %(user)s::bigint AND deleted_at IS NULL "
    "AND (normalized_name LIKE %(prefix)s OR normalized_name LIKE %(inner)s) " + _HAND_WRITTEN_ORDER
)


def hand_written_search(*, user_id: int, query: str, limit: int = LIMIT) -> list[int]:
    """The selector's query, written by hand: the yardstick for the ORM's overhead. Ids, best first.

    One statement, rows as tuples: the least any code can do to get the same rows; then the
    same forgiving pass (typos, kinds of shop), whose statement is raw SQL already.
    """
    needle = name_search_needle(query)
    if not needle:
        return []
    params: dict[str, int | str] = {
        "user": user_id,
        "q": needle,
        "limit": limit,
        "prefix": f"{needle}%",
        "inner": f"% {needle}%",
        "similarity": str(SIMILARITY_THRESHOLD),
        "word_similarity": str(WORD_SIMILARITY_THRESHOLD),
    }
    sql = HAND_WRITTEN_PREFIX if len(needle) < MIN_TRIGRAM_QUERY_LENGTH else HAND_WRITTEN_FUZZY
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = [(row[0], row[3], row[-1]) for row in cursor.fetchall()]
    forgiven = forgiven_ranking(
        needle=needle, found=found, limit=limit, stores=postgres_search.WordKeyCandidates(user_id=user_id)
    )
    return [store_id for store_id, _, _ in (found if forgiven is None else forgiven)]


def _postgresql(sizes: Sizes) -> list[Result]:
    typical_users = users_create(sizes.typical_users, label="typical")
    [heavy] = users_create(1, label="heavy")
    total = sizes.typical_users * sizes.stores_per_typical_user + sizes.heavy_user_stores
    say(f"loading {total:,} stores for {sizes.typical_users + 1:,} users")
    started = time.perf_counter()
    with indexes_rebuilt_after(Store._meta.db_table, rows=total) as rebuild:
        loaded = stores_load(_all_rows(sizes, [user.pk for user in typical_users], heavy.pk))
    seed_seconds = round(time.perf_counter() - started, 1)
    say(f"loaded {loaded:,} stores in {seed_seconds} s (index rebuild {rebuild.get('index_seconds', 0)} s)")

    heavy_names = _names_of(heavy)
    heavy_queries = search_queries(heavy_names, sizes.queries, seed=11)
    rng = random.Random(12)
    typical_sample = rng.sample(typical_users, min(len(typical_users), max(1, sizes.queries // 4)))
    typical_pairs = [
        (user, kind, query)
        for user in typical_sample
        for kind, query in search_queries(_names_of(user), max(1, sizes.queries // len(typical_sample)), seed=user.pk)
    ]
    size = f"{loaded:,} stores, {sizes.typical_users + 1:,} users"
    parameters = {
        "stores": loaded,
        "users": sizes.typical_users + 1,
        "heavy_user_stores": sizes.heavy_user_stores,
        "typical_user_stores": sizes.stores_per_typical_user,
        "limit": LIMIT,
        "seed_seconds": seed_seconds,
        "index_rebuild_seconds": rebuild.get("index_seconds", 0),
    }
    results = []
    for label, pairs in (
        (f"heavy user ({sizes.heavy_user_stores:,} stores)", [(heavy, kind, query) for kind, query in heavy_queries]),
        (f"typical user ({sizes.stores_per_typical_user} stores)", typical_pairs),
    ):
        say(f"searching: {label}, {len(pairs)} queries")
        orm, hand, figures = _measure_against_hand_written(pairs)
        result = Result(
            case="search",
            name=label,
            database="postgresql",
            size=size,
            parameters={**parameters, "queries": len(pairs)},
            timing=orm,
            target=f"p95 ≤ {P95_TARGET_PG_MS:.0f} ms; ratio ≤ {RATIO_TARGET} to hand-written SQL",
            baseline_name="hand-written SQL",
            baseline=hand,
            figures=figures,
        )
        result.met = orm.p95 <= P95_TARGET_PG_MS and (result.ratio or 0) <= RATIO_TARGET
        results.append(result)
    return results


@dataclass
class _Statements:
    """Times of the search SELECT itself (sent, run, rows back), apart from building it in Python."""

    seconds: list[float] = field(default_factory=list)

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if "similarity(" in sql.lower():
                self.seconds.append(time.perf_counter() - started)


def _measure_against_hand_written(pairs: list[tuple[User, str, str]]) -> tuple[Summary, Summary, dict[str, Any]]:
    for user, _, query in pairs[: max(1, len(pairs) // 10)]:  # warm the caches for both
        store_search_by_name(user=user, query=query, limit=LIMIT)
        hand_written_search(user_id=user.pk, query=query)
    times: dict[str, list[float]] = {"orm": [], "hand": []}
    statements = {"orm": _Statements(), "hand": _Statements()}
    by_kind: dict[str, list[float]] = {}
    per_query: dict[str, float] = {}
    for index, (user, kind, query) in enumerate(pairs):
        # Alternate which goes first, so neither always finds the other's pages in cache.
        for which in ("orm", "hand") if index % 2 == 0 else ("hand", "orm"):
            with connection.execute_wrapper(statements[which]):
                started = time.perf_counter()
                if which == "orm":
                    found = [match.store.pk for match in store_search_by_name(user=user, query=query, limit=LIMIT)]
                else:
                    rows = hand_written_search(user_id=user.pk, query=query)
                times[which].append(time.perf_counter() - started)
        by_kind.setdefault(kind, []).append(times["orm"][-1])
        per_query[query] = max(per_query.get(query, 0.0), times["orm"][-1] * 1000)
        if found != rows:
            raise AssertionError(f"The selector and the hand-written SQL disagree on {query!r}.")
    slowest = sorted(per_query.items(), key=lambda item: -item[1])[:3]
    orm_statement, hand_statement = Summary.of(statements["orm"].seconds), Summary.of(statements["hand"].seconds)
    figures = {
        "select_statement_p50_ms": {"orm": orm_statement.p50, "hand_written": hand_statement.p50},
        "select_statement_ratio": round(orm_statement.p50 / hand_statement.p50, 2),
        "p50_ms_by_query_kind": {kind: Summary.of(seconds).p50 for kind, seconds in sorted(by_kind.items())},
        "p95_ms_by_query_kind": {kind: Summary.of(seconds).p95 for kind, seconds in sorted(by_kind.items())},
        "slowest_queries_ms": {query: round(ms, 1) for query, ms in slowest},
    }
    return Summary.of(times["orm"]), Summary.of(times["hand"]), figures


def _all_rows(sizes: Sizes, typical_ids: list[int], heavy_id: int) -> Iterator[tuple[int, str, str]]:
    names = store_names(sizes.stores_per_typical_user * len(typical_ids), seed=1)
    for user_id in typical_ids:
        for n in range(sizes.stores_per_typical_user):
            yield user_id, next(names), phone_e164(n)
    for n, name in enumerate(store_names(sizes.heavy_user_stores, seed=2)):
        yield heavy_id, name, phone_e164(n)


def _names_of(user: User) -> list[str]:
    return list(Store.objects.filter(user=user).values_list("store_name", flat=True))


# --- SQLite ---------------------------------------------------------------------
def _sqlite(sizes: Sizes) -> list[Result]:
    [user] = users_create(1, label="sqlite")
    say(f"loading {sizes.sqlite_stores:,} stores for one user")
    loaded = stores_load(
        (user.pk, name, phone_e164(n)) for n, name in enumerate(store_names(sizes.sqlite_stores, seed=3))
    )
    kinds_and_queries = search_queries(_names_of(user), sizes.queries, seed=13)
    queries = [query for _, query in kinds_and_queries]
    for query in queries[: max(1, len(queries) // 10)]:
        store_search_by_name(user=user, query=query, limit=LIMIT)
    times = []
    by_kind: dict[str, list[float]] = {}
    for kind, query in kinds_and_queries:
        started = time.perf_counter()
        store_search_by_name(user=user, query=query, limit=LIMIT)
        times.append(time.perf_counter() - started)
        by_kind.setdefault(kind, []).append(times[-1])
    say(f"the search it replaced, on {sizes.sqlite_baseline_queries} queries")
    before_times = []
    same = True
    for query in queries[: sizes.sqlite_baseline_queries]:
        started = time.perf_counter()
        before = _search_scoring_every_store(user=user, query=query)
        before_times.append(time.perf_counter() - started)
        same = same and before == [match.store.pk for match in store_search_by_name(user=user, query=query)]
    timing = Summary.of(times)
    return [
        Result(
            case="search",
            name="one user, trigram table",
            database="sqlite",
            size=f"{loaded:,} stores, 1 user",
            parameters={"stores": loaded, "queries": len(queries), "limit": LIMIT},
            timing=timing,
            target=f"p95 ≤ {P95_TARGET_SQLITE_MS:.0f} ms",
            met=timing.p95 <= P95_TARGET_SQLITE_MS,
            baseline_name="every store scored",
            baseline=Summary.of(before_times),
            figures={
                "same_results_as_scoring_every_store": same,
                "p50_ms_by_query_kind": {kind: Summary.of(seconds).p50 for kind, seconds in sorted(by_kind.items())},
                "p95_ms_by_query_kind": {kind: Summary.of(seconds).p95 for kind, seconds in sorted(by_kind.items())},
            },
        )
    ]


def _search_scoring_every_store(*, user: User, query: str) -> list[int]:
    """The SQLite search before the trigram table: pg_trgm's measures computed in SQL for every store,
    then the same forgiving pass."""
    needle = name_search_needle(query)
    if not needle:
        return []
    stores = Store.objects.filter(user=user).live()
    stores = stores.annotate(
        similarity=Cast(TrigramSimilarity("normalized_name", needle), FloatField()),
        word_similarity=Cast(TrigramWordSimilarity(needle, "normalized_name"), FloatField()),
    )
    if len(needle) < MIN_TRIGRAM_QUERY_LENGTH:
        stores = stores.filter(Q(normalized_name__startswith=needle) | Q(normalized_name__contains=f" {needle}"))
    else:
        stores = stores.filter(
            Q(similarity__gte=SIMILARITY_THRESHOLD) | Q(word_similarity__gte=WORD_SIMILARITY_THRESHOLD)
        )
    ranked = stores.annotate(score=(F("similarity") + F("word_similarity")) / 2).order_by(
        "-score", "normalized_name", "id"
    )
    found = list(ranked.values_list("id", "normalized_name", "score")[:LIMIT])
    forgiven = forgiven_ranking(needle=needle, found=found, limit=LIMIT, stores=TrigramTableCandidates(user_id=user.pk))
    return [store_id for store_id, _, _ in (found if forgiven is None else forgiven)]
