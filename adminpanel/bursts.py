"""Burst detection, run by the worker on a schedule: many provider fallbacks
or many errors within a window raise one deduplicated alert.

Counted from the database, so every web replica's events are seen:
fallbacks are `provider_fallback` audit events (conversations.llm), errors
are failed chat replies (Message.is_error) plus unhandled request errors
(`request_error` audit events, ops.signals).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from conversations.llm import FALLBACK_EVENT
from conversations.models import Message
from ops.alerts import alert_raise
from ops.models import AuditLog
from ops.signals import REQUEST_ERROR_EVENT

logger = logging.getLogger(__name__)

# A burst that goes on is reported again at most this often.
BURST_REPEAT_SECONDS = 60 * 60


def bursts_check(*, now: datetime | None = None) -> list[str]:
    """Raise an alert for each burst in the last window; returns the kinds raised."""
    now = now or timezone.now()
    minutes: int = settings.ALERT_BURST_WINDOW_MINUTES
    since = now - timedelta(minutes=minutes)
    raised: list[str] = []

    fallbacks = AuditLog.objects.filter(event_type=FALLBACK_EVENT, created_at__gte=since).count()
    if fallbacks >= settings.ALERT_FALLBACK_BURST_THRESHOLD and alert_raise(
        kind="fallback_burst",
        text=f"{fallbacks} provider fallbacks in the last {minutes} minutes: the primary model is failing.",
        dedupe_key="burst:fallback",
        window_seconds=BURST_REPEAT_SECONDS,
    ):
        raised.append("fallback_burst")

    failed_replies = Message.objects.filter(created_at__gte=since, is_error=True).count()
    server_errors = AuditLog.objects.filter(event_type=REQUEST_ERROR_EVENT, created_at__gte=since).count()
    if failed_replies + server_errors >= settings.ALERT_ERROR_BURST_THRESHOLD and alert_raise(
        kind="error_burst",
        text=f"{failed_replies} failed chat replies and {server_errors} server errors in the last {minutes} minutes.",
        dedupe_key="burst:errors",
        window_seconds=BURST_REPEAT_SECONDS,
    ):
        raised.append("error_burst")

    logger.info(
        "burst check",
        extra={"fallbacks": fallbacks, "failed_replies": failed_replies, "server_errors": server_errors},
    )
    return raised
