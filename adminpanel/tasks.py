"""Background jobs of the admin panel. Thin: load, call a service."""

from __future__ import annotations

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def alert_deliver(kind: str, text: str, request_id: str = "") -> bool:
    """Send one alert to the operators' channel; log it when none is configured."""
    if not (settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_CHAT_ID):
        logger.warning("alert (no channel configured): %s", kind, extra={"alert_kind": kind})
        return False
    from adminpanel.telegram import telegram_send

    return telegram_send(text=f"[{kind}] {text}")
