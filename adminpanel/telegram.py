"""The Telegram Bot API transport for operator alerts."""

from __future__ import annotations

import logging

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)


def telegram_send(*, text: str, timeout: float = 10.0) -> bool:
    """POST sendMessage; failures are logged and reported as False, never raised."""
    url = f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{settings.TELEGRAM_BOT_TOKEN}/sendMessage"
    try:
        response = httpx.post(url, json={"chat_id": settings.TELEGRAM_CHAT_ID, "text": text}, timeout=timeout)
        body = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        logger.error("telegram send failed: %s", type(exc).__name__)
        return False
    if not body.get("ok"):
        logger.error("telegram refused the alert: %s", body.get("error_code"))
        return False
    return True
