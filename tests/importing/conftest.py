from __future__ import annotations

import pytest

from ops.config import forget_config
from ops.models import SystemConfig


@pytest.fixture
def csv_limits(db):
    """Set the CSV limits in the system config: csv_limits(max_rows=3)."""

    def apply(**limits: int) -> None:
        SystemConfig.objects.update_or_create(pk=1, defaults=limits)
        forget_config()

    return apply
