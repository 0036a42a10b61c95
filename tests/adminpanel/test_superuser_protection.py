"""Only a superuser changes a superuser: staff cannot deactivate one, revoke their staff flag,
reset their passphrase or set their budget, from the page or by posting directly."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ops.models import AuditLog
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSAL = "Only a superuser can change a superuser's account."


def _text(response) -> str:
    return response.text.replace("&#x27;", "'")


@pytest.fixture
def root(db):
    return UserFactory(email="root@example.com", is_staff=True, is_superuser=True, passphrase="root passphrase ok")


def _post(client: Client, name: str, target, data=None):
    return client.post(reverse(f"adminpanel:{name}", kwargs={"user_id": target.pk}), data or {}, follow=True)


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("user_active", {"active": "0"}),
        ("user_staff", {"staff": "0"}),
        ("user_passphrase_reset", None),
        ("user_budget", {"daily_budget_usd": "0"}),
    ],
)
def test_staff_who_are_not_superusers_cannot_change_a_superuser(staff_client, root, action, data):
    response = _post(staff_client, action, root, data)

    assert REFUSAL in _text(response)
    root.refresh_from_db()
    assert (root.is_active, root.is_staff, root.has_passphrase, root.daily_budget_usd) == (True, True, True, None)
    assert not AuditLog.objects.filter(source="dashboard").exists()


def test_the_superusers_page_shows_staff_why_every_action_is_off(staff_client, root):
    response = staff_client.get(reverse("adminpanel:user", kwargs={"user_id": root.pk}))

    assert REFUSAL in _text(response)
    assert response.text.count("disabled") >= 4


def test_a_superuser_can_change_another_superuser(client, root):
    other_root = UserFactory(email="root2@example.com", is_staff=True, is_superuser=True)
    client.force_login(other_root)

    _post(client, "user_active", root, {"active": "0"})
    _post(client, "user_passphrase_reset", root)

    root.refresh_from_db()
    assert not root.is_active
    assert not root.has_passphrase
    assert root.passphrase_fingerprint == ""
    assert AuditLog.objects.get(event_type="user_deactivated").details["target_email"] == "root@example.com"


def test_staff_still_change_ordinary_accounts(staff_client, user):
    _post(staff_client, "user_active", user, {"active": "0"})

    user.refresh_from_db()
    assert not user.is_active
