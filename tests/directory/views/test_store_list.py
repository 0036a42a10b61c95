"""The directory page lists the user's live stores, paginated and sortable."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from directory.views import PAGE_SIZE
from tests.directory.views.conftest import store_names
from tests.factories import StoreFactory


def test_directory_needs_a_login(client, db):
    response = client.get("/directory/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_list_shows_the_number_formatted_with_e164_beside_it(alice, user):
    StoreFactory.create(user=user, store_name="ACME Hardware", phone_e164="+14155550198")
    StoreFactory.create(user=user, store_name="Harrods", phone_e164="+442077301234")

    response = alice.get("/directory/")

    page = response.content.decode()
    assert response.status_code == 200
    assert "(415) 555-0198" in page
    assert 'title="E.164: +14155550198"' in page
    assert "+44 20 7730 1234" in page
    assert "2 stores" in page


def test_list_leaves_out_deleted_stores(alice, user):
    StoreFactory.create(user=user, store_name="Gone", deleted_at=timezone.now())
    StoreFactory.create(user=user, store_name="Here")

    response = alice.get("/directory/")

    assert store_names(response) == ["Here"]
    assert "1 recently deleted" in response.content.decode()


def test_list_is_sorted_by_name_by_default_and_can_be_reversed(alice, user):
    for name in ["beta", "Alpha", "gamma"]:
        StoreFactory.create(user=user, store_name=name)

    assert store_names(alice.get("/directory/")) == ["Alpha", "beta", "gamma"]
    assert store_names(alice.get("/directory/?sort=-name")) == ["gamma", "beta", "Alpha"]


def test_list_can_be_sorted_by_date_added(alice, user):
    now = timezone.now()
    StoreFactory.create(user=user, store_name="Old", created_at=now - timedelta(days=2))
    StoreFactory.create(user=user, store_name="New", created_at=now)
    StoreFactory.create(user=user, store_name="Middle", created_at=now - timedelta(days=1))

    assert store_names(alice.get("/directory/?sort=-created")) == ["New", "Middle", "Old"]
    assert store_names(alice.get("/directory/?sort=created")) == ["Old", "Middle", "New"]


def test_an_unknown_sort_falls_back_to_name(alice, user):
    StoreFactory.create(user=user, store_name="b")
    StoreFactory.create(user=user, store_name="a")

    response = alice.get("/directory/?sort=;drop table")

    assert response.status_code == 200
    assert store_names(response) == ["a", "b"]


def test_list_is_paginated(alice, user):
    for number in range(PAGE_SIZE + 3):
        StoreFactory.create(user=user, store_name=f"Store {number:02d}")

    first = alice.get("/directory/")
    second = alice.get("/directory/?page=2")

    assert len(store_names(first)) == PAGE_SIZE
    assert store_names(second) == ["Store 25", "Store 26", "Store 27"]
    assert 'href="?page=2&amp;sort=name"' in first.content.decode()


def test_a_page_past_the_end_shows_the_last_page(alice, user):
    StoreFactory.create(user=user, store_name="Only")

    response = alice.get("/directory/?page=99")

    assert store_names(response) == ["Only"]


def test_empty_directory_offers_import(alice):
    response = alice.get("/directory/")

    page = response.content.decode()
    assert "Your directory is empty" in page
    assert 'href="/directory/import/"' in page


def test_sort_and_pages_return_only_the_results_for_htmx(alice, user):
    StoreFactory.create(user=user, store_name="ACME")

    response = alice.get("/directory/?sort=-created", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="store-results")

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="store-results"')
    assert "<html" not in page
    assert "ACME" in page


def test_counts_reflect_the_directory(alice, user):
    StoreFactory.create(user=user)
    StoreFactory.create(user=user, deleted_at=timezone.now())

    page = alice.get("/directory/").content.decode()

    assert '<p id="store-counts" class="muted">' in page
    assert "1 store" in page
    assert "1 recently deleted" in page
