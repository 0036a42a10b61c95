"""Editing a store in place: the row becomes a form, and back."""

from __future__ import annotations

from directory.models import Store
from tests.directory.views.conftest import HTMX
from tests.factories import StoreFactory


def test_edit_turns_the_row_into_a_filled_form(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME", phone_e164="+14155550198", phone_original="415-555-0198")

    response = alice.get(f"/directory/{store.pk}/edit/", **HTMX)

    page = response.content.decode()
    assert page.lstrip().startswith(f'<tr id="store-{store.pk}" class="row-editing">')
    assert 'value="ACME"' in page
    assert 'value="415-555-0198"' in page
    assert f'id="edit-{store.pk}-store_name"' in page


def test_saving_an_edit_updates_the_store_and_shows_the_row(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME", phone_e164="+14155550198")

    response = alice.post(f"/directory/{store.pk}/edit/", {"store_name": "ACME Tools", "phone": "415 555 0100"}, **HTMX)

    store.refresh_from_db()
    assert (store.store_name, store.phone_e164) == ("ACME Tools", "+14155550100")
    page = response.content.decode()
    assert page.lstrip().startswith(f'<tr id="store-{store.pk}">')
    assert "(415) 555-0100" in page


def test_an_invalid_edit_keeps_the_input_and_changes_nothing(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME", phone_e164="+14155550198")

    response = alice.post(f"/directory/{store.pk}/edit/", {"store_name": "ACME Tools", "phone": "911"}, **HTMX)

    page = response.content.decode()
    assert "is a short service number (like 911)" in page
    assert 'value="ACME Tools"' in page
    assert 'value="911"' in page
    store.refresh_from_db()
    assert (store.store_name, store.phone_e164) == ("ACME", "+14155550198")


def test_an_edit_to_a_number_another_store_has_is_refused(alice, user):
    StoreFactory.create(user=user, store_name="Beta", phone_e164="+14155550100")
    store = StoreFactory.create(user=user, store_name="ACME", phone_e164="+14155550198")

    response = alice.post(f"/directory/{store.pk}/edit/", {"store_name": "ACME", "phone": "415-555-0100"}, **HTMX)

    assert "already saved as “Beta”" in response.content.decode()
    store.refresh_from_db()
    assert store.phone_e164 == "+14155550198"


def test_cancel_brings_back_the_plain_row(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME", phone_e164="+14155550198")

    response = alice.get(f"/directory/{store.pk}/", **HTMX)

    page = response.content.decode()
    assert page.lstrip().startswith(f'<tr id="store-{store.pk}">')
    assert "(415) 555-0198" in page


def test_edit_works_without_javascript(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME", phone_e164="+14155550198")

    form_page = alice.get(f"/directory/{store.pk}/edit/")
    response = alice.post(f"/directory/{store.pk}/edit/", {"store_name": "ACME Tools", "phone": "415-555-0198"})

    assert "<h1>Edit store</h1>" in form_page.content.decode()
    assert response.status_code == 302
    assert Store.objects.get(pk=store.pk).store_name == "ACME Tools"


def test_a_deleted_store_cannot_be_edited(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME", deleted_at="2026-01-01T00:00:00Z")

    response = alice.post(f"/directory/{store.pk}/edit/", {"store_name": "Back", "phone": "415-555-0198"})

    assert response.status_code == 404
    assert Store.objects.get(pk=store.pk).store_name == "ACME"
