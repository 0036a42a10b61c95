"""The app with the offline agent model paced like a hosted one, for tests that time a stream.

The offline model yields a whole reply in microseconds, so a buffered stream
would look just like an incremental one. Served by daphne from
`tests.conversations.views.paced_server`, this app waits STOREBOT_TEST_PACE_SECONDS after each
word of a reply: a browser or client that sees the first words long before the
last is reading a real stream.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storebot.settings_test")

from storebot.asgi import application  # sets Django up: import it before any model

# isort: split
from conversations import llm
from conversations.offline.model import OfflineModel

__all__ = ["application"]

PACE_SECONDS = float(os.environ.get("STOREBOT_TEST_PACE_SECONDS", "0.15"))
_build_model = llm.build_model


class PacedOfflineModel(OfflineModel):
    async def _stream(self, messages: Any, info: Any) -> AsyncIterator[Any]:
        async for chunk in super()._stream(messages, info):
            yield chunk
            await asyncio.sleep(PACE_SECONDS)


def _paced_build_model(role: llm.Role, *, config: Any = None) -> Any:
    if role == "agent":
        return PacedOfflineModel(role)
    return _build_model(role, config=config)


llm.build_model = _paced_build_model
