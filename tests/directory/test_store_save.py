"""Saving a store: validation, normalisation and duplicate detection."""

from __future__ import annotations

import pytest
from django.utils import timezone

from directory.models import Store
from directory.services import StoreValidationError, store_save
from tests.factories import StoreFactory, UserFactory


def test_a_valid_store_is_saved_normalised(user):
    result = store_save(user=user, store_name="  Trader   Joe's ", phone="(415) 555 0198 ext. 12")

    assert result.created is True
    store = Store.objects.get(pk=result.store.pk)
    assert store.user == user
    assert store.store_name == "Trader Joe's"
    assert store.normalized_name == "trader joes"
    assert store.phone_e164 == "+14155550198"
    assert store.phone_original == "(415) 555 0198 ext. 12"
    assert store.deleted_at is None


def test_the_phone_is_read_with_the_users_default_region(db):
    londoner = UserFactory.create(default_region="GB")

    result = store_save(user=londoner, store_name="Corner Shop", phone="020 7946 0958")

    assert result.store.phone_e164 == "+442079460958"


def test_an_explicit_region_overrides_the_default(user):
    result = store_save(user=user, store_name="Corner Shop", phone="020 7946 0958", region="GB")

    assert result.store.phone_e164 == "+442079460958"


def test_the_same_number_again_is_not_saved_and_returns_the_existing_store(user):
    first = store_save(user=user, store_name="ACME Hardware", phone="415-555-0198")

    again = store_save(user=user, store_name="Acme Hardware Store", phone="+1 (415) 555-0198")

    assert again.created is False
    assert again.store == first.store
    assert again.store.store_name == "ACME Hardware"
    assert Store.objects.filter(user=user).count() == 1


def test_the_same_name_with_another_number_is_a_second_entry(user):
    store_save(user=user, store_name="Costco Wholesale", phone="415-555-0198")

    second = store_save(user=user, store_name="Costco Wholesale", phone="415-555-0199")

    assert second.created is True
    assert Store.objects.filter(user=user, store_name="Costco Wholesale").count() == 2


def test_a_number_of_a_deleted_store_can_be_saved_again(user):
    StoreFactory.create(user=user, store_name="Old Deli", phone_e164="+14155550198", deleted_at=timezone.now())

    result = store_save(user=user, store_name="New Deli", phone="415-555-0198")

    assert result.created is True
    assert Store.objects.filter(user=user, phone_e164="+14155550198").count() == 2


def test_another_users_number_does_not_count_as_a_duplicate(user, other_user):
    StoreFactory.create(user=other_user, phone_e164="+14155550198")

    result = store_save(user=user, store_name="ACME Hardware", phone="415-555-0198")

    assert result.created is True
    assert result.store.user == user


@pytest.mark.parametrize(
    ("store_name", "phone", "errors"),
    [
        ("", "415-555-0198", {"store_name": "Please give the store a name."}),
        ("   \n", "415-555-0198", {"store_name": "Please give the store a name."}),
        ("?!", "415-555-0198", {"store_name": "The store name needs at least one letter or digit."}),
        ("x" * 201, "415-555-0198", {"store_name": "That name is 201 characters long; at most 200 fit."}),
        (
            "ACME",
            "555-0198",
            {"phone": "“555-0198” looks like a local number: add the area code (10 digits in US)."},
        ),
        (
            "",
            "",
            {"store_name": "Please give the store a name.", "phone": "Please enter a phone number."},
        ),
    ],
)
def test_invalid_input_is_refused_field_by_field_and_nothing_is_saved(user, store_name, phone, errors):
    with pytest.raises(StoreValidationError) as refused:
        store_save(user=user, store_name=store_name, phone=phone)

    assert refused.value.errors == errors
    assert str(refused.value) == " ".join(errors.values())
    assert not Store.objects.exists()


def test_control_characters_are_dropped_from_the_name(user):
    result = store_save(user=user, store_name="Corner\x00 Deli\x07", phone="415-555-0198")

    assert result.store.store_name == "Corner Deli"


def test_a_name_of_exactly_two_hundred_characters_fits(user):
    result = store_save(user=user, store_name="a" * 200, phone="415-555-0198")

    assert len(Store.objects.get(pk=result.store.pk).store_name) == 200


def test_a_name_that_folding_lengthens_still_fits_the_normalised_column(user):
    ligatures = "\ufb03" * 200  # "ffi" as one character, three once folded

    result = store_save(user=user, store_name=ligatures, phone="415-555-0198")

    stored = Store.objects.get(pk=result.store.pk)
    assert stored.store_name == ligatures
    assert stored.normalized_name == "ffi" * 66 + "ff"
