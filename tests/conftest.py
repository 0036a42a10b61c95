"""Fixtures shared by every test module."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from tests.factories import UserFactory

# Fake Anthropic/OpenAI servers on 127.0.0.1: fake_anthropic, fake_openai, hosted_llm, no_external_network.
# The kernel's outputs: json_logs, exported_spans, fake_telegram.
pytest_plugins = ["tests.fakes.fixtures", "tests.ops.fixtures"]


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
