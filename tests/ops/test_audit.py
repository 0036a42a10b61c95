"""The audit log is append-only: a row is written once, stamped with the
request id, and leaves only through the retention purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ops.audit import audit_log_write
from ops.models import AppendOnlyError, AuditLog
from ops.request_context import reset_request_scope, set_request_id

pytestmark = pytest.mark.django_db


def test_a_written_event_carries_the_request_id_the_user_and_details(user):
    token = set_request_id("req-audit-0001")
    try:
        event = audit_log_write(
            event_type="login_failed", source="accounts", user=user, severity="warning", details={"ip": "203.0.113.7"}
        )
    finally:
        reset_request_scope(token)

    stored = AuditLog.objects.get(pk=event.pk)
    assert (stored.event_type, stored.source, stored.severity) == ("login_failed", "accounts", "warning")
    assert (stored.request_id, stored.user_id, stored.details) == ("req-audit-0001", user.pk, {"ip": "203.0.113.7"})


def test_an_event_outside_any_request_has_no_request_id_or_user():
    event = audit_log_write(event_type="purge_run", source="purges")

    stored = AuditLog.objects.get(pk=event.pk)
    assert (stored.request_id, stored.user_id, stored.details) == ("", None, {})


def test_a_written_event_cannot_be_changed_or_deleted():
    event = audit_log_write(event_type="config_changed", source="dashboard", details={"field": "off_scope_max"})

    event.details = {"field": "something else"}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.filter(pk=event.pk).update(details={})
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()

    assert AuditLog.objects.get().details == {"field": "off_scope_max"}


def test_the_retention_purge_removes_only_events_older_than_the_cutoff():
    now = timezone.now()
    AuditLog.objects.bulk_create(
        AuditLog(event_type="old", source="tests", created_at=now - timedelta(days=days)) for days in (400, 366)
    )
    AuditLog.objects.create(event_type="recent", source="tests", created_at=now - timedelta(days=364))

    removed = AuditLog.objects.purge_older_than(now - timedelta(days=365))

    assert removed == 2
    assert list(AuditLog.objects.values_list("event_type", flat=True)) == ["recent"]


def test_a_nul_in_the_details_is_stored_as_a_visible_replacement():
    # PostgreSQL's JSON refuses \u0000; the rest of what was typed is kept.
    event = audit_log_write(
        event_type="login_failed", source="accounts", details={"email": "a\x00b", "tried\x00": ["x\x00", 3]}
    )

    stored = AuditLog.objects.get(pk=event.pk)
    assert stored.details == {"email": "a\ufffdb", "tried\ufffd": ["x\ufffd", 3]}
