"""Starting and ending conversations.

`conversation_end` is idempotent and race-safe (a conditional UPDATE): the
turn that ends a conversation, a lockout and the idle purge can all call it,
and only the first queues the summary task, after the transaction commits.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from conversations.models import Conversation, ConversationState

if TYPE_CHECKING:
    from accounts.models import User


def conversation_start(*, user: User) -> Conversation:
    return Conversation.objects.create(user=user)


def conversation_end(*, conversation: Conversation, reason: str) -> None:
    """End a conversation (TERMINATED, ended_at, end_reason) and queue its summary; a no-op if already ended."""
    now = timezone.now()
    with transaction.atomic():
        ended = (
            Conversation.objects.filter(pk=conversation.pk)
            .exclude(state=ConversationState.TERMINATED)
            .update(state=ConversationState.TERMINATED, ended_at=now, end_reason=reason[:40], pending_action={})
        )
        if not ended:
            return
        conversation.state = ConversationState.TERMINATED
        conversation.ended_at = now
        conversation.end_reason = reason[:40]
        conversation.pending_action = {}
        conversation_id = conversation.pk
        transaction.on_commit(
            lambda: async_task(
                "conversations.tasks.conversation_summarize", conversation_id, task_name=f"summary:{conversation_id}"
            )
        )
