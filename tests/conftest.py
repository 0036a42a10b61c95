"""Fixtures shared by every test module."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    # Config, budget and rate-limit caches must not leak between tests.
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory(email="alice@example.com", passphrase="open sesame")


@pytest.fixture
def other_user(db):
    return UserFactory(email="bob@example.com", passphrase="bob's secret")
