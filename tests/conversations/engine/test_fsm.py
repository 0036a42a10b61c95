"""The state machine, exhaustively: every state and every intent, plus passphrase outcomes.

Pure Python: no database, no model.
"""

from __future__ import annotations

import itertools

import pytest

from conversations.engine.fsm import (
    AWAITING_PASSPHRASE,
    OPERATION_INTENTS,
    Action,
    EndReason,
    Intent,
    InvalidEvent,
    LookupGate,
    LookupKind,
    MessageEvent,
    PassphraseEvent,
    PassphraseOutcome,
    State,
    Transition,
    transition,
)
from conversations.models import ConversationState
from conversations.models import Intent as ModelIntent

ACTIVE_STATES = [State.IDLE, State.COLLECTING_SAVE_INFO, State.OFF_SCOPE_WARNED]
ALL_INTENTS = list(Intent)


def test_states_and_intents_mirror_the_model_choices():
    assert {s.value for s in State} == set(ConversationState.values)
    assert {i.value for i in Intent} == set(ModelIntent.values)


@pytest.mark.parametrize(("intent", "gate"), list(itertools.product(ALL_INTENTS, list(LookupGate))))
def test_a_terminated_conversation_rejects_every_message(intent, gate):
    event = MessageEvent(intent=intent, has_complete_saves=True, lookup_kind=LookupKind.BY_NAME, lookup_gate=gate)
    assert transition(State.TERMINATED, event) == Transition(State.TERMINATED, (Action.REJECT_CLOSED,))


@pytest.mark.parametrize("outcome", list(PassphraseOutcome))
def test_a_terminated_conversation_rejects_passphrase_attempts(outcome):
    result = transition(State.TERMINATED, PassphraseEvent(outcome=outcome))
    assert result.new_state == State.TERMINATED
    assert result.actions == (Action.REJECT_CLOSED,)


@pytest.mark.parametrize(("state", "intent"), list(itertools.product(sorted(AWAITING_PASSPHRASE), ALL_INTENTS)))
def test_while_awaiting_a_passphrase_a_classified_message_only_repeats_the_request(state, intent):
    result = transition(state, MessageEvent(intent=intent, has_complete_saves=True))
    assert result.new_state == state
    assert result.actions == (Action.ASK_PASSPHRASE,)


@pytest.mark.parametrize("state", ACTIVE_STATES)
def test_terminate_ends_the_conversation_from_any_active_state(state):
    result = transition(state, MessageEvent(intent=Intent.TERMINATE, has_pending=True, has_incomplete_saves=True))
    assert result.new_state == State.TERMINATED
    assert result.actions == (Action.END_CONVERSATION,)
    assert result.end_reason == EndReason.USER


@pytest.mark.parametrize("state", ACTIVE_STATES)
@pytest.mark.parametrize(("before", "expected_state"), [(0, State.OFF_SCOPE_WARNED), (1, State.OFF_SCOPE_WARNED)])
def test_off_scope_warns_before_the_limit(state, before, expected_state):
    result = transition(state, MessageEvent(intent=Intent.OFF_SCOPE, off_scope_count=before, off_scope_max=3))
    assert result.new_state == expected_state
    assert result.actions == (Action.WARN_OFF_SCOPE,)
    assert result.end_reason is None


@pytest.mark.parametrize("state", ACTIVE_STATES)
def test_the_third_off_scope_message_terminates(state):
    result = transition(state, MessageEvent(intent=Intent.OFF_SCOPE, off_scope_count=2, off_scope_max=3))
    assert result.new_state == State.TERMINATED
    assert result.actions == (Action.END_CONVERSATION,)
    assert result.end_reason == EndReason.OFF_SCOPE


def test_the_off_scope_limit_follows_the_configuration():
    assert transition(State.IDLE, MessageEvent(intent=Intent.OFF_SCOPE, off_scope_max=1)).new_state == State.TERMINATED
    five = MessageEvent(intent=Intent.OFF_SCOPE, off_scope_count=3, off_scope_max=5)
    assert transition(State.IDLE, five).new_state == State.OFF_SCOPE_WARNED


@pytest.mark.parametrize("state", ACTIVE_STATES)
def test_clarification_keeps_the_state(state):
    result = transition(state, MessageEvent(intent=Intent.CLARIFICATION, has_pending=True))
    assert result.new_state == state
    assert result.actions == (Action.CLARIFY,)


@pytest.mark.parametrize("state", ACTIVE_STATES)
@pytest.mark.parametrize("intent", [intent for intent in Intent if intent != Intent.TERMINATE])
def test_cancel_with_something_pending_returns_to_idle(state, intent):
    # "bye, never mind" still ends the conversation: terminate wins over cancel (tested above).
    result = transition(state, MessageEvent(intent=intent, is_cancel=True, has_pending=True))
    assert result.new_state == State.IDLE
    assert result.actions == (Action.CANCEL_PENDING,)


@pytest.mark.parametrize("state", ACTIVE_STATES)
def test_cancel_with_nothing_pending_changes_nothing(state):
    result = transition(state, MessageEvent(intent=Intent.CLARIFICATION, is_cancel=True, has_pending=False))
    assert result.new_state == state
    assert result.actions == (Action.CANCEL_PENDING,)


SAVE_INTENTS = [Intent.SAVE, Intent.MULTI_SAVE, Intent.MULTI_OPERATION]


@pytest.mark.parametrize("state", ACTIVE_STATES)
@pytest.mark.parametrize("intent", SAVE_INTENTS)
def test_a_complete_save_is_done_in_one_turn(state, intent):
    result = transition(state, MessageEvent(intent=intent, has_complete_saves=True))
    assert result.new_state == State.IDLE
    assert result.actions == (Action.SAVE_STORES,)


@pytest.mark.parametrize("state", ACTIVE_STATES)
@pytest.mark.parametrize("intent", SAVE_INTENTS)
def test_a_missing_or_invalid_field_moves_to_collecting(state, intent):
    result = transition(state, MessageEvent(intent=intent, has_incomplete_saves=True))
    assert result.new_state == State.COLLECTING_SAVE_INFO
    assert result.actions == (Action.ASK_MISSING,)


@pytest.mark.parametrize("state", ACTIVE_STATES)
def test_multi_save_saves_the_valid_stores_and_asks_about_the_rest(state):
    event = MessageEvent(intent=Intent.MULTI_SAVE, has_complete_saves=True, has_incomplete_saves=True)
    result = transition(state, event)
    assert result.new_state == State.COLLECTING_SAVE_INFO
    assert result.actions == (Action.SAVE_STORES, Action.ASK_MISSING)


@pytest.mark.parametrize("state", ACTIVE_STATES)
def test_a_correction_of_the_store_just_saved_updates_it(state):
    result = transition(state, MessageEvent(intent=Intent.SAVE, corrects_saved=True))
    assert result.new_state == State.IDLE
    assert result.actions == (Action.UPDATE_SAVED,)


LOOKUPS = [(Intent.RETRIEVE_BY_NAME, LookupKind.BY_NAME), (Intent.RETRIEVE_BY_PHONE, LookupKind.BY_PHONE)]


@pytest.mark.parametrize("state", ACTIVE_STATES)
@pytest.mark.parametrize(("intent", "kind"), LOOKUPS)
def test_an_unlocked_lookup_runs_at_once(state, intent, kind):
    result = transition(state, MessageEvent(intent=intent, lookup_kind=kind, lookup_gate=LookupGate.OPEN))
    assert result.new_state == State.IDLE
    assert result.actions == (Action.RUN_LOOKUPS,)


@pytest.mark.parametrize("state", ACTIVE_STATES)
@pytest.mark.parametrize(
    ("intent", "kind", "awaiting"),
    [
        (Intent.RETRIEVE_BY_NAME, LookupKind.BY_NAME, State.AWAITING_PASSPHRASE_FOR_RETRIEVE),
        (Intent.RETRIEVE_BY_PHONE, LookupKind.BY_PHONE, State.AWAITING_PASSPHRASE_FOR_REVERSE),
    ],
)
def test_a_lookup_before_the_passphrase_is_held_and_the_passphrase_asked(state, intent, kind, awaiting):
    result = transition(state, MessageEvent(intent=intent, lookup_kind=kind, lookup_gate=LookupGate.NEEDS_PASSPHRASE))
    assert result.new_state == awaiting
    assert result.actions == (Action.HOLD_LOOKUPS, Action.ASK_PASSPHRASE)


@pytest.mark.parametrize("state", ACTIVE_STATES)
@pytest.mark.parametrize(("intent", "kind"), LOOKUPS)
@pytest.mark.parametrize(
    ("gate", "refusal"),
    [
        (LookupGate.LOCKED, Action.REFUSE_LOOKUPS_LOCKED),
        (LookupGate.NO_PASSPHRASE, Action.REFUSE_LOOKUPS_NO_PASSPHRASE),
    ],
)
def test_a_lookup_is_refused_when_locked_or_without_a_passphrase(state, intent, kind, gate, refusal):
    result = transition(state, MessageEvent(intent=intent, lookup_kind=kind, lookup_gate=gate))
    assert result.new_state == State.IDLE
    assert result.actions == (refusal,)


@pytest.mark.parametrize("state", ACTIVE_STATES)
def test_multi_operation_saves_and_gates_the_lookup(state):
    event = MessageEvent(
        intent=Intent.MULTI_OPERATION,
        has_complete_saves=True,
        lookup_kind=LookupKind.BY_NAME,
        lookup_gate=LookupGate.NEEDS_PASSPHRASE,
    )
    result = transition(state, event)
    assert result.new_state == State.AWAITING_PASSPHRASE_FOR_RETRIEVE
    assert result.actions == (Action.SAVE_STORES, Action.HOLD_LOOKUPS, Action.ASK_PASSPHRASE)


def test_multi_operation_with_an_incomplete_store_asks_for_the_passphrase_first():
    event = MessageEvent(
        intent=Intent.MULTI_OPERATION,
        has_incomplete_saves=True,
        lookup_kind=LookupKind.BY_PHONE,
        lookup_gate=LookupGate.NEEDS_PASSPHRASE,
    )
    result = transition(State.IDLE, event)
    assert result.new_state == State.AWAITING_PASSPHRASE_FOR_REVERSE
    # The missing details are asked for once the passphrase is settled, not in the same breath.
    assert result.actions == (Action.HOLD_LOOKUPS, Action.ASK_PASSPHRASE)


@pytest.mark.parametrize("state", ACTIVE_STATES)
@pytest.mark.parametrize("intent", sorted(OPERATION_INTENTS))
def test_an_operation_with_nothing_to_do_asks_for_clarification(state, intent):
    result = transition(state, MessageEvent(intent=intent))
    assert result.new_state == state
    assert result.actions == (Action.CLARIFY,)


@pytest.mark.parametrize("state", sorted(AWAITING_PASSPHRASE))
@pytest.mark.parametrize(
    ("outcome", "incomplete", "expected_state", "expected_actions", "end_reason"),
    [
        (
            PassphraseOutcome.RIGHT,
            False,
            State.IDLE,
            (Action.REPORT_UNLOCKED, Action.RUN_LOOKUPS, Action.RUN_CHANGES),
            None,
        ),
        (
            PassphraseOutcome.RIGHT,
            True,
            State.COLLECTING_SAVE_INFO,
            (Action.REPORT_UNLOCKED, Action.RUN_LOOKUPS, Action.RUN_CHANGES, Action.ASK_MISSING),
            None,
        ),
        (
            PassphraseOutcome.EXHAUSTED,
            False,
            State.TERMINATED,
            (Action.LOCK_OUT, Action.DROP_LOOKUPS, Action.END_CONVERSATION),
            EndReason.PASSPHRASE_LOCKOUT,
        ),
        (PassphraseOutcome.LOCKED, False, State.IDLE, (Action.REFUSE_LOOKUPS_LOCKED, Action.DROP_LOOKUPS), None),
        (
            PassphraseOutcome.NO_PASSPHRASE,
            False,
            State.IDLE,
            (Action.REFUSE_LOOKUPS_NO_PASSPHRASE, Action.DROP_LOOKUPS),
            None,
        ),
        (PassphraseOutcome.CANCEL, False, State.IDLE, (Action.CANCEL_LOOKUPS,), None),
        (PassphraseOutcome.CANCEL, True, State.COLLECTING_SAVE_INFO, (Action.CANCEL_LOOKUPS, Action.ASK_MISSING), None),
    ],
)
def test_passphrase_outcomes(state, outcome, incomplete, expected_state, expected_actions, end_reason):
    result = transition(state, PassphraseEvent(outcome=outcome, has_incomplete_saves=incomplete))
    assert result.new_state == expected_state
    assert result.actions == expected_actions
    assert result.end_reason == end_reason


@pytest.mark.parametrize("state", sorted(AWAITING_PASSPHRASE))
def test_a_wrong_passphrase_keeps_waiting(state):
    result = transition(state, PassphraseEvent(outcome=PassphraseOutcome.WRONG))
    assert result.new_state == state
    assert result.actions == (Action.REPORT_WRONG_PASSPHRASE,)


@pytest.mark.parametrize("state", ACTIVE_STATES)
@pytest.mark.parametrize("outcome", list(PassphraseOutcome))
def test_a_passphrase_attempt_outside_the_awaiting_states_is_a_programming_error(state, outcome):
    with pytest.raises(InvalidEvent):
        transition(state, PassphraseEvent(outcome=outcome))


@pytest.mark.parametrize(("state", "intent"), list(itertools.product(list(State), ALL_INTENTS)))
def test_every_state_and_intent_has_a_defined_transition(state, intent):
    """The exhaustive grid: whatever the facts, the result is a known state with at least one action."""
    for gate, kind, complete, incomplete, change, gated in itertools.product(
        list(LookupGate), [None, *LookupKind], [False, True], [False, True], [False, True], [False, True]
    ):
        event = MessageEvent(
            intent=intent,
            lookup_gate=gate,
            lookup_kind=kind,
            has_complete_saves=complete,
            has_incomplete_saves=incomplete,
            has_change=change,
            change_gated=gated,
        )
        result = transition(state, event)
        assert result.new_state in set(State)
        assert result.actions
        assert (result.new_state == State.TERMINATED) == (
            state == State.TERMINATED or (intent == Intent.TERMINATE and state not in AWAITING_PASSPHRASE)
        )
        if result.end_reason is not None:
            assert Action.END_CONVERSATION in result.actions


# --- changes of saved stores: update, delete, undo ------------------------------------------------

CHANGE_INTENTS = [Intent.UPDATE, Intent.DELETE, Intent.UNDO]


@pytest.mark.parametrize(("state", "intent"), list(itertools.product(ACTIVE_STATES, CHANGE_INTENTS)))
def test_an_unlocked_change_runs_at_once(state, intent):
    result = transition(state, MessageEvent(intent=intent, has_change=True, lookup_gate=LookupGate.OPEN))
    assert result == Transition(State.IDLE, (Action.RUN_CHANGES,))


@pytest.mark.parametrize(("state", "intent"), list(itertools.product(ACTIVE_STATES, CHANGE_INTENTS)))
def test_a_change_before_the_passphrase_is_held_and_the_passphrase_asked(state, intent):
    result = transition(state, MessageEvent(intent=intent, has_change=True))
    assert result == Transition(State.AWAITING_PASSPHRASE_FOR_CHANGE, (Action.HOLD_CHANGES, Action.ASK_PASSPHRASE))


@pytest.mark.parametrize(
    ("gate", "refusal"),
    [
        (LookupGate.LOCKED, Action.REFUSE_LOOKUPS_LOCKED),
        (LookupGate.NO_PASSPHRASE, Action.REFUSE_LOOKUPS_NO_PASSPHRASE),
    ],
)
@pytest.mark.parametrize(("state", "intent"), list(itertools.product(ACTIVE_STATES, CHANGE_INTENTS)))
def test_a_change_is_refused_when_locked_or_without_a_passphrase(state, intent, gate, refusal):
    result = transition(state, MessageEvent(intent=intent, has_change=True, lookup_gate=gate))
    assert result == Transition(State.IDLE, (refusal,))


@pytest.mark.parametrize("gate", list(LookupGate))
@pytest.mark.parametrize("state", ACTIVE_STATES)
def test_taking_back_a_save_of_this_conversation_needs_no_passphrase(state, gate):
    result = transition(state, MessageEvent(intent=Intent.UNDO, has_change=True, change_gated=False, lookup_gate=gate))
    assert result == Transition(State.IDLE, (Action.RUN_CHANGES,))


@pytest.mark.parametrize("state", ACTIVE_STATES)
def test_a_change_asked_with_a_lookup_is_held_with_it_in_the_lookup_state(state):
    event = MessageEvent(intent=Intent.UPDATE, has_change=True, lookup_kind=LookupKind.BY_NAME)
    result = transition(state, event)
    assert result == Transition(
        State.AWAITING_PASSPHRASE_FOR_RETRIEVE, (Action.HOLD_LOOKUPS, Action.HOLD_CHANGES, Action.ASK_PASSPHRASE)
    )


@pytest.mark.parametrize(("state", "intent"), list(itertools.product(ACTIVE_STATES, CHANGE_INTENTS)))
def test_a_change_intent_with_nothing_to_change_asks_for_clarification(state, intent):
    assert transition(state, MessageEvent(intent=intent)) == Transition(state, (Action.CLARIFY,))


def test_a_held_change_runs_after_the_right_passphrase_and_keeps_collecting_saves():
    event = PassphraseEvent(outcome=PassphraseOutcome.RIGHT, has_incomplete_saves=True)
    result = transition(State.AWAITING_PASSPHRASE_FOR_CHANGE, event)
    assert result.new_state == State.COLLECTING_SAVE_INFO
    assert Action.RUN_CHANGES in result.actions
