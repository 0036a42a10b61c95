"""Operator alerts (budget caps, provider fallback bursts, error bursts).

Raising an alert is cheap and safe to call on every occurrence: a dedupe key
lets one alert through per window, so a storm sends one message. The cache
stops repeats in the raising process; the worker checks the audit log before
sending, so replicas without a shared cache still send one. Delivery happens
in the worker (ops.tasks.alert_deliver -> alert_send).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from ops.audit import audit_log_write
from ops.models import AuditLog

logger = logging.getLogger(__name__)

DEFAULT_WINDOW_SECONDS = 15 * 60
ALERT_SENT_EVENT = "alert_sent"
ALERT_FAILED_EVENT = "alert_failed"
# Written before sending, so two workers never both send one alert.
ALERT_CLAIMED_EVENT = "alert_claimed"


def alert_raise(*, kind: str, text: str, dedupe_key: str, window_seconds: int = DEFAULT_WINDOW_SECONDS) -> bool:
    """Queue an alert unless one with the same key went out in this window.

    Returns True when an alert was queued.
    """
    if not cache.add(f"storebot:alert:{dedupe_key}", 1, window_seconds):
        return False
    logger.warning("alert raised", extra={"alert_kind": kind, "dedupe_key": dedupe_key})
    transaction.on_commit(
        lambda: async_task("ops.tasks.alert_deliver", kind, text, dedupe_key, window_seconds, task_name=f"alert:{kind}")
    )
    return True


def alert_send(*, kind: str, text: str, dedupe_key: str, window_seconds: int = DEFAULT_WINDOW_SECONDS) -> bool:
    """Send one alert to the operators' channel (worker side); audited either way.

    Returns True when Telegram accepted it. Without a configured channel the
    alert is only logged.
    """
    if _sent_within(dedupe_key=dedupe_key, seconds=window_seconds):
        logger.info("alert already sent in this window", extra={"alert_kind": kind, "dedupe_key": dedupe_key})
        return False
    if not (settings.TELEGRAM_BOT_TOKEN and settings.TELEGRAM_CHAT_ID):
        logger.warning("alert (no channel configured): [%s] %s", kind, text, extra={"alert_kind": kind})
        return False
    if not _claim(dedupe_key=dedupe_key, seconds=window_seconds):
        logger.info("alert being sent by another worker", extra={"alert_kind": kind, "dedupe_key": dedupe_key})
        return False
    from ops.telegram import telegram_send

    delivered = telegram_send(text=f"[{kind}] {text}")
    audit_log_write(
        event_type=ALERT_SENT_EVENT if delivered else ALERT_FAILED_EVENT,
        source="alerts",
        severity=AuditLog.Severity.INFO if delivered else AuditLog.Severity.WARNING,
        details={"kind": kind, "dedupe_key": dedupe_key},
    )
    return delivered


def _claim(*, dedupe_key: str, seconds: int) -> bool:
    """Claim the sending of this alert for this worker; False when another worker claimed it first.

    Reading "not sent yet" and then sending is a race between two workers; writing a claim first and then
    checking that it is the window's first is not: each worker sees both claims, and only the older sends. A
    delivery that failed releases the claims before it, so a later try in the window may send. Audit rows are
    append-only, so a claim is never withdrawn: the order of the rows decides.
    """
    claim = AuditLog.objects.create(
        event_type=ALERT_CLAIMED_EVENT,
        source="alerts",
        severity=AuditLog.Severity.INFO,
        details={"dedupe_key": dedupe_key},
    )
    window = AuditLog.objects.filter(
        created_at__gte=timezone.now() - timedelta(seconds=seconds), details__dedupe_key=dedupe_key
    )
    last_failure = window.filter(event_type=ALERT_FAILED_EVENT).order_by("-id").values_list("id", flat=True).first()
    claims = window.filter(event_type=ALERT_CLAIMED_EVENT, id__gt=last_failure or 0)
    return claims.order_by("id").values_list("id", flat=True).first() == claim.pk


def _sent_within(*, dedupe_key: str, seconds: int) -> bool:
    since = timezone.now() - timedelta(seconds=seconds)
    return AuditLog.objects.filter(
        event_type=ALERT_SENT_EVENT, created_at__gte=since, details__dedupe_key=dedupe_key
    ).exists()
