"""No directory URL, import job, report or export reveals or changes another user's data."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directory.models import ImportJob, Store
from tests.directory.views.conftest import HTMX, htmx_to, store_names
from tests.factories import StoreFactory

BOBS_NUMBER = "+14155550177"
# What would give Bob's data away. Not the bare word "Bob": a page's random CSRF token may hold it.
BOBS_WORDS = ("Bob's", "Bob&#x27;s", "Bikes", "Old Shop", "bobs-secret")


def shows_bob(text: str) -> bool:
    return any(word in text for word in BOBS_WORDS)


@pytest.fixture
def bobs_store(other_user):
    return StoreFactory.create(user=other_user, store_name="Bob's Bikes", phone_e164=BOBS_NUMBER)


@pytest.fixture
def bobs_deleted_store(other_user):
    return StoreFactory.create(
        user=other_user, store_name="Bob's Old Shop", phone_e164="+14155550166", deleted_at=timezone.now()
    )


@pytest.fixture
def bobs_job(other_user):
    return ImportJob.objects.create(
        user=other_user,
        filename="bobs-secret-list.csv",
        content=b"name,phone\nBob's Bikes,415-555-0177\n",
        status=ImportJob.Status.DONE,
        report=[{"row": 2, "name": "Bob's Bikes", "phone": "415-555-0177", "outcome": "saved", "reason": ""}],
    )


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/directory/{pk}/", {}),
        ("get", "/directory/{pk}/edit/", {}),
        ("post", "/directory/{pk}/edit/", {"store_name": "Hijacked", "phone": "415-555-0100"}),
        ("post", "/directory/{pk}/delete/", {}),
        ("post", "/directory/{pk}/restore/", {}),
    ],
)
def test_another_users_store_is_not_found_and_not_changed(alice, bobs_store, method, path, data):
    response = getattr(alice, method)(path.format(pk=bobs_store.pk), data, **HTMX)

    assert response.status_code == 404
    bobs_store.refresh_from_db()
    assert (bobs_store.store_name, bobs_store.phone_e164, bobs_store.deleted_at) == ("Bob's Bikes", BOBS_NUMBER, None)


def test_another_users_deleted_store_cannot_be_restored(alice, bobs_deleted_store):
    response = alice.post(f"/directory/{bobs_deleted_store.pk}/restore/", {"from": "trash"})

    assert response.status_code == 404
    bobs_deleted_store.refresh_from_db()
    assert bobs_deleted_store.deleted_at is not None


def test_list_search_and_trash_show_only_my_stores(alice, user, bobs_store, bobs_deleted_store):
    StoreFactory.create(user=user, store_name="Alice's Apples")

    listing = alice.get("/directory/")
    by_name = alice.get("/directory/", {"q": "bobs bikes"}, **htmx_to("store-results"))
    by_number = alice.get("/directory/", {"q": "555-0177"}, **htmx_to("store-results"))
    trash = alice.get("/directory/deleted/")

    assert store_names(listing) == ["Alice&#x27;s Apples"]
    assert store_names(by_name) == []
    assert store_names(by_number) == []
    assert store_names(trash) == []
    for response in (listing, by_name, by_number, trash):
        assert not shows_bob(response.content.decode())


def test_export_holds_only_my_stores(alice, user, bobs_store):
    StoreFactory.create(user=user, store_name="Alice's Apples")

    exported = alice.get("/directory/export.csv").content.decode()

    assert "Alice's Apples" in exported
    assert not shows_bob(exported)
    assert "5550177" not in exported


def test_a_number_another_user_saved_is_mine_to_save(alice, user, bobs_store):
    alice.post("/directory/add/", {"store_name": "Same Number", "phone": "415-555-0177"}, **HTMX)

    assert Store.objects.filter(user=user, phone_e164=BOBS_NUMBER).count() == 1
    assert Store.objects.filter(phone_e164=BOBS_NUMBER).count() == 2


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/directory/import/{pk}/", {}),
        ("/directory/import/{pk}/", htmx_to("import-progress")),
        ("/directory/import/{pk}/report.csv", {}),
    ],
)
def test_another_users_import_job_and_report_are_not_found(alice, bobs_job, path, headers):
    response = alice.get(path.format(pk=bobs_job.pk), **headers)

    assert response.status_code == 404
    assert not shows_bob(response.content.decode())


def test_import_page_lists_only_my_jobs(alice, bobs_job):
    page = alice.get("/directory/import/").content.decode()

    assert "bobs-secret-list.csv" not in page
    assert "No imports yet." in page


def test_my_import_saves_to_my_directory_only(alice, user, other_user, bobs_store, django_capture_on_commit_callbacks):
    upload = SimpleUploadedFile("mine.csv", b"name,phone\nMy Bikes,415-555-0177\n", "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        alice.post("/directory/import/", {"file": upload})

    job = ImportJob.objects.get(user=user)
    assert job.saved_count == 1
    assert Store.objects.get(user=user).store_name == "My Bikes"
    assert list(Store.objects.filter(user=other_user)) == [bobs_store]
