"""Operator alerts (budget caps, provider fallbacks, error bursts).

Raising an alert is cheap and safe to call on every occurrence: a dedupe key
lets one alert through per window, so a storm sends one message. Delivery
happens in the worker (adminpanel.tasks.alert_deliver).
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import transaction
from django_q.tasks import async_task

from storebot.request_context import get_request_id

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_SECONDS = 15 * 60


def alert_raise(*, kind: str, text: str, dedupe_key: str, window_seconds: int = DEFAULT_WINDOW_SECONDS) -> bool:
    """Queue an alert unless one with the same key went out in this window.

    Returns True when an alert was queued.
    """
    if not cache.add(f"storebot:alert:{dedupe_key}", 1, window_seconds):
        return False
    logger.warning("alert raised", extra={"alert_kind": kind, "dedupe_key": dedupe_key})
    request_id = get_request_id()
    transaction.on_commit(
        lambda: async_task(
            "adminpanel.tasks.alert_deliver", kind, text, request_id=request_id, task_name=f"alert:{kind}"
        )
    )
    return True
