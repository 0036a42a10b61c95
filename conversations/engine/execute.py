"""Carrying out what the state machine decided, through the tools, before the agent phrases it.

`execute_message` handles a classified message: it works out the facts,
asks `fsm.transition`, runs the actions with the tool functions (gates
included), and updates the conversation in memory: state, pending action,
counters. A passphrase attempt is decided when it is checked, at submit
(`passphrase_outcome_apply`), and its reply carries the decided actions out
(`execute_passphrase`). The caller saves the conversation in the same
transaction. What the reply must say beyond the tool results is collected as
notes.

Synchronous (ORM); the orchestrator runs it in one `sync_to_async` call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from conversations.engine import tools
from conversations.engine.fsm import (
    Action,
    EndReason,
    Intent,
    MessageEvent,
    PassphraseEvent,
    PassphraseOutcome,
    State,
    Transition,
    transition,
)
from conversations.engine.grounding import ground_mentions
from conversations.engine.passphrase import attempts_left, lock_minutes_left
from conversations.engine.pending import (
    Merge,
    PendingAction,
    PendingLookup,
    PendingStore,
    SavedRef,
    lookups_of,
    merge_saves,
)
from conversations.engine.tools import ToolRecord, TurnDeps
from conversations.lifecycle import conversation_end
from conversations.phrasing import notes
from conversations.phrasing.notes import NOT_IN_USER_WORDS, Note
from conversations.schema import Classification
from ops.models import SystemConfig

if TYPE_CHECKING:
    from conversations.models import Conversation

SETTINGS_URL = "/accounts/settings/"
SAVE_INTENTS = frozenset({Intent.SAVE, Intent.MULTI_SAVE, Intent.MULTI_OPERATION})
LOOKUP_INTENTS = frozenset({Intent.RETRIEVE_BY_NAME, Intent.RETRIEVE_BY_PHONE, Intent.MULTI_OPERATION})
_OPERATION_TOOLS = frozenset({"save_store", "update_store", "lookup_by_name", "lookup_by_phone"})


@dataclass
class Plan:
    """What one turn did before the reply: the transition, the tool calls and the notes for the agent."""

    transition: Transition
    notes: list[Note] = field(default_factory=list)
    records: list[ToolRecord] = field(default_factory=list)

    @property
    def state_after(self) -> str:
        return str(self.transition.new_state)


def execute_message(deps: TurnDeps, classification: Classification, *, config: SystemConfig) -> Plan:
    conversation = deps.conversation
    state = State(conversation.state)
    # Held lookups belong to the passphrase turn that follows them; if that turn was abandoned they lapse
    # (and so do the actions decided for its reply).
    pending = replace(PendingAction.from_json(conversation.pending_action), lookups=())
    intent = Intent(classification.intent)
    # Only names and numbers the user typed go on: a model's invention is dropped here, and the reply asks.
    correcting = pending.last_saved[-1].name if pending.last_saved and not pending.saves else None
    mentions, not_typed = ground_mentions(classification.stores, deps.words, about=correcting)
    grounded = classification.model_copy(update={"stores": mentions})
    if intent in SAVE_INTENTS:
        # When every value offered was invented there is nothing to start collecting: the reply asks instead.
        starts = bool(mentions) or not not_typed
        merge = merge_saves(pending, grounded, region=deps.region, is_save_intent=starts)
    else:
        merge = Merge(incomplete=list(pending.saves))
        not_typed = []
    lookups, lookup_problems = lookups_of(classification) if intent in LOOKUP_INTENTS else ([], [])
    event = MessageEvent(
        intent=intent,
        has_complete_saves=bool(merge.complete),
        has_incomplete_saves=bool(merge.incomplete),
        corrects_saved=merge.correction is not None,
        lookup_kind=lookups[0].kind if lookups else None,
        lookup_gate=deps.lookup_gate,
        is_cancel=classification.is_cancel,
        has_pending=bool(pending.saves),
        off_scope_count=conversation.off_scope_count,
        off_scope_max=config.off_scope_max,
    )
    plan = Plan(transition=transition(state, event))
    plan.notes += not_typed
    plan.notes += merge.rejected
    plan.notes += [notes.LookupProblem(detail=problem) for problem in lookup_problems]
    deps.may_end = plan.transition.end_reason == EndReason.USER
    saves_left = list(merge.incomplete)
    held: list[PendingLookup] = []
    saved: list[SavedRef] = []
    for action in plan.transition.actions:
        match action:
            case Action.UPDATE_SAVED:
                saved.append(_correct_saved(deps, plan, merge))
            case Action.SAVE_STORES:
                saved += _save_all(deps, merge.complete)
            case Action.RUN_LOOKUPS:
                _run_lookups(deps, lookups)
            case Action.HOLD_LOOKUPS:
                held = lookups
            case Action.CANCEL_PENDING:
                plan.notes.append(notes.Cancelled(stores=_store_notes(pending.saves)))
                saves_left = []
            case Action.WARN_OFF_SCOPE:
                conversation.off_scope_count += 1
                until_end = config.off_scope_max - conversation.off_scope_count
                plan.notes.append(notes.OffScope(until_end=until_end))
            case Action.CLARIFY:
                plan.notes.append(_clarify_note(grounded, saves_left))
            case Action.END_CONVERSATION:
                _end(deps, plan)
            case _:
                _add_common_note(deps, plan, action, lookups=lookups, saves_left=saves_left, config=config)
    _apply(deps, plan, PendingAction(saves=tuple(saves_left), lookups=tuple(held), last_saved=tuple(saved)))
    return plan


def passphrase_outcome_apply(*, conversation: Conversation, outcome: PassphraseOutcome) -> None:
    """Apply a checked passphrase attempt's outcome to `conversation`: the one place it meets the state machine.

    Runs in the transaction that stores the attempt, so the next message is read in the new state even if
    this reply is never streamed. The state moves now (the last wrong attempt ends the conversation) and the
    actions decided for the reply wait in the pending action until `execute_passphrase` carries them out.
    The caller saves the conversation.
    """
    pending = PendingAction.from_json(conversation.pending_action)
    event = PassphraseEvent(outcome=outcome, has_incomplete_saves=bool(pending.saves))
    decided = transition(State(conversation.state), event)
    if decided.end_reason is not None:
        # conversation_end sets the state, the end time and reason, and clears what was pending.
        conversation_end(conversation=conversation, reason=str(decided.end_reason))
        pending = PendingAction()
    else:
        conversation.state = decided.new_state
    conversation.pending_action = replace(pending, passphrase_actions=decided.actions).to_json()


def execute_passphrase(deps: TurnDeps, *, config: SystemConfig) -> Plan:
    """The reply to a passphrase attempt: carry out what `passphrase_outcome_apply` decided when it was checked."""
    conversation = deps.conversation
    pending = PendingAction.from_json(conversation.pending_action)
    plan = Plan(transition=Transition(State(conversation.state), pending.passphrase_actions))
    lookups = list(pending.lookups)
    for action in plan.transition.actions:
        match action:
            case Action.REPORT_UNLOCKED:
                plan.notes.append(notes.Unlocked())
            case Action.RUN_LOOKUPS:
                _run_lookups(deps, lookups)
                lookups = []
            case Action.REPORT_WRONG_PASSPHRASE:
                left = attempts_left(conversation=conversation, config=config)
                plan.notes.append(notes.PassphraseWrong(attempts_left=left))
            case Action.LOCK_OUT:
                plan.notes.append(notes.PassphraseExhausted(lockout_minutes=config.lockout_minutes))
            case Action.DROP_LOOKUPS:
                lookups = []
            case Action.CANCEL_LOOKUPS:
                plan.notes.append(notes.LookupCancelled())
                lookups = []
            case Action.END_CONVERSATION:
                pass  # ended when the attempt was checked, together with the lockout
            case _:
                _add_common_note(deps, plan, action, lookups=lookups, saves_left=list(pending.saves), config=config)
    _apply(deps, plan, PendingAction(saves=pending.saves, lookups=tuple(lookups)))
    return plan


def _add_common_note(
    deps: TurnDeps,
    plan: Plan,
    action: Action,
    *,
    lookups: list[PendingLookup],
    saves_left: list[PendingStore],
    config: SystemConfig,
) -> None:
    match action:
        case Action.ASK_PASSPHRASE:
            held = tuple(notes.LookupNote(kind=str(lookup.kind), query=lookup.query) for lookup in lookups)
            plan.notes.append(notes.AskPassphrase(lookups=held))
        case Action.ASK_MISSING:
            plan.notes.append(notes.AskMissing(stores=_store_notes(saves_left)))
        case Action.REFUSE_LOOKUPS_LOCKED:
            minutes = lock_minutes_left(user=deps.user, now=timezone.now())
            plan.notes.append(notes.LookupsLocked(minutes_left=minutes))
        case Action.REFUSE_LOOKUPS_NO_PASSPHRASE:
            plan.notes.append(notes.NoPassphrase(settings_url=SETTINGS_URL))
        case Action.REJECT_CLOSED:
            # Submitted before an earlier message ended the conversation, processed after it.
            plan.notes.append(notes.Closed())
        case _:
            raise AssertionError(f"Unhandled action {action}")  # pragma: no cover - the grid test covers every action


def _save_all(deps: TurnDeps, stores: list[PendingStore]) -> list[SavedRef]:
    saved = []
    for store in stores:
        record = tools.save_store(deps, store_name=store.name or "", phone=store.phone or "")
        if record.result.get("status") == "saved" and record.store_id is not None:
            saved.append(SavedRef(store_id=record.store_id, name=record.result["store"]["name"]))
    return saved


def _run_lookups(deps: TurnDeps, lookups: list[PendingLookup]) -> None:
    for lookup in lookups:
        if lookup.kind == "phone":
            tools.lookup_by_phone(deps, phone=lookup.query)
        else:
            tools.lookup_by_name(deps, query=lookup.query)


def _correct_saved(deps: TurnDeps, plan: Plan, merge: Merge) -> SavedRef:
    """Correct the store the previous turn saved; it stays the one a further correction applies to."""
    assert merge.correction is not None
    ref, name, phone = merge.correction
    record = tools.update_store(deps, store_id=ref.store_id, store_name=name, phone=phone)
    # update_store is Python's own step, not a tool the agent knows: its result reaches the reply as a note.
    if record.result.get("reason") == NOT_IN_USER_WORDS:
        plan.notes.append(notes.NotInMessage(field=" and ".join(record.result["fields"]), name=ref.name))
        return ref
    if record.result.get("status") == "invalid":
        # The saved values stay: an invalid correction never replaces a valid one.
        reason = " ".join(record.result["errors"].values())
        kept = f"the number saved for {ref.name}" if phone else f"the name {ref.name}"
        field_name = "phone" if phone else "name"
        plan.notes.append(notes.KeptValue(field=field_name, value=phone or name or "", reason=reason, kept=kept))
        return ref
    plan.notes.append(_update_note(record.result))
    return SavedRef(store_id=ref.store_id, name=record.result["store"]["name"]) if record.ok else ref


def _end(deps: TurnDeps, plan: Plan) -> None:
    reason = plan.transition.end_reason or EndReason.USER
    if reason == EndReason.USER:
        tools.terminate_conversation(deps, reason="user")
        plan.notes.append(notes.Goodbye(operations=deps.conversation.operations_count))
    elif reason == EndReason.OFF_SCOPE:
        deps.conversation.off_scope_count += 1
        plan.notes.append(notes.OffScopeEnded())
    deps.ended_reason = str(reason)


def _apply(deps: TurnDeps, plan: Plan, pending: PendingAction) -> None:
    conversation = deps.conversation
    plan.records = list(deps.records)
    conversation.operations_count += sum(1 for record in plan.records if record.ok and record.name in _OPERATION_TOOLS)
    if plan.transition.new_state == State.TERMINATED:
        # `conversation_end` sets the state, the end time and reason, and queues the summary.
        conversation.pending_action = {}
        return
    conversation.state = plan.state_after
    conversation.pending_action = pending.to_json()


def _clarify_note(classification: Classification, saves_left: list[PendingStore]) -> notes.Clarify:
    mentioned = next((store.name for store in classification.stores if store.name), None)
    return notes.Clarify(
        hint=classification.reply_hint,
        about=mentioned or classification.lookup_query,
        pending=_store_notes(saves_left),
    )


def _store_notes(stores: Sequence[PendingStore]) -> tuple[notes.StoreNote, ...]:
    return tuple(notes.StoreNote(name=store.name, phone=store.phone, problem=store.problem) for store in stores)


def _update_note(result: dict[str, Any]) -> notes.StoreUpdated:
    """The note for update_store's result (its model-facing JSON) when it was not invalid."""
    store, existing = result.get("store"), result.get("existing")
    return notes.StoreUpdated(
        status=result["status"],
        store=notes.StoreFacts(**store) if store else None,
        existing=notes.StoreFacts(**existing) if existing else None,
        reason=result.get("reason"),
    )
