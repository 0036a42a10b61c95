"""Delete is soft and can be undone on the spot or later from Recently deleted."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from directory.models import Store
from tests.directory.views.conftest import HTMX, store_names
from tests.factories import StoreFactory


def test_delete_hides_the_store_but_keeps_the_row(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME")

    response = alice.post(f"/directory/{store.pk}/delete/", **HTMX)

    store.refresh_from_db()
    assert store.deleted_at is not None
    page = response.content.decode()
    assert 'class="row-deleted"' in page
    assert "Deleted “ACME”." in page
    assert f'hx-post="/directory/{store.pk}/restore/"' in page
    assert '<p id="store-counts" class="muted" hx-swap-oob="true">' in page
    assert "0 stores · <a" in page
    assert "1 recently deleted" in page
    assert store_names(alice.get("/directory/")) == []


def test_undo_puts_the_store_back_in_place(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME", phone_e164="+14155550198")
    alice.post(f"/directory/{store.pk}/delete/", **HTMX)

    response = alice.post(f"/directory/{store.pk}/restore/", **HTMX)

    store.refresh_from_db()
    assert store.deleted_at is None
    page = response.content.decode()
    assert page.lstrip().startswith(f'<tr id="store-{store.pk}">')
    assert 'hx-swap-oob="true"' in page
    assert "1 store" in page
    assert "recently deleted" not in page
    assert store_names(alice.get("/directory/")) == ["ACME"]


def test_recently_deleted_lists_deleted_stores_newest_first(alice, user):
    StoreFactory.create(user=user, store_name="Live")
    StoreFactory.create(user=user, store_name="Older", deleted_at=timezone.now() - timedelta(days=1))
    StoreFactory.create(user=user, store_name="Newer", deleted_at=timezone.now())

    response = alice.get("/directory/deleted/")

    assert store_names(response) == ["Newer", "Older"]


def test_restore_from_recently_deleted(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME", deleted_at=timezone.now())

    response = alice.post(f"/directory/{store.pk}/restore/", {"from": "trash"}, **HTMX)

    assert "Restored “ACME”" in response.content.decode()
    assert Store.objects.get(pk=store.pk).deleted_at is None


def test_restore_is_refused_when_the_number_was_saved_again(alice, user):
    old = StoreFactory.create(user=user, store_name="ACME", phone_e164="+14155550198", deleted_at=timezone.now())
    StoreFactory.create(user=user, store_name="ACME New", phone_e164="+14155550198")

    response = alice.post(f"/directory/{old.pk}/restore/", {"from": "trash"}, **HTMX)

    assert "now belongs to “ACME New”" in response.content.decode()
    assert Store.objects.get(pk=old.pk).deleted_at is not None


def test_delete_and_restore_work_without_javascript(alice, user):
    store = StoreFactory.create(user=user, store_name="ACME")

    deleted = alice.post(f"/directory/{store.pk}/delete/", follow=True)
    restored = alice.post(f"/directory/{store.pk}/restore/", {"from": "trash"}, follow=True)

    assert "Deleted “ACME”. You can restore it from Recently deleted." in deleted.content.decode()
    assert restored.redirect_chain == [("/directory/deleted/", 302)]
    assert "Restored “ACME”." in restored.content.decode()
    assert Store.objects.get(pk=store.pk).deleted_at is None


def test_delete_only_accepts_post(alice, user):
    store = StoreFactory.create(user=user)

    assert alice.get(f"/directory/{store.pk}/delete/").status_code == 405
    assert Store.objects.get(pk=store.pk).deleted_at is None
