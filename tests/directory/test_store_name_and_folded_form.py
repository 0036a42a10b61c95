"""A store's name and the folded form search compares are set together, by `Store.set_name`, whoever writes."""

from __future__ import annotations

import pytest

from directory.csv_import import CsvRow
from directory.importer import import_rows
from directory.models import STORE_NAME_MAX_LENGTH, Store
from directory.services import store_save, store_update
from tests.factories import StoreFactory

NAME = "Café Olé — Joe's"
FOLDED = "cafe ole joes"


def test_set_name_sets_the_name_and_its_folded_form():
    store = Store()

    store.set_name(NAME)

    assert (store.store_name, store.normalized_name) == (NAME, FOLDED)


def test_a_new_name_replaces_the_folded_form_too():
    store = Store()
    store.set_name("Costco")

    store.set_name("Trader Joe\u2019s")

    assert (store.store_name, store.normalized_name) == ("Trader Joe\u2019s", "trader joes")


def test_a_name_that_folding_lengthens_is_cut_to_the_column():
    store = Store()

    store.set_name("\ufb03" * STORE_NAME_MAX_LENGTH)  # "ffi" as one character, three once folded

    assert store.store_name == "\ufb03" * STORE_NAME_MAX_LENGTH
    assert store.normalized_name == ("ffi" * STORE_NAME_MAX_LENGTH)[:STORE_NAME_MAX_LENGTH]


def test_saving_editing_importing_and_the_factory_all_store_the_same_folded_name(user):
    saved = store_save(user=user, store_name=NAME, phone="415-555-0101").store
    renamed = StoreFactory.create(user=user, phone_e164="+14155550102")
    edited = store_update(user=user, store_id=renamed.pk, store_name=NAME)
    imported = import_rows(user=user, rows=[CsvRow(row=2, name=NAME, phone="415-555-0103")]).report[0]["store_id"]
    made = StoreFactory.create(user=user, store_name=NAME, phone_e164="+14155550104")

    stored = Store.objects.filter(pk__in=[saved.pk, edited.pk, imported, made.pk])
    assert sorted(stored.values_list("store_name", "normalized_name")) == [(NAME, FOLDED)] * 4


def test_the_factory_refuses_a_folded_name_of_its_own(user):
    with pytest.raises(TypeError, match="normalized_name"):
        StoreFactory.build(user=user, store_name="Costco", normalized_name="something else")
