"""Django admin for stores and imports: restore and soft-delete, never erase."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from directory.models import ImportJob, Store
from ops.models import AuditLog
from tests.factories import StoreFactory

CHANGELIST = reverse("admin:directory_store_changelist")


def run_action(client, action, stores):
    return client.post(
        CHANGELIST, {"action": action, ACTION_CHECKBOX_NAME: [store.pk for store in stores]}, follow=True
    )


@pytest.fixture
def deleted_store(user):
    return StoreFactory.create(
        user=user, store_name="Corner Deli", phone_e164="+14155550199", deleted_at=timezone.now()
    )


def test_the_store_list_can_be_filtered_to_deleted_rows(admin_client, user, deleted_store):
    StoreFactory.create(user=user, store_name="ACME Hardware")

    page = admin_client.get(CHANGELIST, {"status": "deleted"})

    assert page.status_code == 200
    assert list(page.context["cl"].queryset) == [deleted_store]


def test_the_restore_action_restores_and_audits(admin_client, admin_user, deleted_store):
    page = run_action(admin_client, "restore_stores", [deleted_store])

    deleted_store.refresh_from_db()
    assert deleted_store.deleted_at is None
    assert "Restored 1 store(s)." in page.content.decode()
    audit = AuditLog.objects.get(event_type="store_restored")
    assert audit.user == admin_user
    assert audit.details == {"store_id": deleted_store.pk, "owner_id": deleted_store.user_id}


def test_a_restore_that_would_duplicate_a_live_number_is_refused_with_the_reason(admin_client, user, deleted_store):
    StoreFactory.create(user=user, store_name="New Deli", phone_e164="+14155550199")

    page = run_action(admin_client, "restore_stores", [deleted_store])

    deleted_store.refresh_from_db()
    assert deleted_store.is_deleted
    assert "now belongs to “New Deli”" in page.content.decode()
    assert not AuditLog.objects.filter(event_type="store_restored").exists()


def test_the_soft_delete_action_keeps_the_row(admin_client, user):
    store = StoreFactory.create(user=user)

    run_action(admin_client, "soft_delete_stores", [store])

    store.refresh_from_db()
    assert store.is_deleted
    assert AuditLog.objects.filter(event_type="store_deleted", details__store_id=store.pk).exists()


def test_stores_cannot_be_erased_or_added_through_the_admin(admin_client, user):
    store = StoreFactory.create(user=user)

    run_action(admin_client, "delete_selected", [store])
    delete_page = admin_client.post(reverse("admin:directory_store_delete", args=[store.pk]), {"post": "yes"})
    add_page = admin_client.get(reverse("admin:directory_store_add"))

    assert Store.objects.filter(pk=store.pk, deleted_at__isnull=True).exists()
    assert delete_page.status_code == 403
    assert add_page.status_code == 403


def test_editing_a_store_in_the_admin_changes_nothing(admin_client, user):
    store = StoreFactory.create(user=user, store_name="ACME Hardware", phone_e164="+14155550198")

    admin_client.post(
        reverse("admin:directory_store_change", args=[store.pk]),
        {"store_name": "Hacked", "phone_e164": "not a number"},
    )

    store.refresh_from_db()
    assert (store.store_name, store.phone_e164) == ("ACME Hardware", "+14155550198")


def test_import_jobs_are_read_only(admin_client, user):
    job = ImportJob.objects.create(user=user, filename="stores.csv", content=b"name,phone\n")

    listing = admin_client.get(reverse("admin:directory_importjob_changelist"))
    detail = admin_client.get(reverse("admin:directory_importjob_change", args=[job.pk]))
    edit = admin_client.post(reverse("admin:directory_importjob_change", args=[job.pk]), {"filename": "x.csv"})
    add = admin_client.get(reverse("admin:directory_importjob_add"))

    assert listing.status_code == 200
    assert "stores.csv" in listing.content.decode()
    assert detail.status_code == 200
    assert edit.status_code == 403
    assert add.status_code == 403
    job.refresh_from_db()
    assert job.filename == "stores.csv"
