"""Editing, soft-deleting and restoring a store."""

from __future__ import annotations

import pytest
from django.utils import timezone

from directory.models import Store
from directory.services import (
    DuplicateStoreError,
    StoreError,
    StoreValidationError,
    store_restore,
    store_soft_delete,
    store_update,
)
from tests.factories import StoreFactory


@pytest.fixture
def acme(user):
    return StoreFactory.create(user=user, store_name="ACME Hardware", phone_e164="+14155550198")


def test_renaming_updates_the_normalised_name(user, acme):
    store_update(user=user, store_id=acme.pk, store_name="Acmé Hardware & Garden")

    acme.refresh_from_db()
    assert acme.store_name == "Acmé Hardware & Garden"
    assert acme.normalized_name == "acme hardware garden"
    assert acme.phone_e164 == "+14155550198"


def test_a_new_number_is_validated_and_stored_with_what_was_typed(user, acme):
    store_update(user=user, store_id=acme.pk, phone="415 555 0100 x7")

    acme.refresh_from_db()
    assert acme.phone_e164 == "+14155550100"
    assert acme.phone_original == "415 555 0100 x7"
    assert acme.store_name == "ACME Hardware"


def test_keeping_the_same_number_is_not_a_duplicate(user, acme):
    updated = store_update(user=user, store_id=acme.pk, store_name="ACME", phone="415-555-0198")

    assert updated.store_name == "ACME"


def test_an_invalid_edit_changes_nothing(user, acme):
    with pytest.raises(StoreValidationError) as refused:
        store_update(user=user, store_id=acme.pk, store_name=" ", phone="12")

    assert set(refused.value.errors) == {"store_name", "phone"}
    acme.refresh_from_db()
    assert (acme.store_name, acme.phone_e164) == ("ACME Hardware", "+14155550198")


def test_taking_another_live_stores_number_is_refused(user, acme):
    deli = StoreFactory.create(user=user, store_name="Corner Deli", phone_e164="+14155550199")

    with pytest.raises(DuplicateStoreError) as refused:
        store_update(user=user, store_id=deli.pk, phone="415-555-0198")

    assert refused.value.existing == acme
    assert "already saved as “ACME Hardware”" in str(refused.value)
    deli.refresh_from_db()
    assert deli.phone_e164 == "+14155550199"


def test_a_deleted_store_cannot_be_edited_until_restored(user, acme):
    store_soft_delete(user=user, store_id=acme.pk)

    with pytest.raises(StoreError, match="was deleted; restore it before editing it"):
        store_update(user=user, store_id=acme.pk, store_name="ACME")


def test_soft_delete_keeps_the_row_and_marks_it_deleted(user, acme):
    deleted = store_soft_delete(user=user, store_id=acme.pk)

    assert deleted.is_deleted
    assert Store.objects.filter(pk=acme.pk, deleted_at__isnull=False).exists()


def test_deleting_twice_keeps_the_first_deletion_time(user, acme):
    first = store_soft_delete(user=user, store_id=acme.pk).deleted_at

    again = store_soft_delete(user=user, store_id=acme.pk)

    assert again.deleted_at == first


def test_restore_brings_a_deleted_store_back(user, acme):
    store_soft_delete(user=user, store_id=acme.pk)

    restored = store_restore(user=user, store_id=acme.pk)

    assert restored.deleted_at is None
    assert Store.objects.live().filter(pk=acme.pk).exists()


def test_restoring_a_live_store_changes_nothing(user, acme):
    assert store_restore(user=user, store_id=acme.pk).deleted_at is None


def test_restore_is_refused_when_a_live_store_now_has_the_number(user):
    old = StoreFactory.create(user=user, store_name="Old Deli", phone_e164="+14155550198", deleted_at=timezone.now())
    new = StoreFactory.create(user=user, store_name="New Deli", phone_e164="+14155550198")

    with pytest.raises(DuplicateStoreError) as refused:
        store_restore(user=user, store_id=old.pk)

    assert refused.value.existing == new
    assert str(refused.value) == (
        "“Old Deli” cannot be restored: its number +14155550198 now belongs to “New Deli”. "
        "Delete or renumber that entry first."
    )
    old.refresh_from_db()
    assert old.is_deleted


@pytest.mark.parametrize("operation", [store_update, store_soft_delete, store_restore])
def test_an_unknown_id_raises_does_not_exist(user, operation):
    with pytest.raises(Store.DoesNotExist):
        operation(user=user, store_id=999_999)
