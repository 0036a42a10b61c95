"""Many provider fallbacks or errors within the window raise one alert;
a few, or old ones, raise none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from adminpanel.bursts import bursts_check
from conversations.models import Conversation, Message
from ops.models import AuditLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _burst_limits(settings):
    settings.ALERT_BURST_WINDOW_MINUTES = 10
    settings.ALERT_FALLBACK_BURST_THRESHOLD = 5
    settings.ALERT_ERROR_BURST_THRESHOLD = 5


def _fallbacks(count: int, *, minutes_ago: int = 1) -> None:
    when = timezone.now() - timedelta(minutes=minutes_ago)
    AuditLog.objects.bulk_create(
        AuditLog(event_type="provider_fallback", source="llm", severity="warning", created_at=when)
        for _ in range(count)
    )


def _failed_replies(user, count: int) -> None:
    conversation = Conversation.objects.create(user=user)
    Message.objects.bulk_create(
        Message(conversation=conversation, role=Message.Role.ASSISTANT, is_error=True, error_code="provider")
        for _ in range(count)
    )


def test_a_fallback_burst_sends_one_alert(fake_telegram, django_capture_on_commit_callbacks):
    _fallbacks(7)

    with django_capture_on_commit_callbacks(execute=True):
        first = bursts_check()
        second = bursts_check()

    assert first == ["fallback_burst"]
    assert second == []
    [message] = fake_telegram.delivered
    assert message["text"].startswith("[fallback_burst] 7 provider fallbacks in the last 10 minutes")


def test_fewer_fallbacks_than_the_threshold_send_nothing(fake_telegram, django_capture_on_commit_callbacks):
    _fallbacks(4)

    with django_capture_on_commit_callbacks(execute=True):
        assert bursts_check() == []

    assert fake_telegram.received == []


def test_fallbacks_older_than_the_window_do_not_count(fake_telegram, django_capture_on_commit_callbacks):
    _fallbacks(9, minutes_ago=30)

    with django_capture_on_commit_callbacks(execute=True):
        assert bursts_check() == []


def test_failed_replies_and_server_errors_together_make_an_error_burst(
    user, fake_telegram, django_capture_on_commit_callbacks
):
    _failed_replies(user, 3)
    AuditLog.objects.create(event_type="request_error", source="web", severity="error")
    AuditLog.objects.create(event_type="request_error", source="web", severity="error")

    with django_capture_on_commit_callbacks(execute=True):
        assert bursts_check() == ["error_burst"]

    [message] = fake_telegram.delivered
    assert message["text"] == "[error_burst] 3 failed chat replies and 2 server errors in the last 10 minutes."
