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
    CHANGE_INTENTS,
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
    LastChange,
    Merge,
    PendingAction,
    PendingChange,
    PendingLookup,
    PendingStore,
    SavedRef,
    change_of,
    lookups_of,
    merge_saves,
)
from conversations.engine.tools import ToolRecord, TurnDeps
from conversations.lifecycle import conversation_end
from conversations.phrasing import notes
from conversations.phrasing.hints import quoted_in
from conversations.phrasing.notes import NOT_IN_USER_WORDS, Note
from conversations.schema import Classification
from ops.models import SystemConfig

if TYPE_CHECKING:
    from conversations.models import Conversation

SETTINGS_URL = "/accounts/settings/"
SAVE_INTENTS = frozenset({Intent.SAVE, Intent.MULTI_SAVE, Intent.MULTI_OPERATION})
LOOKUP_INTENTS = frozenset({Intent.RETRIEVE_BY_NAME, Intent.RETRIEVE_BY_PHONE, Intent.MULTI_OPERATION})
_OPERATION_TOOLS = frozenset(
    {"save_store", "update_store", "lookup_by_name", "lookup_by_phone", "delete_store", "restore_store", "revert_store"}
)


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
    pending = PendingAction.from_json(conversation.pending_action).kept_between_turns()
    intent = Intent(classification.intent)
    # Only names and numbers the user typed go on: a model's invention is dropped here, and the reply asks.
    correcting = pending.last_saved[-1].name if pending.last_saved and not pending.saves else None
    mentions, not_typed = ground_mentions(classification.stores, deps.words, about=correcting)
    grounded = classification.model_copy(update={"stores": mentions})
    if classification.is_cancel and not pending.saves and _just_saved(pending):
        # "cancel that" right after a save: take the save back.
        intent = Intent.UNDO
        grounded = grounded.model_copy(update={"intent": intent, "is_cancel": False, "stores": []})
        classification = grounded
    if _corrects_store_in_hand(grounded, pending):
        # "change its number to ..." after a lookup: a change of the store found, not of one being saved.
        intent = Intent.UPDATE
        grounded = grounded.model_copy(
            update={"intent": intent, "stores": [], "new_name": mentions[0].name, "new_phone": mentions[0].phone}
        )
        classification = grounded
    follow_up = None
    if pending.partial_change and intent not in CHANGE_INTENTS and not classification.is_cancel:
        # The answer to "which store?" or "what's the new number?": it fills the change, it saves nothing.
        follow_up = _follow_up(deps, pending.partial_change, grounded, has_store_in_hand=pending.in_hand is not None)
        intent = Intent(follow_up.kind) if follow_up is not None else intent
    if intent in SAVE_INTENTS:
        # When every value offered was invented there is nothing to start collecting: the reply asks instead.
        starts = bool(mentions) or not not_typed
        merge = merge_saves(pending, grounded, region=deps.region, is_save_intent=starts)
    else:
        merge = Merge(incomplete=list(pending.saves))
        not_typed = []
    lookups, lookup_problems = lookups_of(classification) if intent in LOOKUP_INTENTS else ([], [])
    change, change_problem = (
        _grounded_change(deps, classification, not_typed) if intent in CHANGE_INTENTS else (None, None)
    )
    in_hand = pending.in_hand is not None
    if change is None and follow_up is not None:
        change, intent = follow_up, Intent(follow_up.kind)
    partial: PendingChange | None = None
    if change is not None and not change.is_complete(has_store_in_hand=in_hand):
        partial, change = change, None
        lookup_problems.append(partial.question(has_store_in_hand=in_hand))
    if change_problem:
        lookup_problems.append(change_problem)
    event = MessageEvent(
        intent=intent,
        has_complete_saves=bool(merge.complete),
        has_incomplete_saves=bool(merge.incomplete),
        corrects_saved=merge.correction is not None,
        lookup_kind=lookups[0].kind if lookups else None,
        lookup_gate=deps.lookup_gate,
        has_change=change is not None,
        change_gated=change is not None and _is_gated(change, pending),
        is_cancel=classification.is_cancel,
        has_pending=bool(pending.saves or pending.partial_change),
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
    held_changes: list[PendingChange] = []
    changes = [change] if change else []
    saved: list[SavedRef] = []
    kept = _Kept(in_hand=pending.in_hand, last_change=pending.last_change)
    for action in plan.transition.actions:
        match action:
            case Action.UPDATE_SAVED:
                saved.append(_correct_saved(deps, plan, merge, kept))
            case Action.SAVE_STORES:
                saved += _save_all(deps, plan, merge.complete, kept)
            case Action.RUN_LOOKUPS:
                _run_lookups(deps, lookups, kept)
            case Action.HOLD_LOOKUPS:
                held = lookups
            case Action.RUN_CHANGES:
                _run_changes(deps, plan, changes, kept)
            case Action.HOLD_CHANGES:
                held_changes = changes
            case Action.CANCEL_PENDING if pending.partial_change and not pending.saves:
                plan.notes.append(notes.ChangeCancelled())
            case Action.CANCEL_PENDING:
                plan.notes.append(notes.Cancelled(stores=_store_notes(pending.saves)))
                saves_left = []
            case Action.WARN_OFF_SCOPE:
                conversation.off_scope_count += 1
                until_end = config.off_scope_max - conversation.off_scope_count
                plan.notes.append(notes.OffScope(until_end=until_end))
            case Action.CLARIFY if partial is None:
                plan.notes.append(_clarify_note(grounded, saves_left))
            case Action.CLARIFY:
                pass  # the question for the change's missing part is the reply
            case Action.END_CONVERSATION:
                _end(deps, plan)
            case _:
                _add_common_note(
                    deps, plan, action, lookups=lookups, changes=changes, saves_left=saves_left, config=config
                )
    after = PendingAction(
        saves=tuple(saves_left),
        lookups=tuple(held),
        changes=tuple(held_changes),
        last_saved=tuple(saved),
        # "it" means the store of the turn before only: an older one is asked about again.
        in_hand=kept.in_hand if kept.in_hand is not pending.in_hand or held_changes or partial else None,
        last_change=kept.last_change,
        offered_name=_offered_name(deps, plan),
        partial_change=partial,
    )
    _apply(deps, plan, after)
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
    changes = list(pending.changes)
    kept = _Kept(in_hand=pending.in_hand, last_change=pending.last_change)
    for action in plan.transition.actions:
        match action:
            case Action.REPORT_UNLOCKED:
                plan.notes.append(notes.Unlocked())
            case Action.RUN_LOOKUPS:
                _run_lookups(deps, lookups, kept)
                lookups = []
            case Action.RUN_CHANGES:
                _run_changes(deps, plan, changes, kept)
                changes = []
            case Action.REPORT_WRONG_PASSPHRASE:
                left = attempts_left(conversation=conversation, config=config)
                plan.notes.append(notes.PassphraseWrong(attempts_left=left))
            case Action.LOCK_OUT:
                # The cool-down grows with repeated lockouts: say the one that applies.
                minutes = lock_minutes_left(user=deps.user, now=timezone.now()) or config.lockout_minutes
                plan.notes.append(notes.PassphraseExhausted(lockout_minutes=minutes))
            case Action.DROP_LOOKUPS:
                lookups, changes = [], []
            case Action.CANCEL_LOOKUPS:
                plan.notes.append(notes.LookupCancelled())
                lookups, changes = [], []
            case Action.END_CONVERSATION:
                pass  # ended when the attempt was checked, together with the lockout
            case _:
                _add_common_note(
                    deps, plan, action, lookups=lookups, changes=changes, saves_left=list(pending.saves), config=config
                )
    after = PendingAction(
        saves=pending.saves,
        lookups=tuple(lookups),
        changes=tuple(changes),
        in_hand=kept.in_hand,
        last_change=kept.last_change,
    )
    _apply(deps, plan, after)
    return plan


def _add_common_note(
    deps: TurnDeps,
    plan: Plan,
    action: Action,
    *,
    lookups: list[PendingLookup],
    changes: list[PendingChange],
    saves_left: list[PendingStore],
    config: SystemConfig,
) -> None:
    match action:
        case Action.ASK_PASSPHRASE:
            held = tuple(notes.LookupNote(kind=str(lookup.kind), query=lookup.query) for lookup in lookups)
            held_changes = tuple(notes.ChangeNote(kind=change.kind, target=change.target) for change in changes)
            plan.notes.append(notes.AskPassphrase(lookups=held, changes=held_changes or None))
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


@dataclass
class _Kept:
    """What the turn leaves for the next ones: the store in hand ("delete it") and the last change ("undo")."""

    in_hand: SavedRef | None
    last_change: LastChange | None

    def saved(self, record: tools.ToolRecord) -> None:
        """Remember the store a tool saved or changed (from its result) as the one in hand and the last change."""
        store = record.result.get("store") or {}
        if record.store_id is None or not store:
            return
        self.in_hand = SavedRef(store_id=record.store_id, name=store["name"])
        previous = record.result.get("previous")
        match record.result.get("status"):
            case "saved":
                self.last_change = LastChange("saved", record.store_id, store["name"], store["phone_e164"])
            case "updated" if previous:
                self.last_change = LastChange("updated", record.store_id, previous["name"], previous["phone_e164"])
            case "deleted":
                self.last_change = LastChange("deleted", record.store_id, store["name"], store["phone_e164"])


def _save_all(deps: TurnDeps, plan: Plan, stores: list[PendingStore], kept: _Kept) -> list[SavedRef]:
    saved = []
    for store in stores:
        record = tools.save_store(deps, store_name=store.name or "", phone=store.phone or "")
        if record.result.get("status") == "saved" and record.store_id is not None:
            saved.append(SavedRef(store_id=record.store_id, name=record.result["store"]["name"]))
            kept.saved(record)
            if deps.words.name_unsure(record.result["store"]["name"]):
                plan.notes.append(notes.NameUnsure(name=record.result["store"]["name"]))
    return saved


def _run_lookups(deps: TurnDeps, lookups: list[PendingLookup], kept: _Kept) -> None:
    for lookup in lookups:
        if lookup.kind == "phone":
            record = tools.lookup_by_phone(deps, phone=lookup.query)
        else:
            record = tools.lookup_by_name(deps, query=lookup.query)
        if record.store_id is not None and len(lookups) == 1:
            # One store found for one question: "delete it" or "change its number" means that one.
            kept.in_hand = SavedRef(store_id=record.store_id, name=record.result["matches"][0]["name"])


def _grounded_change(
    deps: TurnDeps, classification: Classification, not_typed: list[notes.NotInMessage]
) -> tuple[PendingChange | None, str | None]:
    """The change the message asks for, with only new values the user typed (an invented one is noted and dropped)."""
    change, problem = change_of(classification)
    if change is None or change.kind != "update":
        return change, problem
    missing = deps.words.missing(name=change.new_name, phone=change.new_phone)
    if not missing:
        return change, None
    not_typed.append(notes.NotInMessage(field=" and ".join(missing), name=change.target))
    change = replace(
        change,
        new_name=None if "name" in missing else change.new_name,
        new_phone=None if "phone" in missing else change.new_phone,
    )
    if change.new_name is None and change.new_phone is None:
        return None, None
    return change, None


def _follow_up(
    deps: TurnDeps, partial: PendingChange, classification: Classification, *, has_store_in_hand: bool
) -> PendingChange | None:
    """`partial` filled by this message's store name (as a mention, a lookup or a bare name offered back) and
    number, when the user typed them; None when the message gives it nothing."""
    mention = next(iter(classification.stores), None)
    names = [mention.name if mention else None, classification.lookup_query, quoted_in(classification.reply_hint)]
    name = next((name for name in names if name and deps.words.grounds_name(name)), None)
    phone = mention.phone if mention and mention.phone and not mention.name else None
    return partial.filled(name=name, phone=phone, has_store_in_hand=has_store_in_hand)


def _just_saved(pending: PendingAction) -> bool:
    """Whether the previous turn saved a store that is still the conversation's last change."""
    last = pending.last_change
    return (
        last is not None and last.kind == "saved" and any(ref.store_id == last.store_id for ref in pending.last_saved)
    )


def _corrects_store_in_hand(classification: Classification, pending: PendingAction) -> bool:
    """A correction with one value, while nothing is being saved and the previous turn saved nothing, but a
    store was found or changed before: it is for that store."""
    stores = classification.stores
    return (
        classification.intent in SAVE_INTENTS
        and classification.is_correction
        and pending.in_hand is not None
        and not pending.saves
        and not pending.last_saved
        and len(stores) == 1
        and (stores[0].name is None) != (stores[0].phone is None)
    )


def _is_gated(change: PendingChange, pending: PendingAction) -> bool:
    """Changes act on saved data, so they need the passphrase. Not needed: taking back or changing a store
    this conversation saved last (saving needs no passphrase either), or undo with nothing to take back."""
    last = pending.last_change
    if change.kind == "undo":
        return last is not None and last.kind != "saved"
    in_hand = pending.in_hand
    fresh_save = last is not None and last.kind == "saved" and in_hand is not None and in_hand.store_id == last.store_id
    return not (change.target is None and fresh_save)


def _run_changes(deps: TurnDeps, plan: Plan, changes: list[PendingChange], kept: _Kept) -> None:
    for change in changes:
        if change.kind == "undo":
            _undo(deps, plan, kept)
            continue
        store_id = _change_target(deps, plan, change, kept)
        if store_id is None:
            continue
        if change.kind == "delete":
            record = tools.delete_store(deps, store_id=store_id)
            if record.ok:
                plan.notes.append(notes.StoreDeleted(store=notes.StoreFacts(**record.result["store"])))
            else:
                plan.notes.append(notes.StoreUpdated(status="refused", reason=record.result.get("reason")))
        else:
            record = tools.update_store(deps, store_id=store_id, store_name=change.new_name, phone=change.new_phone)
            plan.notes.append(_changed_note(record, name=change.new_name, phone=change.new_phone, about=change.target))
        kept.saved(record)


def _change_target(deps: TurnDeps, plan: Plan, change: PendingChange, kept: _Kept) -> int | None:
    """The id of the saved store a change is for, or None after noting why it is unclear."""
    if change.target is None:
        if kept.in_hand is not None:
            return kept.in_hand.store_id
        plan.notes.append(notes.ChangeTarget(action=change.kind))
        return None
    store, candidates = tools.store_to_change(deps, target=change.target)
    if store is not None:
        return store.pk
    facts = tuple(notes.StoreFacts(**tools.store_data(candidate, deps.region)) for candidate in candidates)
    new_phone = change.new_phone if change.kind == "update" and not candidates else None
    plan.notes.append(
        notes.ChangeTarget(action=change.kind, target=change.target, candidates=facts, new_phone=new_phone)
    )
    return None


def _undo(deps: TurnDeps, plan: Plan, kept: _Kept) -> None:
    """Take back the last change of this conversation; it can be taken back once."""
    last = kept.last_change
    if last is None:
        plan.notes.append(notes.NothingToUndo())
        return
    match last.kind:
        case "saved":
            record = tools.delete_store(deps, store_id=last.store_id, gated=False)
        case "deleted":
            record = tools.restore_store(deps, store_id=last.store_id)
        case _:
            record = tools.revert_store(deps, store_id=last.store_id, store_name=last.name, phone_e164=last.phone)
    store = record.result.get("store")
    facts = notes.StoreFacts(**store) if store else None
    plan.notes.append(notes.Undone(what=last.kind, store=facts, reason=None if record.ok else record.result["reason"]))
    if record.ok:
        kept.last_change = None
        kept.in_hand = SavedRef(store_id=last.store_id, name=facts.name) if facts and last.kind != "saved" else None


def _correct_saved(deps: TurnDeps, plan: Plan, merge: Merge, kept: _Kept) -> SavedRef:
    """Correct the store the previous turn saved; it stays the one a further correction applies to."""
    assert merge.correction is not None
    ref, name, phone = merge.correction
    record = tools.update_store(deps, store_id=ref.store_id, store_name=name, phone=phone)
    kept.saved(record)
    plan.notes.append(_changed_note(record, name=name, phone=phone, about=ref.name))
    return SavedRef(store_id=ref.store_id, name=record.result["store"]["name"]) if record.ok else ref


def _changed_note(record: tools.ToolRecord, *, name: str | None, phone: str | None, about: str | None) -> Note:
    """What the reply says of an update_store call (Python's own step, not a tool the agent knows)."""
    if record.result.get("reason") == NOT_IN_USER_WORDS:
        return notes.NotInMessage(field=" and ".join(record.result["fields"]), name=about)
    if record.result.get("status") == "invalid":
        # The saved values stay: an invalid change never replaces a valid one.
        reason = " ".join(record.result["errors"].values())
        kept_value = f"the number saved for {about}" if phone else f"the name {about}"
        return notes.KeptValue(
            field="phone" if phone else "name", value=phone or name or "", reason=reason, kept=kept_value
        )
    return _update_note(record.result)


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


def _offered_name(deps: TurnDeps, plan: Plan) -> str | None:
    """The store name this turn's reply offers to save ("Do you want to save X ...?"), when the user typed it."""
    clarify = next((note for note in plan.notes if isinstance(note, notes.Clarify)), None)
    if clarify is None or clarify.pending:
        return None
    name = clarify.about or quoted_in(clarify.hint)
    return name if name and deps.words.grounds_name(name) else None


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
    store, existing, previous = result.get("store"), result.get("existing"), result.get("previous")
    return notes.StoreUpdated(
        status=result["status"],
        store=notes.StoreFacts(**store) if store else None,
        existing=notes.StoreFacts(**existing) if existing else None,
        reason=result.get("reason"),
        previous=notes.StoreFacts(**previous) if previous else None,
    )
