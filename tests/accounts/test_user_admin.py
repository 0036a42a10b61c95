"""Django admin for users: email-based; of the passphrase only whether it is set and when."""

import pytest
from django.contrib.auth.models import Permission
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


def test_change_page_shows_whether_a_passphrase_is_set_never_its_hash(admin_client, user):
    response = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert response.status_code == 200
    assert user.passphrase_hash
    assert user.passphrase_fingerprint
    assert user.passphrase_hash not in response.text
    assert user.passphrase_hash.split("$")[-1] not in response.text
    assert user.passphrase_fingerprint not in response.text
    assert 'name="passphrase_hash"' not in response.text
    assert 'name="passphrase_fingerprint"' not in response.text
    assert "Set on " in response.text
    assert 'name="default_region"' in response.text
    assert 'name="lookup_locked_until_0"' in response.text
    assert 'name="username"' not in response.text


def test_change_page_says_when_no_passphrase_is_set(admin_client):
    nobody = UserFactory.create(email="new@example.com")

    response = admin_client.get(reverse("admin:accounts_user_change", args=[nobody.pk]))

    assert "Not set" in response.text


def test_saving_the_change_form_keeps_the_passphrase(admin_client, user):
    page = admin_client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update({"email": user.email, "default_region": "GB", "is_active": "on", "lookup_locked_until_0": ""})
    data.pop("groups", None)
    data.pop("user_permissions", None)
    data.pop("password", None)

    response = admin_client.post(reverse("admin:accounts_user_change", args=[user.pk]), data)

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.default_region == "GB"
    assert user.check_passphrase("open sesame")


def test_staff_with_user_permissions_cannot_change_a_superuser_in_the_admin(client, user):
    root = UserFactory.create(email="root2@example.com", is_staff=True, is_superuser=True)
    staff = UserFactory.create(email="staff@example.com", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(codename__in=["view_user", "change_user", "delete_user"]))
    client.force_login(staff)

    ordinary = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    superuser = client.get(reverse("admin:accounts_user_change", args=[root.pk]))
    posted = client.post(reverse("admin:accounts_user_change", args=[root.pk]), {"email": root.email})

    assert 'name="is_active"' in ordinary.text
    assert 'name="is_active"' not in superuser.text
    assert posted.status_code == 403
    assert client.post(reverse("admin:accounts_user_delete", args=[root.pk]), {"post": "yes"}).status_code == 403
    root.refresh_from_db()
    assert root.is_active
    assert root.is_superuser


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
