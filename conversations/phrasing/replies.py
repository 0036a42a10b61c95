"""Replies phrased in Python from what a turn did: the offline agent's voice.

The offline model speaks through these functions, and the orchestrator uses
them when a hosted agent fails after the operations already ran, so the user
always hears the truth. Wording varies with the facts (a stable hash picks
among phrasings) but never at random: the same turn reads the same way twice.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from typing import Any

from conversations.phrasing.brief import TurnBrief
from conversations.phrasing.hints import (
    HINT_EDIT_BY_CHAT,
    HINT_HELP,
    HINT_LIST_ALL,
    HINT_ONLY_NUMBERS,
    HINT_SETTINGS,
    HINT_THANKS,
    quoted_in,
)
from conversations.phrasing.notes import (
    NOT_IN_USER_WORDS,
    AskMissing,
    AskPassphrase,
    Cancelled,
    ChangeCancelled,
    ChangeNote,
    ChangeTarget,
    Clarify,
    Closed,
    Goodbye,
    KeptValue,
    LookupCancelled,
    LookupNote,
    LookupProblem,
    LookupsLocked,
    NameUnsure,
    NoPassphrase,
    Note,
    NothingToUndo,
    NotInMessage,
    OffScope,
    OffScopeEnded,
    PassphraseExhausted,
    PassphraseInMessage,
    PassphraseWrong,
    StoreDeleted,
    StoreNote,
    StoreUpdated,
    Undone,
    Unlocked,
    note_to_json,
)
from directory.phones import PhoneError, format_phone_at_home

ToolResult = tuple[str, dict[str, Any]]


def phrase_reply(tool_results: Sequence[ToolResult], brief: TurnBrief | None) -> str:
    """The whole reply for one turn, from the tool results and the brief's notes."""
    notes = brief.notes if brief else ()
    seed = _seed(tool_results, notes)
    parts: list[str] = []
    if any(isinstance(note, PassphraseInMessage) for note in notes):
        parts.append(
            "I've hidden your passphrase from that message. Only type it on its own, when I ask for it for a lookup."
        )
    if any(isinstance(note, Unlocked) for note in notes):
        parts.append(_pick(seed, ["Thanks, that's the right passphrase.", "Passphrase accepted, thanks."]))
    parts += [f"{note.reason} I kept {note.kept} instead." for note in notes if isinstance(note, KeptValue)]
    not_typed = [note for note in notes if isinstance(note, NotInMessage)]
    # The question for what is missing: asked by ask_missing when the store stays pending, else here.
    asks_missing = any(isinstance(note, AskMissing) for note in notes)
    parts += [_not_in_message_sentence(note, ask=not asks_missing) for note in not_typed]
    parts += [_update_sentence(note) for note in notes if isinstance(note, StoreUpdated)]
    parts += [_change_sentence(note) for note in notes if isinstance(note, StoreDeleted | ChangeTarget | Undone)]
    parts += _saves(tool_results, seed)
    parts += _lookups(tool_results, seed)
    parts += [note.detail for note in notes if isinstance(note, LookupProblem)]
    # A clarify beside a value not typed would ask a second, vaguer question.
    said = [note for note in notes if not (not_typed and isinstance(note, Clarify))]
    parts += [sentence for note in said if (sentence := _note_sentence(note, seed)) is not None]
    if not parts:
        parts.append(_pick(seed, _GENERIC_HELP))
    return " ".join(part for part in parts if part).replace(" \n", "\n")


def phrase_summary(payload: dict[str, Any]) -> str:
    """A short summary of a finished conversation from its recorded tool calls."""
    calls = [call for call in payload.get("tool_calls", []) if isinstance(call, dict)]
    saved = [_name_of(call, "store") for call in calls if _status(call) == "saved"]
    duplicates = [_name_of(call, "existing") for call in calls if _status(call) == "already_saved"]
    lookups = [call for call in calls if call.get("name", "").startswith("lookup_") and _status(call) != "refused"]
    updated = [_name_of(call, "store") for call in calls if _status(call) == "updated"]
    deleted = [_name_of(call, "store") for call in calls if _status(call) == "deleted"]
    sentences: list[str] = []
    if saved:
        sentences.append(f"Saved {_count(len(saved), 'store')}: {_join(saved)}.")
    if duplicates:
        sentences.append(f"Already in the directory: {_join(duplicates)}.")
    if updated:
        sentences.append(f"Corrected {_join(updated)}.")
    if deleted:
        sentences.append(f"Deleted {_join(deleted)}.")
    if lookups:
        asked = [str(call.get("args", {}).get("query") or call.get("args", {}).get("phone") or "") for call in lookups]
        sentences.append(f"Looked up {_join([a for a in asked if a]) or _count(len(lookups), 'store')}.")
    if not sentences:
        sentences.append("No stores were saved or looked up.")
    sentences.append(_END_REASONS.get(str(payload.get("end_reason", "")), "The conversation ended."))
    return " ".join(sentences)


def _not_in_message_sentence(note: NotInMessage, *, ask: bool) -> str:
    """Why a value was not used, without repeating it (the user never wrote it); then, if `ask`, what to send."""
    what = {"name": "store name", "phone": "phone number"}.get(note.field, "store name and number")
    sentence = (
        f"I only save what you type yourself, and I couldn't find that {what} in your message, so I didn't use it."
    )
    if not ask:
        return sentence
    if note.field == "phone" and note.name:
        return f"{sentence} What's the phone number for {note.name}?"
    if note.field == "name" and note.phone:
        return f"{sentence} What's the name of the store with the number {note.phone}?"
    return f"{sentence} What's the store's name and phone number?"


def _update_sentence(note: StoreUpdated) -> str:
    store, previous = note.store, note.previous
    if note.status == "updated" and store is not None and previous is not None and previous.name != store.name:
        renamed = f"Renamed {previous.name} to {store.name}"
        if previous.phone_e164 != store.phone_e164:
            return f"{renamed}, with the number {store.phone} (it was {previous.phone}). Say “undo” to change it back."
        return f"{renamed} ({store.phone}). Say “undo” to change it back."
    if note.status == "updated" and store is not None and previous is not None:
        return f"Updated: {store.name} is now {store.phone} (it was {previous.phone}). Say “undo” to change it back."
    if note.status == "updated" and store is not None:
        return f"Updated: {store.name} is now saved with {store.phone}."
    if note.status == "already_saved" and note.existing is not None:
        existing = note.existing
        return f"I left it unchanged: {existing.phone} already belongs to {existing.name}."
    return f"I couldn't make that change: {note.reason or 'it is not possible now'}."


def _change_sentence(note: StoreDeleted | ChangeTarget | Undone) -> str:
    match note:
        case StoreDeleted(store=store):
            return f"Deleted {store.name} ({store.phone}) from your directory. Say “undo” to bring it back."
        case ChangeTarget(action=action, target=None):
            return f"Which store should I {_CHANGE_VERBS.get(action, 'change')}? Tell me its name."
        case ChangeTarget(action=action, target=target, candidates=(), new_phone=new_phone):
            verb = _CHANGE_VERBS.get(action, "change")
            sentence = f"I couldn't find a store called “{target}” in your directory, so I didn't {verb} anything."
            if new_phone:
                sentence += f" To save it as a new store, say “save {target} {new_phone}”."
            return sentence
        case ChangeTarget(action=action, target=target, candidates=candidates):
            listed = "\n".join(f"- {store.name}: {store.phone}" for store in candidates)
            return (
                f"More than one saved store could be “{target}”:\n{listed}\n"
                f"Which one should I {_CHANGE_VERBS.get(action, 'change')}? Tell me its full name."
            )
        case Undone(reason=reason) if reason:
            return f"I couldn't undo that: {reason}"
        case Undone(what="saved", store=store) if store is not None:
            return f"Undone: I removed {store.name} ({store.phone}) again."
        case Undone(what="deleted", store=store) if store is not None:
            return f"Undone: {store.name} ({store.phone}) is back in your directory."
        case Undone(store=store) if store is not None:
            return f"Undone: {store.name} is back to {store.phone}."
    return "Undone."


_CHANGE_VERBS = {"delete": "delete", "update": "change"}


def _saves(tool_results: Sequence[ToolResult], seed: int) -> list[str]:
    results = [result for name, result in tool_results if name == "save_store"]
    saved = [result["store"] for result in results if result.get("status") == "saved"]
    sentences = []
    if len(saved) == 1:
        store = saved[0]
        sentences.append(
            _pick(
                seed,
                [
                    f"Saved {store['name']} with the number {store['phone']}.",
                    f"Done! {store['name']} is in your directory: {store['phone']}.",
                    f"Got it. {store['name']}, {store['phone']}, is saved.",
                ],
            )
        )
    elif saved:
        listed = _join([f"{store['name']} ({store['phone']})" for store in saved])
        sentences.append(f"Saved {_count(len(saved), 'store')}: {listed}.")
    for result in results:
        status = result.get("status")
        if status == "already_saved":
            existing = result["existing"]
            sentences.append(
                f"{existing['phone']} is already in your directory as {existing['name']}, so I didn't add it again."
            )
        elif status == "invalid":
            errors = " ".join(result.get("errors", {}).values())
            sentences.append(f"I couldn't save that: {errors}")
        elif status == "refused" and result.get("reason") == NOT_IN_USER_WORDS:
            sentences.append(
                "I didn't save that: I only save a store name and number you typed yourself. "
                "What's the store's name and phone number?"
            )
        elif status == "refused":
            sentences.append("I couldn't save that because this conversation has ended.")
    return sentences


def _lookups(tool_results: Sequence[ToolResult], seed: int) -> list[str]:
    sentences = []
    for name, result in tool_results:
        if not name.startswith("lookup_"):
            continue
        status = result.get("status")
        asked = result.get("query") or result.get("phone") or ""
        if status == "found":
            matches = result["matches"]
            if len(matches) == 1:
                store = matches[0]
                sentences.append(
                    _pick(
                        seed, [f"{store['name']}: {store['phone']}.", f"Here it is: {store['name']}, {store['phone']}."]
                    )
                )
            else:
                lines = "\n".join(f"- {store['name']}: {store['phone']}" for store in matches)
                sentences.append(f"I found {len(matches)} matches for “{asked}”:\n{lines}\n")
        elif status == "not_found":
            if name == "lookup_by_phone":
                sentences.append(f"No store in your directory has a number matching {_readable_number(asked)}.")
            else:
                sentences.append(f"I couldn't find a store called “{asked}” in your directory.")
        elif status == "invalid":
            sentences.append(result.get("error", "I couldn't search for that."))
        elif status == "refused":
            sentences.append(_REFUSALS.get(result.get("reason", ""), "I can't look that up right now."))
    return sentences


def _note_sentence(note: Note, seed: int) -> str | None:
    """The sentence a note adds after the tool results; None for the notes said before them."""
    match note:
        case AskMissing(stores=stores):
            return " ".join(_ask_for(store, seed) for store in stores)
        case AskPassphrase(lookups=lookups, changes=changes):
            return _ask_passphrase(lookups, changes or (), seed)
        case NameUnsure(name=name):
            return f"If “{name}” isn't the exact name, say “rename it to …” and I'll fix it."
        case ChangeCancelled():
            return "Okay, I won't change anything."
        case NothingToUndo():
            return "There's nothing to undo in this conversation yet."
        case PassphraseWrong(attempts_left=left):
            return f"That passphrase isn't right. You have {_count(left, 'attempt')} left."
        case PassphraseExhausted(lockout_minutes=minutes):
            return (
                "That passphrase isn't right either, and that was the last attempt. For your security I've ended "
                f"this conversation and locked lookups for {minutes} minutes. Saving stores still works."
            )
        case LookupsLocked(minutes_left=minutes):
            return (
                f"Lookups are locked for about {_count(minutes, 'more minute')} after too many wrong passphrases. "
                "You can still save stores meanwhile."
            )
        case NoPassphrase(settings_url=url):
            return (
                f"You haven't set a passphrase yet, and lookups need one. Set it in Settings ({url}), then ask again."
            )
        case OffScope(until_end=left):
            warning = "I can only help with your store directory: saving stores and looking up their numbers."
            if left == 1:
                return f"{warning} One more off-topic message will end this conversation."
            return f"{warning} What would you like to save or look up?"
        case OffScopeEnded():
            return (
                "I can only help with your store directory, so I'm ending this conversation. "
                "Start a new one whenever you need your stores."
            )
        case Goodbye():
            return _pick(seed, ["Goodbye! Your directory is here whenever you need it.", "Thanks, bye for now!"])
        case Clarify(pending=pending) if pending:
            return " ".join(_ask_for(store, seed) for store in pending)
        case Clarify():
            return _clarify_sentence(note, seed)
        case Cancelled(stores=stores):
            if stores:
                dropped = [store.name or "that store" for store in stores]
                return f"Okay, I've dropped {_join(dropped)}. Nothing was saved."
            return "There's nothing to cancel. What would you like to do?"
        case LookupCancelled():
            return "Okay, I won't look that up."
        case Closed():
            return "This conversation has already ended, so I can't act on that. Please start a new one."
    return None


def _clarify_sentence(note: Clarify, seed: int) -> str:
    """A follow-up question. The offline classifier's hints are a known set; a hosted model reads any hint itself."""
    hint = note.hint or ""
    if hint in _KNOWN_HINTS:
        return _KNOWN_HINTS[hint]
    named = note.about or quoted_in(hint)
    if named:
        return f"Do you want to save {named} (send it with its phone number) or look up its number?"
    return _pick(seed, _GENERIC_HELP)


def _ask_for(store: StoreNote, seed: int) -> str:
    name, phone, problem = store.name, store.phone, store.problem
    if name and problem:
        return f"{problem} What's the right number for {name}?"
    if name and name.casefold().endswith(("'s", "\u2019s", "s")):
        # "Luigi's's phone number" reads wrong: ask it the other way round.
        return f"What's the phone number for {name}?"
    if name:
        return _pick(seed, [f"What's the phone number for {name}?", f"Sure. What's {name}'s phone number?"])
    if phone and problem:
        return f"{problem} What's the store's name and correct number?"
    if phone:
        return f"What's the name of the store with the number {phone}?"
    return "Sure. What's the store's name and phone number?"


def _ask_passphrase(lookups: Sequence[LookupNote], changes: Sequence[ChangeNote], seed: int) -> str:
    first = lookups[0] if lookups else None
    change = changes[0] if changes else None
    if first is not None and first.kind == "phone":
        subject = f"to see whose number {_readable_number(first.query)} is"
    elif first is not None and first.query:
        names = [lookup.query for lookup in lookups if lookup.kind == "name" and lookup.query]
        subject = f"to look up {_join(names)}"
    elif change is not None:
        subject = _change_subject(change)
    else:
        subject = "for lookups"
    return _pick(
        seed,
        [
            f"I need your passphrase {subject}. Please type it in your next message.",
            f"Happy to help. First, I need your passphrase {subject}: please send it as your next message.",
        ],
    )


def _change_subject(change: ChangeNote) -> str:
    store = change.target or "that store"
    match change.kind:
        case "delete":
            return f"to delete {store}"
        case "update":
            return f"to change {store}"
    return "to undo that change"


_KNOWN_HINTS = {
    HINT_LIST_ALL: "I look stores up one at a time, by name or by number; your full list is on the Directory page. "
    "Which store do you need?",
    HINT_THANKS: "You're welcome! Anything else I can save or look up?",
    HINT_EDIT_BY_CHAT: "Which store should I change, and to what? For example “change Safeway's number to "
    "415-555-0133”, “rename Tony's to Tony's Pizza” or “delete Target”.",
    HINT_ONLY_NUMBERS: "I only keep each store's name and phone number, not its hours, address or website. "
    "Want me to look up its number?",
    HINT_SETTINGS: "Your password, passphrase and account are on the Settings page (/accounts/settings/); I can't "
    "change them in the chat. Anything to save or look up?",
    HINT_HELP: "I can save a store with its name and phone number, look a store up by name, or find which store has "
    "a number. Lookups need your passphrase.",
}

_REFUSALS = {
    "passphrase_required": "I need your passphrase before I can look that up.",
    "lookups_locked": "Lookups are locked for now after too many wrong passphrases.",
    "conversation_ended": "This conversation has ended, so I can't look that up here.",
}

_GENERIC_HELP = [
    "I can save a store (for example “Save ACME Hardware, 415-555-0198”) or find one "
    "(“What's the number for ACME?”). What would you like to do?",
    "Tell me a store to save with its phone number, or ask me for a number you saved. What would you like?",
]

_END_REASONS = {
    "user": "The user ended the conversation.",
    "off_scope": "Ended after repeated off-topic messages.",
    "passphrase_lockout": "Ended after too many wrong passphrases; lookups were locked.",
    "idle": "Ended after a period of inactivity.",
}


def _status(call: dict[str, Any]) -> str:
    result = call.get("result")
    return str(result.get("status", "")) if isinstance(result, dict) else ""


def _name_of(call: dict[str, Any], key: str) -> str:
    store = call.get("result", {}).get(key) or {}
    return str(store.get("name", "a store"))


def _readable_number(query: str) -> str:
    """A whole number as people read it ("+14155550101" as "(415) 555-0101"); partial digits as given."""
    if not query.startswith("+"):
        return query
    try:
        return format_phone_at_home(query)
    except PhoneError:
        return query


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _seed(tool_results: Sequence[ToolResult], notes: Sequence[Note]) -> int:
    facts = json.dumps([list(tool_results), [note_to_json(note) for note in notes]], sort_keys=True, default=str)
    return zlib.crc32(facts.encode())


def _pick(seed: int, options: Sequence[str]) -> str:
    return options[seed % len(options)]
