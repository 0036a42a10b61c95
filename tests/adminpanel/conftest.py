"""Staff and non-staff clients for the dashboard tests."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import UserFactory


@pytest.fixture
def staff_user(db):
    return UserFactory(email="staff@example.com", is_staff=True)


@pytest.fixture
def staff_client(client: Client, staff_user) -> Client:
    client.force_login(staff_user)
    return client


@pytest.fixture
def member_client(client: Client, user) -> Client:
    """Signed in as alice, an ordinary (non-staff) user."""
    client.force_login(user)
    return client
