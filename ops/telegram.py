"""The Telegram Bot API transport for operator alerts.

`POST {TELEGRAM_API_BASE}/bot{token}/sendMessage`. A 429 answer carries
`parameters.retry_after` (seconds): we wait that long and try again, up to a
limit; longer waits give up rather than block the worker.
"""

from __future__ import annotations

import logging
import time

import httpx
from django.conf import settings

logger = logging.getLogger(__name__)

TELEGRAM_TEXT_LIMIT = 4096
MAX_ATTEMPTS = 3
MAX_RETRY_WAIT_SECONDS = 30


def telegram_send(
    *,
    text: str,
    timeout: float = 10.0,
    max_attempts: int = MAX_ATTEMPTS,
    max_wait_seconds: int = MAX_RETRY_WAIT_SECONDS,
) -> bool:
    """POST sendMessage; failures are logged and reported as False, never raised."""
    # The URL holds the bot token: it is never logged.
    url = f"{settings.TELEGRAM_API_BASE.rstrip('/')}/bot{settings.TELEGRAM_BOT_TOKEN}/sendMessage"
    payload = {"chat_id": settings.TELEGRAM_CHAT_ID, "text": text[:TELEGRAM_TEXT_LIMIT]}
    for attempt in range(1, max_attempts + 1):
        try:
            body = httpx.post(url, json=payload, timeout=timeout).json()
        except (httpx.HTTPError, ValueError) as exc:
            logger.error("telegram send failed: %s", type(exc).__name__)
            return False
        if body.get("ok"):
            return True
        retry_after = (body.get("parameters") or {}).get("retry_after")
        if body.get("error_code") == 429 and isinstance(retry_after, int) and attempt < max_attempts:
            if retry_after > max_wait_seconds:
                logger.error("telegram rate limit: retry_after %ss is too long, alert dropped", retry_after)
                return False
            logger.warning("telegram rate limit: retrying in %ss", retry_after)
            time.sleep(retry_after)
            continue
        logger.error("telegram refused the alert: %s %s", body.get("error_code"), body.get("description", ""))
        return False
    return False
