"""The engine's entry point: one turn of a conversation, in the two steps the services call.

At submit, in the transaction that stores the message, `message_receive`
says what is stored of it: a passphrase attempt is counted and its outcome
applied there, its hash checked before (`message_check`). Then the turn runs (`turn_stream`, or `reply_claim`
and `run_claimed`):

    claim the reply row → (passphrase turn: already decided at submit)
    or classify → state machine + tools (one transaction) → agent streams the
    reply → persist the reply with tokens, cost, latency, tool calls, states.

Model calls stay async on the caller's event loop; ORM work runs through
`sync_to_async`. The reply row is claimed first (its `in_reply_to` is unique),
so two requests for the same turn never generate twice: the second replays.
If the client goes away mid-reply, `CancelledError` or `GeneratorExit`
arrives at a `yield`/`await`; the partial reply is stored (interrupted) before
the exception goes on, and the operations already done stay done.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from asgiref.sync import sync_to_async
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from conversations import agents, llm
from conversations.accounting import CallUsage, usages_record
from conversations.engine.execute import Plan, execute_message, execute_passphrase, passphrase_outcome_apply
from conversations.engine.fsm import PassphraseOutcome
from conversations.engine.grounding import UserWords
from conversations.engine.history import agent_history, classifier_recent, recent_messages, replay_events
from conversations.engine.passphrase import (
    PassphraseCheck,
    PassphraseCheckNeeded,
    lookup_gate,
    passphrase_attempt,
    passphrase_check,
    passphrase_redact,
    unlock_expire_if_idle,
)
from conversations.engine.pending import PendingAction
from conversations.engine.tools import TurnDeps, reply_toolset
from conversations.events import StateChanged, TextDelta, ToolRan, TurnDone, TurnError, TurnEvent
from conversations.lifecycle import conversation_end
from conversations.models import PASSPHRASE_REDACTION, Conversation, Message
from conversations.phrasing.brief import TurnBrief
from conversations.phrasing.notes import PassphraseInMessage
from conversations.phrasing.replies import phrase_reply
from conversations.prompts import prompt_active_body
from conversations.schema import Classification, ClassifierInput
from ops.config import get_config
from ops.models import SystemConfig
from ops.request_context import get_request_id
from ops.tracing import turn_trace

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

PROVIDER_UNAVAILABLE = (
    "I can't reach the language model right now, so I couldn't act on that message. Nothing was changed; "
    "please try again in a minute."
)
INTERNAL_ERROR = (
    "Something went wrong on our side and I couldn't finish that. Anything already saved stays saved; please try again."
)
# What `_persist` writes on the reply row; the rest was written by the claim.
_REPLY_FIELDS = [
    "content",
    "tool_calls",
    "state_after",
    "latency_ms",
    "tokens_in",
    "tokens_out",
    "cost_usd",
    "model_requests",
    "model",
    "fallback_used",
    "is_error",
    "error_code",
    "interrupted",
]


@dataclass
class Turn:
    """One claimed turn: its message, its reply row and what the run gathers for `_persist`."""

    user: User
    message: Message
    reply: Message
    config: SystemConfig
    prompts: dict[str, str]
    started: float = field(default_factory=time.perf_counter)
    deps: TurnDeps | None = None
    plan: Plan | None = None
    text: list[str] = field(default_factory=list)
    classification: Classification | None = None
    recent: list[Message] | None = None  # the messages before this one, once read
    usages: list[CallUsage] = field(default_factory=list)
    error: TurnError | None = None
    error_code: str = ""


def message_receive(
    *,
    user: User,
    conversation: Conversation,
    text: str,
    checks_passphrase: bool,
    now: datetime,
    config: SystemConfig,
    check: PassphraseCheck | None = None,
) -> tuple[str, PassphraseOutcome | None]:
    """The engine's part of a submit, in its transaction: what is stored of the message, and the outcome of the
    passphrase attempt it was, if it was one.

    An unlock idle too long is forgotten first. While a passphrase is awaited the message is the attempt: only
    the redaction marker is stored, and unless `checks_passphrase` is False (over budget) it is counted and its
    outcome applied here, so a client that never reads the reply skips none of it. In any other message the
    user's passphrase is blanked out wherever it appears (typed exactly, it unlocks the conversation), so
    nothing derived from the message (title, pending action, tool calls, model requests, reply) can hold it.
    The caller saves the conversation.

    No hash is checked here: a message that needs a check `check` does not hold raises
    `PassphraseCheckNeeded`; the caller rolls back, gets the check from `message_check` (outside any
    transaction) and submits again, and the outcome follows the rows as they are then.
    """
    unlock_expire_if_idle(conversation=conversation, now=now, config=config)
    if not conversation.is_awaiting_passphrase:
        return passphrase_redact(user=user, conversation=conversation, text=text, now=now, check=check), None
    if not checks_passphrase:
        return PASSPHRASE_REDACTION, None
    outcome = passphrase_attempt(
        user=user, conversation=conversation, attempt=text, now=now, config=config, check=check
    )
    passphrase_outcome_apply(conversation=conversation, outcome=outcome)
    return PASSPHRASE_REDACTION, outcome


def message_check(*, user: User, text: str, needed: PassphraseCheckNeeded) -> PassphraseCheck:
    """The hash checks `message_receive` asked for, run outside any transaction."""
    return passphrase_check(user=user, text=text, as_attempt=needed.as_attempt)


async def turn_stream(
    *, user: User, message_id: int, message: Message | None = None
) -> AsyncGenerator[TurnEvent, None]:
    """Claim and run the turn of a submitted message (the SSE request), or replay its reply.

    `message`, when the caller already loaded it (checked to be the user's, with
    its conversation), saves loading it again.
    """
    if message is None:
        claimed = await sync_to_async(_claim_by_id)(user=user, message_id=message_id)
    else:
        claimed = await sync_to_async(reply_claim)(user=user, message=message)
    # Closed explicitly: a client that hangs up must reach run_claimed's handler now, on this loop.
    async with contextlib.aclosing(run_claimed(claimed)) as events:
        async for event in events:
            yield event


async def run_claimed(claimed: Turn | list[TurnEvent]) -> AsyncGenerator[TurnEvent, None]:
    """The events of a turn `reply_claim` returned: run it, or replay the reply that exists."""
    if isinstance(claimed, list):
        for event in claimed:
            yield event
        return
    turn = claimed
    with turn_trace(conversation_id=turn.message.conversation_id, user_id=turn.user.pk):
        try:
            async for event in _run(turn):
                yield event
        except BaseException:
            await _persist_shielded(turn, interrupted=True)
            raise
        await _persist_shielded(turn, interrupted=False)
    yield TurnDone(message_id=turn.reply.pk, state=turn.reply.state_after)


def _claim_by_id(*, user: User, message_id: int) -> Turn | list[TurnEvent]:
    message = Message.objects.select_related("conversation").get(
        pk=message_id, role=Message.Role.USER, conversation__user=user
    )
    return reply_claim(user=user, message=message)


def reply_claim(*, user: User, message: Message) -> Turn | list[TurnEvent]:
    """Create the reply row for the user's `message` (loaded with its conversation), or the events
    of the reply that exists."""
    try:
        # A savepoint only inside a caller's transaction: on its own the INSERT is atomic already.
        with transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext():
            reply = Message.objects.create(
                conversation=message.conversation,
                role=Message.Role.ASSISTANT,
                in_reply_to=message,
                interrupted=True,  # until the turn completes
                state_before=message.state_before,
                request_id=get_request_id(),
            )
    except IntegrityError:
        # in_reply_to is unique: another request claimed this turn first.
        return replay_events(Message.objects.select_related("conversation").get(in_reply_to=message))
    return Turn(
        user=user,
        message=message,
        reply=reply,
        config=get_config(),
        prompts={role: prompt_active_body(role) for role in ("classifier", "agent")},
    )


async def _run(turn: Turn) -> AsyncGenerator[TurnEvent, None]:
    try:
        if not turn.message.passphrase_outcome:
            turn.classification = await _classify(turn)
        turn.plan, recent = await sync_to_async(_execute)(turn)
        for record in turn.plan.records:
            yield ToolRan(name=record.name, ok=record.ok, summary=record.summary)
        if turn.reply.state_after != turn.message.state_before:
            yield StateChanged.of(turn.reply.state_after)
        async for delta in _reply(turn, recent):
            yield delta
    except llm.PROVIDER_ERRORS as error:
        logger.warning("model unavailable for turn %s: %s", turn.message.pk, llm.describe_provider_error(error))
        turn.error = TurnError(code="provider_unavailable", message=PROVIDER_UNAVAILABLE)
        yield turn.error
    except Exception:
        logger.exception("turn %s failed", turn.message.pk)
        turn.error = TurnError(code="internal_error", message=INTERNAL_ERROR)
        yield turn.error


async def _classify(turn: Turn) -> Classification:
    conversation = turn.message.conversation
    pending = PendingAction.from_json(conversation.pending_action)
    # Read once for the classifier and the agent: no message is added between the two.
    turn.recent = await sync_to_async(recent_messages)(turn.message)
    payload = ClassifierInput(
        message=turn.message.content,
        state=conversation.state,
        region=turn.user.default_region,
        pending=pending.for_classifier(),
        recent=classifier_recent(turn.recent) or None,
        store_in_hand=pending.offered_name or (pending.in_hand.name if pending.in_hand else None),
    )
    classification, usage = await agents.classify(
        payload=payload, prompt=turn.prompts["classifier"], config=turn.config
    )
    turn.usages.append(usage)  # recorded with the reply's, in `_persist`
    return classification


def _execute(turn: Turn) -> tuple[Plan, list[Message]]:
    """State machine and tools in one transaction, the conversation row locked meanwhile; then the
    recent messages the agent will see."""
    with transaction.atomic():
        # Fresh rows (state, lockout, passphrase) whatever the caller holds; the user is the owner.
        conversation = (
            Conversation.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=turn.message.conversation_id)
        )
        gate = lookup_gate(user=conversation.user, conversation=conversation, now=timezone.now())
        words = UserWords.of(
            turn.message.content,
            pending=PendingAction.from_json(conversation.pending_action),
            region=conversation.user.default_region,
        )
        deps = TurnDeps(user=conversation.user, conversation=conversation, lookup_gate=gate, words=words)
        if turn.classification is None:
            plan = execute_passphrase(deps, config=turn.config)
        else:
            plan = execute_message(deps, turn.classification, config=turn.config)
        if turn.message.redacted and not turn.message.passphrase_outcome:
            plan.notes.insert(0, PassphraseInMessage())
        conversation.last_activity_at = timezone.now()
        conversation.save()
        if plan.transition.end_reason is not None:
            conversation_end(conversation=conversation, reason=str(plan.transition.end_reason))
    turn.deps = deps
    turn.reply.state_after = conversation.state
    return plan, turn.recent if turn.recent is not None else recent_messages(turn.message)


async def _reply(turn: Turn, recent: list[Message]) -> AsyncGenerator[TurnEvent, None]:
    assert turn.plan is not None
    assert turn.deps is not None
    brief = TurnBrief(state=turn.reply.state_after, notes=tuple(turn.plan.notes))
    history = agent_history(recent, turn.message, turn.plan.records)
    instructions = f"{turn.prompts['agent']}\n\n{brief.to_instructions()}"
    seen_records = len(turn.deps.records)
    try:
        async for delta in agents.reply_stream(
            deps=turn.deps,
            toolset=reply_toolset,
            history=history,
            instructions=instructions,
            config=turn.config,
            usages=turn.usages,
        ):
            turn.text.append(delta)
            yield TextDelta(delta)
    except llm.PROVIDER_ERRORS as error:
        # The operations already ran: say what happened in Python's words rather than nothing.
        logger.warning("agent model failed for turn %s: %s", turn.message.pk, llm.describe_provider_error(error))
        results = [(record.name, record.result) for record in turn.plan.records]
        fallback = ("\n\n" if turn.text else "") + phrase_reply(results, brief)
        turn.text.append(fallback)
        turn.error_code = "agent_unavailable"
        yield TextDelta(fallback)
    for record in turn.deps.records[seen_records:]:
        yield ToolRan(name=record.name, ok=record.ok, summary=record.summary)


async def _persist_shielded(turn: Turn, *, interrupted: bool) -> None:
    # Shielded: a second cancellation must not lose the reply row half-written.
    await asyncio.shield(sync_to_async(_persist)(turn, interrupted=interrupted))


def _persist(turn: Turn, *, interrupted: bool) -> None:
    """Finish the reply row, the message's intent and the day's usage: one statement each."""
    reply = turn.reply
    reply.content = "".join(turn.text) if turn.text or turn.error is None else turn.error.message
    reply.tool_calls = [record.to_json() for record in (turn.deps.records if turn.deps else [])]
    # The state the turn left, a tool the agent called included (or, if it stopped before acting, the submit's).
    reply.state_after = (turn.deps.conversation if turn.deps else turn.message.conversation).state
    reply.latency_ms = int((time.perf_counter() - turn.started) * 1000)
    reply.tokens_in = sum(usage.tokens_in for usage in turn.usages)
    reply.tokens_out = sum(usage.tokens_out for usage in turn.usages)
    reply.cost_usd = sum((usage.cost_usd for usage in turn.usages), Decimal(0))
    reply.model_requests = sum(usage.requests for usage in turn.usages)
    reply.model = next((usage.model for usage in reversed(turn.usages) if usage.model), "")
    reply.fallback_used = any(usage.fallback_used for usage in turn.usages)
    reply.is_error = turn.error is not None or bool(turn.error_code)
    reply.error_code = turn.error.code if turn.error else turn.error_code
    reply.interrupted = interrupted
    reply.save(update_fields=_REPLY_FIELDS)
    if turn.classification is not None:
        Message.objects.filter(pk=turn.message.pk).update(intent=turn.classification.intent)
    usages_record(user=turn.user, usages=turn.usages)
    for usage in turn.usages:
        if usage.fallback_used:
            llm.fallback_record(
                user=turn.user,
                role=usage.role,
                primary=usage.primary_model,
                used=usage.model,
                error=usage.primary_error,
            )
    if turn.deps is None:  # the turn stopped before `_execute`, which records the activity
        Conversation.objects.filter(pk=turn.message.conversation_id).update(last_activity_at=timezone.now())
