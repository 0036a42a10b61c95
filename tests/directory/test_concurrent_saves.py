"""Two saves of the same number at the same moment leave exactly one row."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Store
from directory.services import store_save
from tests.factories import StoreFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def save_concurrently(user, attempts):
    """Run store_save once per (name, phone) in its own thread, all released together."""
    barrier = threading.Barrier(len(attempts))
    results, errors = [], []

    def attempt(name, phone):
        try:
            barrier.wait(timeout=10)
            results.append(store_save(user=user, store_name=name, phone=phone))
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=pair) for pair in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return results


def test_two_concurrent_saves_of_one_number_make_one_row():
    user = UserFactory.create()

    results = save_concurrently(user, [("ACME Hardware", "415-555-0198"), ("Acme Hardware", "(415) 555-0198")])

    assert Store.objects.filter(user=user, phone_e164="+14155550198").count() == 1
    assert sorted(result.created for result in results) == [False, True]
    assert len({result.store.pk for result in results}) == 1


def test_concurrent_saves_of_different_numbers_all_succeed():
    user = UserFactory.create()

    results = save_concurrently(user, [("Store A", "415-555-0101"), ("Store B", "415-555-0102")])

    assert Store.objects.filter(user=user).count() == 2
    assert all(result.created for result in results)


def test_a_number_saved_before_meets_the_constraint_and_the_saved_row_is_returned():
    user = UserFactory.create()
    winner = StoreFactory.create(user=user, store_name="ACME Hardware", phone_e164="+14155550198")

    result = store_save(user=user, store_name="Acme", phone="415-555-0198")

    assert result.created is False
    assert result.store == winner
    assert Store.objects.filter(user=user).count() == 1


def test_a_new_number_is_saved_without_looking_first():
    user = UserFactory.create()

    with CaptureQueriesContext(connection) as queries:
        result = store_save(user=user, store_name="ACME Hardware", phone="415-555-0198")

    assert result.created is True
    assert [query["sql"].split()[0] for query in queries if "directory_store" in query["sql"]] == ["INSERT"]
