"""Search reads few rows yet finds exactly what scoring every store would find.

On SQLite the candidates come from the trigram table that triggers keep in
step with the stores (migration 0003); on PostgreSQL from the GIN index. On
both, the results must equal a brute-force ranking by pg_trgm's measures.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection

from directory.models import Store
from directory.selectors import TRIGRAM_TABLE, store_search_by_name
from directory.services import store_restore, store_save, store_soft_delete, store_update
from directory.trigrams import normalize_name, similarity, trigram_set, word_similarity
from tests.factories import StoreFactory

SYLLABLES = ["ka", "lo", "mi", "ren", "tor", "vash", "bel", "co", "st", "fra", "zel", "po", "ace", "sa", "wex"]
KINDS = ["hardware", "market", "bakery", "deli", "pizza", "coffee", "costco", "joe's", "café", "wholesale"]


@pytest.fixture
def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the trigram table is SQLite's; PostgreSQL has its GIN index")


def table_trigrams(store: Store) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT trigram FROM directory_store_trigram WHERE store_id = %s AND user_id = %s",
            [store.pk, store.user_id],
        )
        return {row[0] for row in cursor.fetchall()}


def brute_force(user, query: str, limit: int) -> list[tuple[int, float]]:
    """Score every live store of the user the way the selector promises to."""
    needle = normalize_name(query)
    ranked = []
    for store in Store.objects.owned_by(user).live():
        name = store.normalized_name
        name_similarity = similarity(name, needle) or 0.0
        name_word_similarity = word_similarity(needle, name) or 0.0
        if len(needle) < 3:
            matches = name.startswith(needle) or f" {needle}" in name
        else:
            matches = name_similarity >= 0.3 or name_word_similarity >= 0.6
        if matches:
            ranked.append((-(name_similarity + name_word_similarity) / 2, name, store.pk))
    ranked.sort()
    return [(store_id, -key) for key, _, store_id in ranked[:limit]]


def test_a_saved_store_has_the_trigrams_of_its_name(sqlite_only, user):
    store = store_save(user=user, store_name="Joe's Pizza #12", phone="415-555-0101").store

    assert table_trigrams(store) == set(trigram_set("joes pizza 12"))


def test_a_renamed_store_has_only_the_trigrams_of_its_new_name(sqlite_only, user):
    store = store_save(user=user, store_name="ACME Hardware", phone="415-555-0101").store

    store_update(user=user, store_id=store.pk, store_name="Café Olé")

    assert table_trigrams(store) == set(trigram_set("cafe ole"))


def test_deleting_removes_the_trigrams_and_restoring_brings_them_back(sqlite_only, user):
    store = store_save(user=user, store_name="Costco", phone="415-555-0101").store

    store_soft_delete(user=user, store_id=store.pk)
    assert table_trigrams(store) == set()

    store_restore(user=user, store_id=store.pk)
    assert table_trigrams(store) == set(trigram_set("costco"))


def test_bulk_inserted_and_erased_stores_are_kept_in_step(sqlite_only, user):
    [store] = Store.objects.bulk_create(
        [StoreFactory.build(user=user, store_name="A", phone_e164="+14155550101", phone_original="x")]
    )
    assert table_trigrams(store) == {"  a", " a "}

    Store.objects.filter(pk=store.pk).delete()
    assert table_trigrams(store) == set()


def test_the_triggers_are_in_place_after_every_migration(sqlite_only, db):
    # A later migration that rebuilds directory_store on SQLite drops its triggers: recreate them there.
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'directory_store'")
        triggers = {row[0] for row in cursor.fetchall()}
    assert triggers == {f"{TRIGRAM_TABLE}_insert", f"{TRIGRAM_TABLE}_update", f"{TRIGRAM_TABLE}_delete"}


@pytest.mark.parametrize("seed", [1, 2])
def test_search_returns_exactly_what_scoring_every_store_would(user, other_user, seed):
    rng = random.Random(seed)
    names = [f"{''.join(rng.choices(SYLLABLES, k=rng.randint(1, 3)))} {rng.choice(KINDS)}" for _ in range(300)]
    for name in names:
        StoreFactory.create(user=user, store_name=name.title())
    StoreFactory.create(user=other_user, store_name=names[0])
    for store in Store.objects.owned_by(user)[:30]:
        store_soft_delete(user=user, store_id=store.pk)
    queries = ["co", "k", "pizza", "costco", "kalo deli", "st", "wholesal", "zz", *rng.sample(names, 10)]

    for query in queries:
        for limit in (1, 10, 40):
            found = [
                (match.store.pk, match.score) for match in store_search_by_name(user=user, query=query, limit=limit)
            ]
            assert found == brute_force(user, query, limit), (query, limit)


@pytest.mark.postgres
def test_postgresql_knows_the_trigram_operators_are_expensive(db):
    # At pg_trgm's own COST 1 the planner read a big user's every store through the btree (1 s a search).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, procost FROM pg_proc WHERE proname IN "
            "('similarity', 'word_similarity', 'similarity_op', 'word_similarity_op', 'word_similarity_commutator_op')"
        )
        costs = dict(cursor.fetchall())
    assert costs == dict.fromkeys(
        ["similarity", "word_similarity", "similarity_op", "word_similarity_op", "word_similarity_commutator_op"], 100
    )
