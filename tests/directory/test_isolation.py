"""User B can never read, edit, delete, restore or search user A's stores."""

from __future__ import annotations

import pytest
from django.utils import timezone

from directory.models import Store
from directory.selectors import (
    store_find_live_by_phone,
    store_get,
    store_list,
    store_search_by_name,
    store_search_by_phone,
)
from directory.services import store_restore, store_save, store_soft_delete, store_update
from tests.factories import StoreFactory


@pytest.fixture
def alices_store(user):
    return StoreFactory.create(user=user, store_name="ACME Hardware", phone_e164="+14155550198")


@pytest.fixture
def alices_deleted_store(user):
    return StoreFactory.create(
        user=user, store_name="Corner Deli", phone_e164="+14155550199", deleted_at=timezone.now()
    )


def snapshot(store):
    store.refresh_from_db()
    return (store.user_id, store.store_name, store.normalized_name, store.phone_e164, store.deleted_at)


@pytest.mark.parametrize("include_deleted", [False, True])
def test_bob_cannot_get_alices_store(other_user, alices_store, alices_deleted_store, include_deleted):
    for store in (alices_store, alices_deleted_store):
        with pytest.raises(Store.DoesNotExist):
            store_get(user=other_user, store_id=store.pk, include_deleted=include_deleted)


@pytest.mark.parametrize("deleted", [False, True])
def test_bobs_list_never_holds_alices_stores(other_user, alices_store, alices_deleted_store, deleted):
    assert list(store_list(user=other_user, deleted=deleted)) == []


def test_bob_finds_none_of_alices_stores_by_name_or_phone(other_user, alices_store):
    assert store_search_by_name(user=other_user, query="acme hardware") == []
    assert store_search_by_name(user=other_user, query="ac") == []
    assert store_search_by_phone(user=other_user, digits="415-555-0198") == []
    assert store_search_by_phone(user=other_user, digits="0198") == []
    assert store_find_live_by_phone(user=other_user, phone_e164="+14155550198") is None


def test_bob_cannot_edit_alices_store(other_user, alices_store):
    before = snapshot(alices_store)

    with pytest.raises(Store.DoesNotExist):
        store_update(user=other_user, store_id=alices_store.pk, store_name="Mine now", phone="415-555-0100")

    assert snapshot(alices_store) == before


def test_bob_cannot_delete_alices_store(other_user, alices_store):
    with pytest.raises(Store.DoesNotExist):
        store_soft_delete(user=other_user, store_id=alices_store.pk)

    assert snapshot(alices_store)[-1] is None


def test_bob_cannot_restore_alices_store(other_user, alices_deleted_store):
    before = snapshot(alices_deleted_store)

    with pytest.raises(Store.DoesNotExist):
        store_restore(user=other_user, store_id=alices_deleted_store.pk)

    assert snapshot(alices_deleted_store) == before


def test_bob_saving_alices_number_makes_his_own_store_and_leaves_hers(user, other_user, alices_store):
    result = store_save(user=other_user, store_name="Bob's ACME", phone="415-555-0198")

    assert result.created is True
    assert result.store.user == other_user
    assert Store.objects.filter(user=user).get() == alices_store
