"""Adding a store inline: valid input saves; a bad number is explained and the input kept."""

from __future__ import annotations

from directory.models import Store
from tests.directory.views.conftest import HTMX
from tests.factories import StoreFactory


def test_adding_a_store_saves_it_and_asks_the_list_to_reload(alice, user):
    response = alice.post("/directory/add/", {"store_name": " ACME Hardware ", "phone": "415-555-0198"}, **HTMX)

    store = Store.objects.get(user=user)
    assert (store.store_name, store.phone_e164, store.phone_original) == (
        "ACME Hardware",
        "+14155550198",
        "415-555-0198",
    )
    assert response.status_code == 200
    assert response["HX-Trigger"] == "storesChanged"
    page = response.content.decode()
    assert "Saved “ACME Hardware”, (415) 555-0198." in page
    assert 'value="ACME Hardware"' not in page  # a fresh, empty form for the next store
    assert '<p id="store-counts" class="muted" hx-swap-oob="true">' in page
    assert "1 store" in page


def test_invalid_phone_shows_why_and_keeps_what_was_typed(alice, user):
    response = alice.post("/directory/add/", {"store_name": "ACME Hardware", "phone": "555-0198"}, **HTMX)

    page = response.content.decode()
    assert not Store.objects.exists()
    assert "looks like a local number: add the area code" in page
    assert 'value="ACME Hardware"' in page
    assert 'value="555-0198"' in page
    assert 'aria-invalid="true"' in page
    assert "HX-Trigger" not in response


def test_missing_fields_are_each_explained(alice, user):
    response = alice.post("/directory/add/", {"store_name": "", "phone": ""}, **HTMX)

    page = response.content.decode()
    assert "Please give the store a name." in page
    assert "Please enter a phone number." in page
    assert not Store.objects.exists()


def test_a_number_already_saved_names_the_existing_entry(alice, user):
    StoreFactory.create(user=user, store_name="ACME Hardware", phone_e164="+14155550198")

    response = alice.post("/directory/add/", {"store_name": "Acme HW", "phone": "(415) 555 0198"}, **HTMX)

    assert "This number is already saved as “ACME Hardware”." in response.content.decode()
    assert Store.objects.filter(user=user).count() == 1


def test_the_number_is_read_with_the_users_region(alice, user):
    user.default_region = "GB"
    user.save()

    alice.post("/directory/add/", {"store_name": "Harrods", "phone": "020 7730 1234"}, **HTMX)

    assert Store.objects.get(user=user).phone_e164 == "+442077301234"


def test_adding_without_javascript_redirects_with_a_message(alice, user):
    response = alice.post("/directory/add/", {"store_name": "ACME", "phone": "415-555-0198"}, follow=True)

    assert response.redirect_chain == [("/directory/", 302)]
    assert "Saved “ACME”." in response.content.decode()
    assert Store.objects.filter(user=user).count() == 1


def test_invalid_add_without_javascript_shows_the_page_with_errors(alice, user):
    response = alice.post("/directory/add/", {"store_name": "ACME", "phone": "12"})

    assert response.status_code == 400
    assert "is too short" in response.content.decode()
    assert not Store.objects.exists()


def test_add_only_accepts_post(alice):
    assert alice.get("/directory/add/").status_code == 405
