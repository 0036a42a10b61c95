"""Each retention purge removes exactly what it should and nothing else:
stores are never touched, summaries outlive their messages."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.utils import timezone
from django_q.models import Task

from adminpanel.purges import (
    audit_purge_expired,
    conversations_end_idle,
    conversations_purge_empty,
    import_jobs_purge_expired,
    messages_purge_expired,
    purge_run_all,
    task_records_purge_expired,
)
from conversations.models import Conversation, ConversationState, ConversationSummary, Message
from directory.models import ImportJob, Store
from ops.models import AuditLog
from tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _conversation(user, *, active_minutes_ago: int = 0, **fields) -> Conversation:
    when = NOW - timedelta(minutes=active_minutes_ago)
    return Conversation.objects.create(user=user, started_at=when, last_activity_at=when, **fields)


def _message(conversation: Conversation, *, days_ago: float, content: str = "hello") -> Message:
    return Message.objects.create(
        conversation=conversation,
        role=Message.Role.USER,
        content=content,
        created_at=NOW - timedelta(days=days_ago),
    )


@pytest.fixture
def stores(user, other_user) -> list:
    old = NOW - timedelta(days=3000)
    return [StoreFactory(user=user, created_at=old), StoreFactory(user=other_user), StoreFactory(user=user)]


def test_messages_past_retention_go_and_their_summary_stays(user, stores):
    conversation = _conversation(user, active_minutes_ago=200 * 24 * 60, state=ConversationState.TERMINATED)
    old = _message(conversation, days_ago=120)
    recent = _message(_conversation(user), days_ago=2)
    summary = ConversationSummary.objects.create(conversation=conversation, summary="Saved ACME.", operations_count=1)

    removed = messages_purge_expired(now=NOW)

    assert removed == 1
    assert not Message.objects.filter(pk=old.pk).exists()
    assert Message.objects.filter(pk=recent.pk).exists()
    assert ConversationSummary.objects.filter(pk=summary.pk).exists()
    assert Store.objects.count() == len(stores)


def test_a_reply_outliving_the_message_it_answers_is_kept(user):
    conversation = _conversation(user)
    question = _message(conversation, days_ago=91)
    answer = Message.objects.create(
        conversation=conversation,
        role=Message.Role.ASSISTANT,
        in_reply_to=question,
        created_at=NOW - timedelta(days=89),
    )

    assert messages_purge_expired(now=NOW) == 1

    answer.refresh_from_db()
    assert answer.in_reply_to is None


def test_empty_conversations_go_after_an_hour_unless_they_have_a_summary(user):
    stale_empty = _conversation(user, active_minutes_ago=120)
    fresh_empty = _conversation(user, active_minutes_ago=10)
    with_messages = _conversation(user, active_minutes_ago=120)
    _message(with_messages, days_ago=0.1)
    summarised = _conversation(user, active_minutes_ago=120, state=ConversationState.TERMINATED)
    ConversationSummary.objects.create(conversation=summarised, summary="Looked up Costco.")

    removed = conversations_purge_empty(now=NOW)

    assert removed == 1
    assert set(Conversation.objects.values_list("pk", flat=True)) == {fresh_empty.pk, with_messages.pk, summarised.pk}
    assert not Conversation.objects.filter(pk=stale_empty.pk).exists()


def test_idle_conversations_are_ended_with_a_summary(user, django_capture_on_commit_callbacks):
    idle = _conversation(user, active_minutes_ago=90)
    _message(idle, days_ago=0.07, content="Save ACME Hardware, 415-555-0198")
    active = _conversation(user, active_minutes_ago=5)
    _message(active, days_ago=0.003)
    already_ended = _conversation(user, active_minutes_ago=500, state=ConversationState.TERMINATED, end_reason="user")
    _message(already_ended, days_ago=0.4)

    with django_capture_on_commit_callbacks(execute=True):
        ended = conversations_end_idle(now=NOW)

    assert ended == 1
    idle.refresh_from_db()
    assert idle.state == ConversationState.TERMINATED
    assert idle.end_reason == "idle"
    assert ConversationSummary.objects.filter(conversation=idle).exists()
    active.refresh_from_db()
    assert active.state == ConversationState.IDLE
    already_ended.refresh_from_db()
    assert already_ended.end_reason == "user"


def test_audit_events_past_retention_go_and_newer_ones_stay():
    old = AuditLog.objects.create(event_type="login_failed", source="accounts", created_at=NOW - timedelta(days=400))
    kept = AuditLog.objects.create(event_type="login_failed", source="accounts", created_at=NOW - timedelta(days=300))

    assert audit_purge_expired(now=NOW) == 1

    assert list(AuditLog.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AuditLog.objects.filter(pk=old.pk).exists()


def test_import_jobs_past_retention_go_and_their_stores_stay(user, stores):
    old = ImportJob.objects.create(user=user, filename="old.csv", content=b"x", created_at=NOW - timedelta(days=45))
    recent = ImportJob.objects.create(user=user, filename="new.csv", content=b"x", created_at=NOW - timedelta(days=3))

    assert import_jobs_purge_expired(now=NOW) == 1

    assert list(ImportJob.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not ImportJob.objects.filter(pk=old.pk).exists()
    assert Store.objects.count() == len(stores)


def test_task_records_past_retention_go():
    def record(days_ago: int, success: bool) -> Task:
        when = NOW - timedelta(days=days_ago)
        return Task.objects.create(
            id=uuid4().hex,
            name=f"t{days_ago}",
            func="adminpanel.tasks.purge_run",
            started=when,
            stopped=when,
            success=success,
        )

    record(10, True)
    record(9, False)
    kept = record(2, True)

    assert task_records_purge_expired(now=NOW) == 2

    assert list(Task.objects.values_list("id", flat=True)) == [kept.id]


def test_a_run_purges_everything_and_audits_the_counts(user, stores, django_capture_on_commit_callbacks):
    _message(_conversation(user, active_minutes_ago=100 * 24 * 60), days_ago=100)
    _conversation(user, active_minutes_ago=180)
    AuditLog.objects.create(event_type="old", source="tests", created_at=NOW - timedelta(days=500))

    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_run_all(now=NOW)

    assert counts == {
        "messages": 1,
        "empty_conversations": 2,  # the one never used, and the one whose only message expired
        "idle_conversations_ended": 0,
        "import_jobs": 0,
        "task_records": 0,
        "audit_events": 1,
    }
    event = AuditLog.objects.get(event_type="purge_completed")
    assert event.details == counts
    assert Store.objects.count() == len(stores)


def test_retention_comes_from_the_system_config(user):
    from ops.config import forget_config, get_config

    config = get_config()
    config.message_retention_days = 5
    config.save()
    forget_config()
    _message(_conversation(user), days_ago=6)
    _message(_conversation(user), days_ago=4)

    assert messages_purge_expired(now=NOW) == 1
