"""Listing the directory and fetching one store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from directory.models import Store
from directory.selectors import store_find_live_by_phone, store_get, store_list
from tests.factories import StoreFactory


@pytest.fixture
def stores(user):
    now = timezone.now()
    return {
        "beta": StoreFactory.create(user=user, store_name="Beta Books", created_at=now - timedelta(days=2)),
        "alpha": StoreFactory.create(user=user, store_name="alpha Bakery", created_at=now - timedelta(days=1)),
        "gamma": StoreFactory.create(user=user, store_name="Gamma Garden", created_at=now),
        "gone": StoreFactory.create(user=user, store_name="Gone Deli", deleted_at=now),
    }


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        ("name", ["alpha Bakery", "Beta Books", "Gamma Garden"]),
        ("-name", ["Gamma Garden", "Beta Books", "alpha Bakery"]),
        ("created", ["Beta Books", "alpha Bakery", "Gamma Garden"]),
        ("-created", ["Gamma Garden", "alpha Bakery", "Beta Books"]),
    ],
)
def test_store_list_gives_live_stores_in_the_order_asked(user, stores, order, expected):
    assert [store.store_name for store in store_list(user=user, order=order)] == expected


def test_store_list_of_deleted_gives_the_trash(user, stores):
    assert list(store_list(user=user, deleted=True)) == [stores["gone"]]


def test_an_unknown_order_is_refused(user):
    with pytest.raises(ValueError, match="Unknown order 'price'"):
        store_list(user=user, order="price")


def test_store_get_returns_a_live_store(user, stores):
    assert store_get(user=user, store_id=stores["alpha"].pk) == stores["alpha"]


def test_store_get_hides_deleted_stores_unless_asked(user, stores):
    with pytest.raises(Store.DoesNotExist):
        store_get(user=user, store_id=stores["gone"].pk)

    assert store_get(user=user, store_id=stores["gone"].pk, include_deleted=True) == stores["gone"]


def test_find_live_by_phone_ignores_deleted_stores(user, stores):
    assert store_find_live_by_phone(user=user, phone_e164=stores["beta"].phone_e164) == stores["beta"]
    assert store_find_live_by_phone(user=user, phone_e164=stores["gone"].phone_e164) is None
