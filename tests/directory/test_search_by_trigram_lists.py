"""On PostgreSQL, a big directory is searched through per-(owner, trigram) lists with the same results.

Migration 0005 stores each name's trigrams as owner-specific integer keys;
directory.postgres_search reads the shortest lists of a query and scores only
the stores whose bound can reach the top. These tests force that path (the
list sizes it would read from PostgreSQL's statistics are the real counts of
the user's lists) and compare it with pg_trgm's operators over every store.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory import postgres_search
from directory.models import Store
from directory.selectors import store_search_by_name
from directory.services import store_restore, store_save, store_soft_delete, store_update
from directory.trigrams import normalize_name, trigram_key, trigram_set
from tests.factories import StoreFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BRANDS = ["ka", "lo", "mi", "ren", "tor", "vash", "bel", "co", "st", "fra", "zel", "po", "ace", "sa", "wex", "dun"]
KINDS = ["hardware", "thai kitchen", "bakery", "deli", "pizza", "coffee", "liquor", "hair salon", "joe's", "café"]
PLACES = ["downtown", "oakland", "airport", "#12", "#7"]

# pg_trgm's own measures over every live store of the user: the yardstick.
PG_TRGM_RANKING = (
    "SELECT id, (similarity(normalized_name, %(q)s)::float8 + word_similarity(%(q)s, normalized_name)::float8) / 2"
    " AS score FROM directory_store WHERE user_id = %(user)s AND deleted_at IS NULL AND {condition}"
    ' ORDER BY score DESC, normalized_name COLLATE "C", id LIMIT %(limit)s'
)
FUZZY = "(similarity(normalized_name, %(q)s) >= 0.3 OR word_similarity(%(q)s, normalized_name) >= 0.6)"
PREFIX = "(normalized_name LIKE %(q)s || '%%' OR normalized_name LIKE '%% ' || %(q)s || '%%')"


def pg_trgm_ranking(user, query: str, limit: int) -> list[tuple[int, float]]:
    needle = normalize_name(query)
    sql = PG_TRGM_RANKING.format(condition=PREFIX if len(needle) < 3 else FUZZY)
    with connection.cursor() as cursor:
        cursor.execute(sql, {"q": needle, "user": user.pk, "limit": limit})
        return [(store_id, score) for store_id, score in cursor.fetchall()]


@pytest.fixture
def lists_counted(monkeypatch):
    """Every list of the directory counted exactly, as if PostgreSQL's statistics knew them all."""

    def sizes() -> dict[int, int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT key, count(*) FROM directory_store, unnest(trigram_keys) AS key"
                " WHERE deleted_at IS NULL GROUP BY key"
            )
            return dict(cursor.fetchall())

    monkeypatch.setattr(postgres_search, "_sizes_of_lists", sizes)


def stored_keys(store: Store) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT trigram_keys FROM directory_store WHERE id = %s", [store.pk])
        return cursor.fetchone()[0]


def keys_of(owner_id: int, name: str) -> list[int]:
    return sorted(trigram_key(owner_id, trigram) for trigram in trigram_set(normalize_name(name)))


def statement_kind(sql: str) -> str:
    if "directory_trigram_keys(" in sql:
        return "lists"
    return "plain" if "SIMILARITY(store.normalized_name" in sql else ""


def found(user, query: str, limit: int = 10) -> list[tuple[int, float]]:
    return [(match.store.pk, match.score) for match in store_search_by_name(user=user, query=query, limit=limit)]


def test_python_and_postgresql_compute_the_same_keys(user):
    for name in ["Joe's Pizza #12", "ACME Hardware", "Kavro Thai Kitchen Downtown", "a", "7 11"]:
        store = store_save(user=user, store_name=name, phone=f"415-555-01{len(name):02d}").store
        assert stored_keys(store) == keys_of(user.pk, name), name
    with connection.cursor() as cursor:
        # Owner ids past 2^31 wrap the same way in both.
        cursor.execute("SELECT directory_trigram_keys(%s, %s)", [3_000_000_123, "kavro liquor"])
        assert cursor.fetchone()[0] == keys_of(3_000_000_123, "kavro liquor")


def test_keys_are_one_to_one_with_trigrams_for_an_owner(user):
    # Shared keys count shared trigrams only if no two trigrams of one owner share a key.
    trigrams = {a + b + c for a in " abz09" for b in "abcxyz019 " for c in "aeiou19 "}
    assert len({trigram_key(user.pk, trigram) for trigram in trigrams}) == len(trigrams)


def test_list_sizes_come_from_postgresql_statistics(user):
    Store.objects.bulk_create(
        [StoreFactory.build(user=user, store_name=f"Kavro Liquor {n}", phone_e164=f"+1415{n:07d}") for n in range(300)]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE directory_store")

    sizes = postgres_search._sizes_of_lists()

    assert 200 <= sizes[trigram_key(user.pk, "liq")] <= 400
    with CaptureQueriesContext(connection) as captured:
        assert found(user, "kavro liquor 7")[0][0] == Store.objects.get(normalized_name="kavro liquor 7").pk
    assert [statement_kind(q["sql"]) for q in captured.captured_queries if statement_kind(q["sql"])] == ["lists"]


def test_keys_follow_saves_renames_deletes_restores_and_bulk_inserts(user, lists_counted):
    for n in range(30):
        StoreFactory.create(user=user, store_name=f"Kavro Liquor {n}")
    store = store_save(user=user, store_name="Liquor Barn", phone="415-555-0101").store
    assert stored_keys(store) == keys_of(user.pk, "Liquor Barn")
    assert found(user, "liquor barn")[0][0] == store.pk

    store_update(user=user, store_id=store.pk, store_name="Café Olé")
    assert stored_keys(store) == keys_of(user.pk, "cafe ole")
    assert found(user, "liquor barn")[0][0] != store.pk
    assert found(user, "cafe ole")[0][0] == store.pk

    store_soft_delete(user=user, store_id=store.pk)
    assert store.pk not in [store_id for store_id, _ in found(user, "cafe ole")]
    store_restore(user=user, store_id=store.pk)
    assert found(user, "cafe ole")[0][0] == store.pk

    [bulk] = Store.objects.bulk_create(
        [StoreFactory.build(user=user, store_name="Liquor Hut", phone_e164="+14155550177")]
    )
    assert stored_keys(bulk) == keys_of(user.pk, "liquor hut")
    assert found(user, "liquor hut")[0][0] == bulk.pk


def test_deleting_the_owner_takes_the_keys_with_the_stores(user, other_user, lists_counted):
    for n in range(5):
        StoreFactory.create(user=user, store_name=f"Kavro Liquor {n}")
    StoreFactory.create(user=other_user, store_name="Kavro Liquor")

    user.delete()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM directory_store WHERE trigram_keys && directory_trigram_keys(%s, 'kavro')", [user.pk]
        )
        assert cursor.fetchone() == (0,)
    assert [Store.objects.get(pk=store_id).user for store_id, _ in found(other_user, "kavro liquor")] == [other_user]


@pytest.mark.parametrize(
    ("first_budget", "second_budget", "path"),
    [
        pytest.param(8_000, 30_000, ("lists",), id="one statement"),
        pytest.param(40, 400, ("lists", "lists"), id="a second statement reads more lists"),
        pytest.param(5, 10, ("lists", "plain"), id="the plain statement answers"),
    ],
)
@pytest.mark.parametrize("seed", [1, 2])
def test_search_by_lists_returns_exactly_what_pg_trgm_ranks(
    user, other_user, lists_counted, monkeypatch, seed, first_budget, second_budget, path
):
    monkeypatch.setattr(postgres_search, "FIRST_READ_BUDGET", first_budget)
    monkeypatch.setattr(postgres_search, "SECOND_READ_BUDGET", second_budget)
    # Few scored first, so that the stores whose bound reaches the tenth score are scored after them.
    monkeypatch.setattr(postgres_search, "FIRST_SCORED", 3)
    rng = random.Random(seed)
    names = [
        " ".join(
            [
                "".join(rng.choices(BRANDS, k=rng.randint(1, 2))),
                rng.choice(KINDS),
                *([rng.choice(PLACES)] if rng.random() < 0.3 else []),
            ]
        )
        for _ in range(500)
    ]
    Store.objects.bulk_create(
        [
            StoreFactory.build(user=user, store_name=name.title(), phone_e164=f"+1415{n:07d}", phone_original="x")
            for n, name in enumerate(names)
        ]
    )
    StoreFactory.create(user=other_user, store_name=names[0])
    for store in Store.objects.owned_by(user).order_by("id")[:40]:
        store_soft_delete(user=user, store_id=store.pk)
    queries = [
        *rng.sample(names, 8),
        "liquor",
        "thai kitchn",
        "hair salon downtown",
        "kalo",
        "zzz qqq",
        "co",
        "k",
        "12",
        "fra bakery oakland",
        "caf",
    ]

    paths = []
    for query in queries:
        for limit in (1, 10, 25):
            with CaptureQueriesContext(connection) as captured:
                result = found(user, query, limit)
            paths.append(tuple(statement_kind(q["sql"]) for q in captured.captured_queries if statement_kind(q["sql"])))
            assert result == pg_trgm_ranking(user, query, limit), (query, limit)
    assert path in paths, paths
