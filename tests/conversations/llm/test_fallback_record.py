"""fallback_record: a fallback is logged, audited every time and alerted once per window."""

import logging

from conversations.llm import fallback_record
from ops.models import AuditLog


def record(user, error="ModelServerError: status_code: 500"):
    fallback_record(
        user=user, role="agent", primary="anthropic:claude-sonnet-4-6", used="openai:gpt-4o-mini", error=error
    )


def test_a_fallback_writes_a_warning_audit_event(user):
    record(user)

    event = AuditLog.objects.get(event_type="provider_fallback")
    assert event.severity == AuditLog.Severity.WARNING
    assert event.source == "llm"
    assert event.user == user
    assert event.details == {
        "role": "agent",
        "primary": "anthropic:claude-sonnet-4-6",
        "used": "openai:gpt-4o-mini",
        "error": "ModelServerError: status_code: 500",
    }


def test_a_fallback_logs_a_warning(user, caplog):
    with caplog.at_level(logging.WARNING, logger="conversations.llm"):
        record(user)

    assert "model fallback for agent: anthropic:claude-sonnet-4-6 failed, openai:gpt-4o-mini answered" in caplog.text


def test_repeated_fallbacks_send_one_alert_but_audit_each(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued_alerts:
        record(user)
        record(user)
        record(user)

    assert len(queued_alerts) == 1
    assert AuditLog.objects.filter(event_type="provider_fallback").count() == 3


def test_fallbacks_of_different_roles_alert_separately(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued_alerts:
        record(user)
        fallback_record(user=user, role="classifier", primary="anthropic:claude-haiku-4-5", used="openai:gpt-4o-mini")

    assert len(queued_alerts) == 2


def test_long_provider_errors_are_clipped(user):
    record(user, error="x" * 5000)

    assert len(AuditLog.objects.get().details["error"]) == 500
