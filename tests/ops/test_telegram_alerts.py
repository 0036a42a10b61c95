"""Telegram alerts, against a fake Bot API on 127.0.0.1: a storm sends one
message, Telegram's 429 retry_after is honoured, failures are recorded."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from django.core.cache import cache

from conversations.models import Message
from conversations.services import conversation_start, turn_submit
from ops.alerts import alert_raise, alert_send
from ops.models import AuditLog
from ops.telegram import telegram_send

pytestmark = pytest.mark.django_db


def test_a_budget_cap_hit_by_many_turns_sends_exactly_one_alert(fake_telegram, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = [
            alert_raise(kind="budget", text="alice@example.com reached the daily budget", dedupe_key="budget:user:1")
            for _ in range(25)
        ]

    assert queued.count(True) == 1
    [message] = fake_telegram.delivered
    assert message["text"] == "[budget] alice@example.com reached the daily budget"
    assert message["chat_id"] == "-100200300"
    assert message["_path"] == f"/bot{fake_telegram.token}/sendMessage"
    assert AuditLog.objects.filter(event_type="alert_sent", details__dedupe_key="budget:user:1").count() == 1


def test_chat_turns_over_a_users_budget_send_exactly_one_alert(user, fake_telegram, django_capture_on_commit_callbacks):
    user.daily_budget_usd = Decimal("0")
    user.save()
    conversation = conversation_start(user=user)

    with django_capture_on_commit_callbacks(execute=True):
        for attempt in range(12):
            turn_submit(
                user=user, conversation_id=conversation.pk, text=f"Save Store {attempt}, 415-555-01{attempt:02d}"
            )

    refusals = Message.objects.filter(conversation=conversation, error_code="budget_exceeded").count()
    assert refusals == 12
    [message] = fake_telegram.delivered
    assert message["text"].startswith("[budget]")


def test_replicas_without_a_shared_cache_still_send_one(fake_telegram, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alert_raise(kind="budget", text="global cap reached", dedupe_key="budget:global")
        cache.clear()  # another web replica: its own cache has never seen the key
        alert_raise(kind="budget", text="global cap reached", dedupe_key="budget:global")

    assert len(fake_telegram.delivered) == 1


def test_a_worker_that_finds_another_workers_claim_does_not_send(fake_telegram):
    # Two workers checked "not sent yet" at the same moment; the first wrote its claim before the second.
    AuditLog.objects.create(event_type="alert_claimed", source="alerts", details={"dedupe_key": "budget:global:today"})

    assert alert_send(kind="budget", text="Global budget used up", dedupe_key="budget:global:today") is False
    assert len(fake_telegram.delivered) == 0


def test_a_failed_delivery_releases_its_claim_so_a_retry_may_send(settings, fake_telegram):
    unreachable = settings.TELEGRAM_API_BASE
    settings.TELEGRAM_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    assert alert_send(kind="budget", text="Global budget used up", dedupe_key="budget:global:retry") is False
    settings.TELEGRAM_API_BASE = unreachable

    assert alert_send(kind="budget", text="Global budget used up", dedupe_key="budget:global:retry") is True
    assert len(fake_telegram.delivered) == 1


def test_different_caps_each_send_their_alert(fake_telegram, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alert_raise(kind="budget", text="user 1 capped", dedupe_key="budget:user:1")
        alert_raise(kind="budget", text="user 2 capped", dedupe_key="budget:user:2")

    assert [message["text"] for message in fake_telegram.delivered] == [
        "[budget] user 1 capped",
        "[budget] user 2 capped",
    ]


def test_a_429_is_retried_after_the_time_telegram_asks_for(fake_telegram):
    fake_telegram.script = [
        (429, {"ok": False, "error_code": 429, "description": "Too Many Requests", "parameters": {"retry_after": 1}})
    ]

    started = time.monotonic()
    delivered = telegram_send(text="fallback burst")

    assert delivered is True
    assert time.monotonic() - started >= 1.0
    assert len(fake_telegram.received) == 2
    assert [message["text"] for message in fake_telegram.delivered] == ["fallback burst"]


def test_a_429_asking_for_too_long_a_wait_gives_up_without_blocking(fake_telegram):
    fake_telegram.script = [(429, {"ok": False, "error_code": 429, "parameters": {"retry_after": 3600}})]

    started = time.monotonic()
    delivered = alert_send(kind="error_burst", text="errors", dedupe_key="burst:errors")

    assert delivered is False
    assert time.monotonic() - started < 5
    assert fake_telegram.delivered == []
    assert AuditLog.objects.get(event_type="alert_failed").details == {
        "kind": "error_burst",
        "dedupe_key": "burst:errors",
    }


def test_an_unreachable_telegram_is_recorded_not_raised(settings):
    settings.TELEGRAM_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    settings.TELEGRAM_BOT_TOKEN = "123:abc"
    settings.TELEGRAM_CHAT_ID = "42"

    assert alert_send(kind="budget", text="cap", dedupe_key="budget:user:9") is False
    assert AuditLog.objects.filter(event_type="alert_failed").count() == 1


def test_without_a_channel_alerts_are_only_logged(settings, caplog):
    settings.TELEGRAM_BOT_TOKEN = ""

    assert alert_send(kind="budget", text="cap reached", dedupe_key="budget:user:3") is False
    assert "alert (no channel configured): [budget] cap reached" in caplog.text
    assert not AuditLog.objects.filter(event_type__startswith="alert_").exists()
