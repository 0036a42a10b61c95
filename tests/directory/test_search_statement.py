"""A name search is one statement on PostgreSQL (two when it forgives a typo) and leaves the connection as it
found it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Store
from directory.selectors import store_search_by_name
from tests.factories import StoreFactory


@pytest.fixture
def stores(user, other_user):
    StoreFactory.create(user=user, store_name="ACME Hardware")
    StoreFactory.create(user=user, store_name="Ace Hardware")
    StoreFactory.create(user=other_user, store_name="ACME Hardware")
    return user


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "expected", "statements"),
    [
        ("acme hardware", ["ACME Hardware", "Ace Hardware"], 1),
        ("ac", ["Ace Hardware", "ACME Hardware"], 1),
        # No name holds "hardwre" as typed: the forgiving pass looks for names within one edit.
        ("acme hardwre", ["ACME Hardware", "Ace Hardware"], 2),
    ],
)
def test_a_search_is_one_statement_without_a_transaction_of_its_own(stores, query, expected, statements):
    # The first search of a process (and one every few minutes) also reads the list sizes it caches.
    store_search_by_name(user=stores, query="warm up")

    with CaptureQueriesContext(connection) as captured:
        matches = store_search_by_name(user=stores, query=query)

    assert [match.store.store_name for match in matches] == expected
    assert len(captured.captured_queries) == statements, captured.captured_queries


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_thresholds_a_search_sets_end_with_its_statement(stores):
    with connection.cursor() as cursor:
        cursor.execute("SET pg_trgm.similarity_threshold = 0.9")
        cursor.execute("SET pg_trgm.word_similarity_threshold = 0.95")

    matches = store_search_by_name(user=stores, query="acme hardwre")

    assert [match.store.store_name for match in matches] == ["ACME Hardware", "Ace Hardware"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW pg_trgm.similarity_threshold")
        assert cursor.fetchone() == ("0.9",)
        cursor.execute("SHOW pg_trgm.word_similarity_threshold")
        assert cursor.fetchone() == ("0.95",)


@pytest.mark.parametrize("query", ["acme hardware", "ac"])
def test_found_stores_are_whole_saved_stores(stores, query):
    [best, _] = store_search_by_name(user=stores, query=query)

    assert best.store == Store.objects.get(pk=best.store.pk)
    assert {field.attname: getattr(best.store, field.attname) for field in Store._meta.concrete_fields} == {
        field.attname: getattr(Store.objects.get(pk=best.store.pk), field.attname)
        for field in Store._meta.concrete_fields
    }
    assert not best.store._state.adding
    assert best.store._state.db == "default"
