"""Fixtures for the account tests."""

from __future__ import annotations

import pytest

from ops.config import forget_config, get_config
from ops.models import SystemConfig


@pytest.fixture
def limit_of_three(db) -> int:
    """The login password may be tried three times a minute (per address and account)."""
    SystemConfig.objects.update_or_create(pk=1, defaults={"login_rate_limit_per_minute": 3})
    forget_config()
    assert get_config().login_rate_limit_per_minute == 3
    return 3
