"""Fixtures for the account tests."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from accounts import login_throttle
from ops.config import forget_config, get_config
from ops.models import SystemConfig


@pytest.fixture
def limit_of_three(db, monkeypatch: pytest.MonkeyPatch) -> int:
    """The login password may be tried three times a minute (per address and account).

    Every attempt lands 10 seconds into the same one-minute window, so a slow
    run cannot cross into the next window and start the count again.
    """
    monkeypatch.setattr(login_throttle, "time", SimpleNamespace(time=lambda: 1_800_000_000.0 + 10))
    SystemConfig.objects.update_or_create(pk=1, defaults={"login_rate_limit_per_minute": 3})
    forget_config()
    assert get_config().login_rate_limit_per_minute == 3
    return 3
