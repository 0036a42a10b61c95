"""Starting and ending conversations, and writing the summary of an ended one.

`conversation_end` is idempotent and race-safe (a conditional UPDATE): the
turn that ends a conversation, a lockout and the idle purge can all call it,
and only the first queues the summary task, after the transaction commits.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_q.tasks import async_task

from conversations import llm
from conversations.accounting import usage_record
from conversations.budget import budget_check
from conversations.models import Conversation, ConversationState, ConversationSummary, Message
from conversations.phrasing.replies import phrase_summary
from conversations.prompts import prompt_active_body
from ops.config import get_config
from ops.tracing import turn_trace

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# What the summarizer reads: the end of a long conversation, each message clipped.
SUMMARY_MAX_MESSAGES = 60
SUMMARY_MAX_MESSAGE_CHARS = 500


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


def summary_write(*, conversation_id: int) -> ConversationSummary:
    """Write the summary of an ended conversation with the summarizer model (once; later calls return it)."""
    conversation = Conversation.objects.select_related("user").get(pk=conversation_id)
    existing = ConversationSummary.objects.filter(conversation=conversation).first()
    if existing is not None:
        return existing
    payload = _summary_payload(conversation)
    config = get_config()
    user = conversation.user
    text, usage = "", None
    if budget_check(user=user).allowed:
        from conversations.engine.model_calls import summarize

        try:
            with turn_trace(conversation_id=conversation.pk, user_id=user.pk, name="conversation summary"):
                text, usage = summarize(payload=payload, prompt=prompt_active_body("summarizer"), config=config)
        except llm.PROVIDER_ERRORS as error:
            logger.warning(
                "summary model failed for conversation %s: %s", conversation_id, llm.describe_provider_error(error)
            )
    if not text:
        # Over budget or no model available: the summary is still written, from the recorded operations.
        text = phrase_summary(payload)
    try:
        with transaction.atomic():
            summary = ConversationSummary.objects.create(
                conversation=conversation,
                summary=text,
                operations_count=conversation.operations_count,
                model=usage.model if usage else "",
                tokens_in=usage.tokens_in if usage else 0,
                tokens_out=usage.tokens_out if usage else 0,
                cost_usd=usage.cost_usd if usage else 0,
            )
    except IntegrityError:
        return ConversationSummary.objects.get(conversation=conversation)
    if usage is not None:
        usage_record(user=user, usage=usage)
        if usage.fallback_used:
            llm.fallback_record(
                user=user, role="summarizer", primary=usage.primary_model, used=usage.model, error=usage.primary_error
            )
    return summary


def _summary_payload(conversation: Conversation) -> dict[str, Any]:
    messages = list(conversation.messages.order_by("-created_at", "-id")[:SUMMARY_MAX_MESSAGES])[::-1]
    return {
        "end_reason": conversation.end_reason,
        "operations_count": conversation.operations_count,
        "messages": [
            {"role": message.role, "content": message.content[:SUMMARY_MAX_MESSAGE_CHARS]}
            for message in messages
            if message.content and not message.is_error
        ],
        "tool_calls": [
            {key: call.get(key) for key in ("name", "args", "ok", "result")}
            for message in messages
            if message.role == Message.Role.ASSISTANT
            for call in message.tool_calls
            if isinstance(call, dict)
        ],
    }
