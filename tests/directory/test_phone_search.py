"""Finding stores by phone number: exact first, else at least four digits anywhere."""

from __future__ import annotations

import pytest
from django.utils import timezone

from directory.selectors import store_search_by_phone
from tests.factories import StoreFactory, UserFactory


@pytest.fixture
def stores(user):
    return {
        "acme": StoreFactory.create(user=user, store_name="ACME Hardware", phone_e164="+14155550198"),
        "deli": StoreFactory.create(user=user, store_name="Corner Deli", phone_e164="+14155550199"),
        "london": StoreFactory.create(user=user, store_name="London Shop", phone_e164="+442079460958"),
        "gone": StoreFactory.create(user=user, store_name="Gone", phone_e164="+14155559999", deleted_at=timezone.now()),
    }


def names(found):
    return [store.store_name for store in found]


@pytest.mark.parametrize("typed", ["415-555-0198", "(415) 555 0198", "+1 415 555 0198", "14155550198"])
def test_a_full_number_finds_exactly_that_store(user, stores, typed):
    assert names(store_search_by_phone(user=user, digits=typed)) == ["ACME Hardware"]


def test_partial_digits_find_every_number_containing_them(user, stores):
    assert names(store_search_by_phone(user=user, digits="555-01")) == ["ACME Hardware", "Corner Deli"]


def test_four_digits_are_enough(user, stores):
    assert names(store_search_by_phone(user=user, digits="0958")) == ["London Shop"]


def test_a_national_number_with_its_trunk_zero_is_found(user, stores):
    assert names(store_search_by_phone(user=user, digits="020 7946")) == ["London Shop"]


def test_the_users_region_reads_a_national_number_exactly(stores):
    londoner = UserFactory.create(default_region="GB")
    shop = StoreFactory.create(user=londoner, store_name="Shop", phone_e164="+442079460958")

    assert store_search_by_phone(user=londoner, digits="020 7946 0958") == [shop]


def test_deleted_stores_are_not_found(user, stores):
    assert store_search_by_phone(user=user, digits="9999") == []


def test_no_match_gives_an_empty_list(user, stores):
    assert store_search_by_phone(user=user, digits="7777") == []


@pytest.mark.parametrize("typed", ["", "415", "abc", "1-2-3"])
def test_fewer_than_four_digits_are_refused_clearly(user, stores, typed):
    with pytest.raises(ValueError, match="Give at least 4 digits of the phone number to search for"):
        store_search_by_phone(user=user, digits=typed)
