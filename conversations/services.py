"""The conversations app's API: conversations and their turns (the chat page, the CLI), the summary of an
ended conversation (the worker) and trying a draft prompt (the staff prompt editor).

A turn is two steps so the web page can answer the POST at once and stream
the reply over SSE: `turn_submit` (sync) validates and stores the user's
message, and `turn_stream` (async) runs the rest and yields events.
`turn_run` does both (CLI, tests).

When the conversation awaits a passphrase, `turn_submit` has the engine check
it right there, in Python: it is never sent to a model and never stored (the
row holds the redaction marker); the attempt is counted and its outcome
applied in the transaction that stores it, so a client that never reads the
reply cannot skip the count. The hash is checked before that transaction,
never inside it: a message that needs a check rolls its transaction back, is
checked with no transaction open, and is stored by a second one that reads
the rows again.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncGenerator
from contextlib import aclosing
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from asgiref.sync import sync_to_async
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from conversations import agents, llm
from conversations.accounting import usages_record
from conversations.budget import budget_check, budget_refusal_record
from conversations.engine.turn import (
    PassphraseCheck,
    PassphraseCheckNeeded,
    Turn,
    message_check,
    message_receive,
    reply_claim,
    run_claimed,
    turn_stream,
)
from conversations.events import TurnEvent
from conversations.exceptions import ConversationClosed, TurnRejected
from conversations.lifecycle import conversation_end, conversation_start
from conversations.models import MESSAGE_MAX_LENGTH, Conversation, ConversationSummary, Message
from conversations.phrasing.replies import phrase_summary
from conversations.prompts import prompt_active_body, prompt_sample_check
from conversations.schema import Role
from ops.config import get_config
from ops.nul import NUL_REFUSED, has_nul
from ops.request_context import get_request_id
from ops.text import visible_text
from ops.tracing import turn_trace

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

__all__ = [
    "MESSAGE_MAX_LENGTH",
    "ConversationClosed",
    "TurnRejected",
    "conversation_end",
    "conversation_start",
    "prompt_try",
    "summary_write",
    "turn_run",
    "turn_stream",
    "turn_submit",
]

TITLE_LENGTH = 60
# How long a turn may take before the next message no longer waits for it (a client that never streamed).
TURN_GRACE = timedelta(seconds=60)
# What the summarizer reads: the end of a long conversation, each message clipped.
SUMMARY_MAX_MESSAGES = 60
SUMMARY_MAX_MESSAGE_CHARS = 500
# Submits of one message, each after the hash checks the one before asked for (one is the rule; another only
# when the conversation moved on or the passphrase changed during the check).
_PASSPHRASE_CHECK_TRIES = 3
# What a submit changes on the conversation (with a passphrase outcome's state, counters and pending action).
_SUBMIT_FIELDS = [
    "state",
    "pending_action",
    "wrong_passphrase_count",
    "passphrase_verified_at",
    "last_activity_at",
    "title",
]


def turn_submit(*, user: User, conversation_id: int, text: str) -> Message:
    """Store the user's message (checking a passphrase attempt on the way); the reply comes from `turn_stream`.

    Raises Conversation.DoesNotExist (not the user's), TurnRejected (empty or
    too long) or ConversationClosed (ended).
    """
    cleaned = (text or "").strip()
    if not cleaned:
        raise TurnRejected("Type a message first.")
    if has_nul(cleaned):
        # PostgreSQL refuses NUL in text: say so, and the draft stays in the box.
        raise TurnRejected(NUL_REFUSED)
    # Bidi controls and zero-width characters can hide or reorder words from the user, staff and models alike.
    cleaned = visible_text(cleaned).strip()
    if not cleaned:
        raise TurnRejected("Type a message first.")
    if len(cleaned) > MESSAGE_MAX_LENGTH:
        raise TurnRejected(
            f"That message is too long ({len(cleaned):,} characters); please keep it under {MESSAGE_MAX_LENGTH:,}."
        )
    check: PassphraseCheck | None = None
    for _ in range(_PASSPHRASE_CHECK_TRIES):
        try:
            return _message_store(user=user, conversation_id=conversation_id, cleaned=cleaned, check=check)
        except PassphraseCheckNeeded as needed:
            # Rolled back: the slow hash runs with no transaction open, then the rows are read again.
            check = message_check(user=user, text=cleaned, needed=needed)
    # The conversation or the passphrase changed under each check: rare enough to ask for a resend.
    raise TurnRejected("Something changed while your message was checked; please send it again.")


def _message_store(*, user: User, conversation_id: int, cleaned: str, check: PassphraseCheck | None) -> Message:
    """turn_submit's transaction: lock the conversation, store the message, apply a passphrase attempt's
    outcome (checked by `check`; `PassphraseCheckNeeded` when it needs a check it has not had)."""
    config = get_config()
    now = timezone.now()
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id, user=user)
        if conversation.is_terminated:
            raise ConversationClosed("This conversation has ended. Start a new one to continue.")
        unfinished = _unfinished_turns(conversation)
        if any(_reply_being_generated(message, now) for message in unfinished):
            # One turn at a time: the next message may depend on this reply (it may ask for the passphrase).
            raise TurnRejected("Please wait for the reply to your last message first.")
        _close_unanswered(conversation, unfinished)
        budget = budget_check(user=user)
        state_before = conversation.state
        content, outcome = message_receive(
            user=user,
            conversation=conversation,
            text=cleaned,
            checks_passphrase=budget.allowed,
            now=now,
            config=config,
            check=check,
        )
        message = Message.objects.create(
            conversation=conversation,
            role=Message.Role.USER,
            content=content,
            redacted=content != cleaned,
            passphrase_outcome=outcome or "",
            state_before=state_before,
            request_id=get_request_id(),
            created_at=now,
        )
        conversation.last_activity_at = now
        if not conversation.title and not message.redacted:
            conversation.title = cleaned[:TITLE_LENGTH]
        conversation.save(update_fields=_SUBMIT_FIELDS)
        if not budget.allowed:
            budget_refusal_record(user=user, decision=budget)
            Message.objects.create(
                conversation=conversation,
                role=Message.Role.ASSISTANT,
                in_reply_to=message,
                content=budget.message,
                is_error=True,
                error_code="budget_exceeded",
                latency_ms=0,
                state_before=conversation.state,
                state_after=conversation.state,
                request_id=get_request_id(),
            )
    return message


async def turn_run(*, user: User, conversation_id: int, text: str) -> AsyncGenerator[TurnEvent, None]:
    """Submit and stream one message (the CLI and tests)."""
    claimed = await sync_to_async(_submit_and_claim)(user=user, conversation_id=conversation_id, text=text)
    async with aclosing(run_claimed(claimed)) as events:
        async for event in events:
            yield event


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
        try:
            with turn_trace(conversation_id=conversation.pk, user_id=user.pk, name="conversation summary"):
                text, usage = agents.summarize(payload=payload, prompt=prompt_active_body("summarizer"), config=config)
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
        usages_record(user=user, usages=[usage])
        if usage.fallback_used:
            llm.fallback_record(
                user=user, role="summarizer", primary=usage.primary_model, used=usage.model, error=usage.primary_error
            )
    return summary


async def prompt_try(*, role: str, body: str, sample: str, user: User) -> str:
    """The prompt editor's "try it": run a sample message through the current model with a draft prompt.

    Nothing is stored but the spend.
    """
    prompt_sample_check(role=role, body=body, sample=sample, user=user)
    config = await sync_to_async(get_config)()
    text, usage = await agents.answer_sample(role=cast("Role", role), instructions=body, sample=sample, config=config)
    await sync_to_async(usages_record)(user=user, usages=[usage])
    return text


def _submit_and_claim(*, user: User, conversation_id: int, text: str) -> Turn | list[TurnEvent]:
    # One trip to the database thread instead of two: nothing else runs between the steps.
    message = turn_submit(user=user, conversation_id=conversation_id, text=text)
    return reply_claim(user=user, message=message)


def _unfinished_turns(conversation: Conversation) -> list[Message]:
    """The conversation's user messages whose reply is missing or not finished, with that reply (one query)."""
    unfinished = conversation.messages.filter(role=Message.Role.USER).filter(
        Q(reply__isnull=True) | Q(reply__latency_ms__isnull=True)
    )
    return list(unfinished.select_related("reply").order_by("id"))


def _reply_being_generated(message: Message, now: datetime) -> bool:
    """Whether the reply to `message` is streaming right now (claimed, not finished, recent)."""
    reply = getattr(message, "reply", None)
    # latency_ms is written when a turn finishes, however it finishes.
    return reply is not None and reply.latency_ms is None and now - reply.created_at < TURN_GRACE


def _close_unanswered(conversation: Conversation, unfinished: list[Message]) -> None:
    """Earlier messages whose reply was never streamed will not be answered out of order later."""
    unanswered = [message for message in unfinished if getattr(message, "reply", None) is None]
    for message in unanswered:
        Message.objects.create(
            conversation=conversation,
            role=Message.Role.ASSISTANT,
            in_reply_to=message,
            is_error=True,
            error_code="not_answered",
            interrupted=True,
            latency_ms=0,
            state_before=conversation.state,
            state_after=conversation.state,
        )


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
