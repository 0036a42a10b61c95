"""Retention purges, run by the worker on a schedule.

Retention and idle limits come from the system configuration. Stores are
never purged. Conversation summaries outlive their messages: a conversation
with a summary is never deleted. Each run logs and audits what it removed.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django_q.models import Task

from conversations.models import Conversation, ConversationState, Message
from directory.models import ImportJob
from ops.audit import audit_log_write
from ops.config import get_config
from ops.models import AuditLog

logger = logging.getLogger(__name__)

# A conversation opened and never written to is removed after this long.
EMPTY_CONVERSATION_GRACE = timedelta(hours=1)
# Rows deleted per statement: keeps locks and memory small on big tables.
DELETE_BATCH_SIZE = 2000
PURGE_EVENT = "purge_completed"


def messages_purge_expired(*, now: datetime) -> int:
    """Delete messages older than the retention; summaries stay."""
    cutoff = now - timedelta(days=get_config().message_retention_days)
    return _delete_in_batches(Message.objects.filter(created_at__lt=cutoff))


def conversations_purge_empty(*, now: datetime) -> int:
    """Delete conversations with neither messages nor a summary, idle past the grace period."""
    cutoff = now - EMPTY_CONVERSATION_GRACE
    empty = Conversation.objects.filter(
        last_activity_at__lt=cutoff, messages__isnull=True, summary__isnull=True
    ).distinct()
    return _delete_in_batches(empty)


def conversations_end_idle(*, now: datetime) -> int:
    """End open conversations idle past the limit; each gets its summary written."""
    from conversations.services import conversation_end

    cutoff = now - timedelta(minutes=get_config().idle_conversation_minutes)
    idle = (
        Conversation.objects.exclude(state=ConversationState.TERMINATED)
        .filter(last_activity_at__lt=cutoff, messages__isnull=False)
        .distinct()
        .select_related("user")
    )
    ended = 0
    for conversation in idle.iterator(chunk_size=DELETE_BATCH_SIZE):
        conversation_end(conversation=conversation, reason="idle")
        ended += 1
    return ended


def audit_purge_expired(*, now: datetime) -> int:
    cutoff = now - timedelta(days=get_config().audit_retention_days)
    return AuditLog.objects.purge_older_than(cutoff)


def import_jobs_purge_expired(*, now: datetime) -> int:
    """Delete CSV import jobs (uploaded bytes and reports) past the retention; their stores stay."""
    cutoff = now - timedelta(days=get_config().import_retention_days)
    return _delete_in_batches(ImportJob.objects.filter(created_at__lt=cutoff))


def task_records_purge_expired(*, now: datetime) -> int:
    """Delete django-q2 results (successes and failures) past the retention."""
    cutoff = now - timedelta(days=get_config().task_retention_days)
    return _delete_in_batches(Task.objects.filter(stopped__lt=cutoff))


def purge_run_all(*, now: datetime | None = None) -> dict[str, int]:
    """Every purge once; returns the count removed (or ended) by each, and audits it."""
    now = now or timezone.now()
    counts = {
        # Messages first: a conversation whose last messages expire, and that
        # has no summary, is then empty and goes too.
        "messages": messages_purge_expired(now=now),
        "empty_conversations": conversations_purge_empty(now=now),
        "idle_conversations_ended": conversations_end_idle(now=now),
        "import_jobs": import_jobs_purge_expired(now=now),
        "task_records": task_records_purge_expired(now=now),
        "audit_events": audit_purge_expired(now=now),
    }
    logger.info("purge completed", extra={"purged": counts})
    audit_log_write(event_type=PURGE_EVENT, source="purges", details=counts)
    return counts


def _delete_in_batches(queryset: QuerySet) -> int:
    model = queryset.model
    deleted = 0
    while True:
        batch = list(queryset.values_list("pk", flat=True)[:DELETE_BATCH_SIZE])
        if not batch:
            return deleted
        _, per_model = model._default_manager.filter(pk__in=batch).delete()
        deleted += per_model.get(model._meta.label, 0)
