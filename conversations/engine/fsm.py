"""The conversation state machine: a pure function of (state, event).

No Django, no I/O, no model calls. The orchestrator works out the facts a
decision needs (is the save complete? is the passphrase verified? how many
off-scope messages so far?), asks `transition()` what happens, and carries out
the returned actions with the tools. Keeping the decision here means a model
can only ever *supply* an intent and fields; what follows from them is fixed.
"""

# ruff: noqa: S105 - names containing "passphrase" here are state and action labels, not secrets.
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    """Mirrors `conversations.models.ConversationState` (a test keeps them equal)."""

    IDLE = "IDLE"
    COLLECTING_SAVE_INFO = "COLLECTING_SAVE_INFO"
    AWAITING_PASSPHRASE_FOR_RETRIEVE = "AWAITING_PASSPHRASE_FOR_RETRIEVE"
    AWAITING_PASSPHRASE_FOR_REVERSE = "AWAITING_PASSPHRASE_FOR_REVERSE"
    AWAITING_PASSPHRASE_FOR_CHANGE = "AWAITING_PASSPHRASE_FOR_CHANGE"
    OFF_SCOPE_WARNED = "OFF_SCOPE_WARNED"
    TERMINATED = "TERMINATED"


class Intent(StrEnum):
    """Mirrors `conversations.models.Intent`."""

    SAVE = "save"
    RETRIEVE_BY_NAME = "retrieve_by_name"
    RETRIEVE_BY_PHONE = "retrieve_by_phone"
    MULTI_SAVE = "multi_save"
    MULTI_OPERATION = "multi_operation"
    OFF_SCOPE = "off_scope"
    TERMINATE = "terminate"
    CLARIFICATION = "clarification"
    UPDATE = "update"
    DELETE = "delete"
    UNDO = "undo"


CHANGE_INTENTS = frozenset({Intent.UPDATE, Intent.DELETE, Intent.UNDO})
OPERATION_INTENTS = frozenset(
    {Intent.SAVE, Intent.MULTI_SAVE, Intent.MULTI_OPERATION, Intent.RETRIEVE_BY_NAME, Intent.RETRIEVE_BY_PHONE}
    | CHANGE_INTENTS
)
AWAITING_PASSPHRASE = frozenset(
    {
        State.AWAITING_PASSPHRASE_FOR_RETRIEVE,
        State.AWAITING_PASSPHRASE_FOR_REVERSE,
        State.AWAITING_PASSPHRASE_FOR_CHANGE,
    }
)


class LookupGate(StrEnum):
    """Whether a lookup may run now, worked out by Python before the transition."""

    OPEN = "open"  # passphrase verified in this conversation and not expired
    NEEDS_PASSPHRASE = "needs_passphrase"
    NO_PASSPHRASE = "no_passphrase"  # the user never set one
    LOCKED = "locked"  # too many wrong attempts recently


class LookupKind(StrEnum):
    BY_NAME = "name"
    BY_PHONE = "phone"


class PassphraseOutcome(StrEnum):
    """The result of checking one passphrase attempt (done in Python, never by a model)."""

    RIGHT = "right"
    WRONG = "wrong"
    EXHAUSTED = "exhausted"  # wrong, and that was the last allowed attempt
    LOCKED = "locked"  # the user's lookups were already locked; not checked
    NO_PASSPHRASE = "no_passphrase"  # the passphrase was removed meanwhile; not checked
    CANCEL = "cancel"  # "never mind" instead of a passphrase: not counted as an attempt


class Action(StrEnum):
    """What the orchestrator must do, in this order."""

    UPDATE_SAVED = "update_saved"  # apply a correction to the store saved just before
    SAVE_STORES = "save_stores"  # save every complete store
    RUN_LOOKUPS = "run_lookups"
    HOLD_LOOKUPS = "hold_lookups"  # keep them in pending_action until the passphrase is checked
    RUN_CHANGES = "run_changes"  # change, delete or undo a saved store
    HOLD_CHANGES = "hold_changes"  # keep the change in pending_action until the passphrase is checked
    ASK_PASSPHRASE = "ask_passphrase"
    REFUSE_LOOKUPS_LOCKED = "refuse_lookups_locked"
    REFUSE_LOOKUPS_NO_PASSPHRASE = "refuse_lookups_no_passphrase"
    DROP_LOOKUPS = "drop_lookups"  # silently forget held lookups and changes (a refusal says why)
    CANCEL_LOOKUPS = "cancel_lookups"  # the user called the held lookups and changes off
    ASK_MISSING = "ask_missing"  # keep incomplete stores in pending_action and ask for what is missing
    REPORT_WRONG_PASSPHRASE = "report_wrong_passphrase"
    REPORT_UNLOCKED = "report_unlocked"
    LOCK_OUT = "lock_out"
    WARN_OFF_SCOPE = "warn_off_scope"
    CANCEL_PENDING = "cancel_pending"
    CLARIFY = "clarify"
    END_CONVERSATION = "end_conversation"
    REJECT_CLOSED = "reject_closed"


class EndReason(StrEnum):
    USER = "user"
    OFF_SCOPE = "off_scope"
    PASSPHRASE_LOCKOUT = "passphrase_lockout"


@dataclass(frozen=True)
class MessageEvent:
    """A classified user message, with the facts Python established about it.

    `has_complete_saves` / `has_incomplete_saves` are judged after merging the
    message into what was already collected; `lookup_kind` is the first lookup
    the message asks for (None when it asks for none). `has_change` says the
    message changes, deletes or undoes something saved; `change_gated` is False
    only for undoing a save of this conversation (saving needs no passphrase,
    so neither does taking it back).
    """

    intent: Intent
    has_complete_saves: bool = False
    has_incomplete_saves: bool = False
    corrects_saved: bool = False
    lookup_kind: LookupKind | None = None
    lookup_gate: LookupGate = LookupGate.NEEDS_PASSPHRASE
    has_change: bool = False
    change_gated: bool = True
    is_cancel: bool = False
    has_pending: bool = False
    off_scope_count: int = 0  # off-scope messages before this one
    off_scope_max: int = 3


@dataclass(frozen=True)
class PassphraseEvent:
    """The outcome of a passphrase attempt while one was awaited.

    Counting the attempt and locking lookups happen where the attempt is
    checked (at submit time, so a client cannot skip them); the actions
    returned here say what the reply must tell and which held lookups run.
    """

    outcome: PassphraseOutcome
    has_incomplete_saves: bool = False


Event = MessageEvent | PassphraseEvent


@dataclass(frozen=True)
class Transition:
    new_state: State
    actions: tuple[Action, ...]
    end_reason: EndReason | None = None


class InvalidEvent(ValueError):
    """An event that cannot happen in this state (a programming error, not user input)."""


def transition(state: State, event: Event) -> Transition:
    """Decide the next state and the actions for one event."""
    if state == State.TERMINATED:
        return Transition(State.TERMINATED, (Action.REJECT_CLOSED,))
    if isinstance(event, PassphraseEvent):
        if state not in AWAITING_PASSPHRASE:
            raise InvalidEvent(f"A passphrase attempt is only expected while awaiting one, not in {state}.")
        return _passphrase_transition(state, event)
    if state in AWAITING_PASSPHRASE:
        # While a passphrase is awaited the next message *is* the attempt; it
        # never reaches the classifier, so a classified message here means the
        # caller skipped the check. Keep waiting rather than guess.
        return Transition(state, (Action.ASK_PASSPHRASE,))
    return _message_transition(state, event)


def _passphrase_transition(state: State, event: PassphraseEvent) -> Transition:
    after_lookups = State.COLLECTING_SAVE_INFO if event.has_incomplete_saves else State.IDLE
    ask_missing = (Action.ASK_MISSING,) if event.has_incomplete_saves else ()
    match event.outcome:
        case PassphraseOutcome.RIGHT:
            return Transition(
                after_lookups, (Action.REPORT_UNLOCKED, Action.RUN_LOOKUPS, Action.RUN_CHANGES, *ask_missing)
            )
        case PassphraseOutcome.WRONG:
            return Transition(state, (Action.REPORT_WRONG_PASSPHRASE,))
        case PassphraseOutcome.EXHAUSTED:
            return Transition(
                State.TERMINATED,
                (Action.LOCK_OUT, Action.DROP_LOOKUPS, Action.END_CONVERSATION),
                EndReason.PASSPHRASE_LOCKOUT,
            )
        case PassphraseOutcome.LOCKED:
            return Transition(after_lookups, (Action.REFUSE_LOOKUPS_LOCKED, Action.DROP_LOOKUPS, *ask_missing))
        case PassphraseOutcome.NO_PASSPHRASE:
            return Transition(after_lookups, (Action.REFUSE_LOOKUPS_NO_PASSPHRASE, Action.DROP_LOOKUPS, *ask_missing))
        case PassphraseOutcome.CANCEL:
            return Transition(after_lookups, (Action.CANCEL_LOOKUPS, *ask_missing))


def _message_transition(state: State, event: MessageEvent) -> Transition:
    if event.intent == Intent.TERMINATE:
        return Transition(State.TERMINATED, (Action.END_CONVERSATION,), EndReason.USER)
    if event.is_cancel:
        # "never mind": drop what was being collected; with nothing pending there is nothing to undo.
        return Transition(State.IDLE if event.has_pending else state, (Action.CANCEL_PENDING,))
    if event.intent == Intent.OFF_SCOPE:
        if event.off_scope_count + 1 >= event.off_scope_max:
            return Transition(State.TERMINATED, (Action.END_CONVERSATION,), EndReason.OFF_SCOPE)
        return Transition(State.OFF_SCOPE_WARNED, (Action.WARN_OFF_SCOPE,))
    if event.intent == Intent.CLARIFICATION:
        return Transition(state, (Action.CLARIFY,))
    return _operation_transition(state, event)


def _operation_transition(state: State, event: MessageEvent) -> Transition:
    actions: list[Action] = []
    if event.corrects_saved:
        actions.append(Action.UPDATE_SAVED)
    if event.has_complete_saves:
        actions.append(Action.SAVE_STORES)
    # What needs the passphrase: (run it now, hold it for the passphrase).
    gated: list[tuple[Action, Action]] = []
    if event.lookup_kind is not None:
        gated.append((Action.RUN_LOOKUPS, Action.HOLD_LOOKUPS))
    if event.has_change and event.change_gated:
        gated.append((Action.RUN_CHANGES, Action.HOLD_CHANGES))
    elif event.has_change:
        actions.append(Action.RUN_CHANGES)
    held = False
    if gated:
        match event.lookup_gate:
            case LookupGate.OPEN:
                actions += [run for run, _ in gated]
            case LookupGate.NEEDS_PASSPHRASE:
                actions += [*(hold for _, hold in gated), Action.ASK_PASSPHRASE]
                held = True
            case LookupGate.NO_PASSPHRASE:
                actions.append(Action.REFUSE_LOOKUPS_NO_PASSPHRASE)
            case LookupGate.LOCKED:
                actions.append(Action.REFUSE_LOOKUPS_LOCKED)
    if event.has_incomplete_saves and not held:
        # With something held, the next message is the passphrase: the missing
        # details are asked for after it (the incomplete stores stay pending).
        actions.append(Action.ASK_MISSING)
    if not actions:
        # An operation intent with nothing to operate on ("look something up"): ask.
        return Transition(state, (Action.CLARIFY,))
    if held:
        return Transition(_awaiting(event), tuple(actions))
    if event.has_incomplete_saves:
        return Transition(State.COLLECTING_SAVE_INFO, tuple(actions))
    return Transition(State.IDLE, tuple(actions))


def _awaiting(event: MessageEvent) -> State:
    """Which passphrase state holds the message's gated requests (the first lookup's kind names it)."""
    if event.lookup_kind == LookupKind.BY_PHONE:
        return State.AWAITING_PASSPHRASE_FOR_REVERSE
    if event.lookup_kind == LookupKind.BY_NAME:
        return State.AWAITING_PASSPHRASE_FOR_RETRIEVE
    return State.AWAITING_PASSPHRASE_FOR_CHANGE
