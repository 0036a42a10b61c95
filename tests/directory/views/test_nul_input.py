"""A NUL character in a store form, a search or an imported file is refused clearly, never a server error
(PostgreSQL refuses NUL in any text)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from directory.models import ImportJob, Store
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_a_nul_in_a_new_store_name_is_a_field_error_and_nothing_is_saved(own_client):
    response = own_client.post(
        reverse("directory:add"), {"store_name": "Acme\x00 Hardware", "phone": "415-555-0198"}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "Null characters are not allowed." in response.text
    assert 'value="Acme' in response.text
    assert not Store.objects.exists()


def test_a_nul_in_an_edited_store_name_is_a_field_error(own_client, user):
    store = StoreFactory.create(user=user, store_name="Acme Hardware")

    response = own_client.post(
        reverse("directory:edit", args=[store.pk]), {"store_name": "Acme\x00", "phone": "415-555-0198"}
    )

    assert response.status_code in {200, 400}
    assert "Null characters are not allowed." in response.text
    store.refresh_from_db()
    assert store.store_name == "Acme Hardware"


def test_a_nul_in_a_search_finds_what_the_rest_of_it_finds(own_client, user):
    StoreFactory(user=user, store_name="Acme Hardware")

    response = own_client.get(reverse("directory:list"), {"q": "acme\x00"})

    assert response.status_code == 200
    assert "Acme Hardware" in response.text


def test_a_csv_with_a_nul_is_refused_with_a_reason(own_client):
    upload = SimpleUploadedFile("stores.csv", b"name,phone\nAcme\x00,415-555-0198\n", content_type="text/csv")

    response = own_client.post(reverse("directory:import"), {"file": upload})

    assert response.status_code == 400
    assert "contains binary data" in response.text
    assert not Store.objects.exists()


def test_a_nul_in_an_uploaded_file_name_is_no_server_error(own_client):
    upload = SimpleUploadedFile("sto\x00res.csv", b"name,phone\nAcme,415-555-0198\n", content_type="text/csv")

    response = own_client.post(reverse("directory:import"), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert all("\x00" not in job.filename for job in ImportJob.objects.all())
