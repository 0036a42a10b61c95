"""The `classify` fixture: the offline rules with the defaults a US user in a fresh conversation has."""

from __future__ import annotations

from typing import Any

import pytest

from conversations.offline.rules import classify_offline


@pytest.fixture
def classify():
    def run(text: str, *, region: str = "US", state: str = "IDLE", pending: dict[str, Any] | None = None):
        return classify_offline(text, region=region, state=state, pending=pending)

    return run
