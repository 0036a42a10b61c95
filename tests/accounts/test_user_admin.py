"""Django admin for users: email-based, passphrase hash visible but never editable."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(email="root@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_user_list_searches_by_email(admin_client, user, other_user):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": "alice"})

    assert response.status_code == 200
    assert "alice@example.com" in response.text
    assert "bob@example.com" not in response.text


def test_change_page_shows_the_passphrase_hash_read_only(admin_client, user):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert response.status_code == 200
    assert 'name="passphrase_hash"' not in response.text
    assert user.passphrase_hash in response.text
    assert 'name="default_region"' in response.text
    assert 'name="lookup_locked_until_0"' in response.text
    assert 'name="username"' not in response.text


def test_admin_can_add_a_user_by_email(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "fay@example.com",
            "usable_password": "true",
            "password1": "amber-lantern-19",
            "password2": "amber-lantern-19",
        },
    )

    assert response.status_code == 302
    assert User.objects.get(email="fay@example.com").check_password("amber-lantern-19")
