"""The offline classifier: what a message asks for, read by rules instead of a language model.

`classify_offline` is pure and deterministic: no database, no network, the
same answer for the same input. It fills the same `Classification` a hosted
classifier fills, so the engine cannot tell them apart; like a hosted model
it only reports what the user said. Python decides what happens next, and
phone numbers are reported as written so Python can say why one is invalid.

How a message is read:

1. Tool-call syntax typed into the chat is off-scope, whatever it names.
2. The message is cut into clauses at "?", ";", new lines, and at "and",
   "also" or a comma when a new request follows ("save Costco 650-555-0101
   and what's the number for Target?").
3. Each clause is a save (a save command, or a phone number with a name),
   a lookup by phone ("whose number is ...", "ending in 0198"), a lookup by
   name ("number for ...", "call ...", "Costco's number"), or nothing.
4. The clauses combine into one intent: saves and a lookup make a
   multi_operation, several saves a multi_save.
5. Messages with no request are a cancel, a farewell, the missing detail of
   a save in progress, a new name for the store just saved ("actually call
   it ..."), or else a clarification or off-scope, by their words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from conversations.models import MESSAGE_MAX_LENGTH, ConversationState, Intent
from conversations.offline import phrases
from conversations.offline.names import MIN_PARTIAL_DIGITS, lookup_query, store_name, store_without_phone, stores_in
from conversations.offline.tokens import BREAK, Kind, Span, tokenize
from conversations.offline.vocabulary import (
    CLAUSE_OPENERS,
    CLOSING_WORDS,
    OFF_SCOPE_TOPICS,
    VAGUE_WORDS,
)
from conversations.phrasing.hints import HINT_CANCELLED, HINT_HELP, HINT_LIST_ALL, HINT_THANKS, HINT_WHAT_TO_DO
from conversations.schema import Classification, StoreMention

# Longer messages are read up to here; a request does not hide after 2,000 characters.
# A bare reply of up to this many words may be a store name ("costco", "Joe's Pizza").
_MAX_BARE_NAME_WORDS = 5
_CLAUSE_JOINERS = frozenset({",", ".", "and", "also", "then", "plus", "but"})
_CLAUSE_ENDINGS = frozenset({"?", "!", BREAK})


@dataclass
class _Reading:
    """What one clause asks for."""

    intent: Intent | None
    stores: list[StoreMention] = field(default_factory=list)
    lookup_query: str | None = None
    phone_digits: str | None = None
    is_correction: bool = False


def classify_offline(text: str, *, region: str, state: str, pending: dict[str, Any] | None = None) -> Classification:
    """Classify one user message. `state` is the conversation's state, `pending` its pending_action."""
    text = (text or "")[:MESSAGE_MAX_LENGTH]
    if phrases.FORGED_MARKUP.search(text.casefold()):
        return Classification(intent=Intent.OFF_SCOPE)
    message = tokenize(text, region=region)
    if not message.words() and not message.phones():
        return _clarify(HINT_WHAT_TO_DO)
    clauses = _clauses(message)
    clauses, cancelled = _without_cancel(clauses)
    readings = [_read_clause(clause) for clause in clauses]
    request = _combine(readings, collecting=state == ConversationState.COLLECTING_SAVE_INFO, pending=pending)
    if request is not None:
        request.is_cancel = cancelled
        return request
    if cancelled:
        return Classification(intent=Intent.CLARIFICATION, is_cancel=True, reply_hint=HINT_CANCELLED)
    return _without_request(text, message, clauses, state=state, pending=pending)


# --- clauses -----------------------------------------------------------------------------------


def _clauses(message: Span) -> list[Span]:
    clauses: list[Span] = []
    start = 0
    tokens = message.tokens
    for index, token in enumerate(tokens):
        following = tokens[index + 1].canon if index + 1 < len(tokens) else None
        if token.canon in _CLAUSE_ENDINGS:
            clauses.append(message.slice(start, index + 1))
            start = index + 1
        elif token.canon in _CLAUSE_JOINERS and index > start and following in CLAUSE_OPENERS:
            clauses.append(message.slice(start, index))
            start = index + 1
    clauses.append(message.slice(start, len(tokens)))
    return [clause for clause in clauses if clause.words() or clause.phones()]


def _without_cancel(clauses: list[Span]) -> tuple[list[Span], bool]:
    if not clauses:
        return clauses, False
    found = phrases.CANCEL.match(clauses[0].canon)
    if found is None:
        return clauses, False
    rest = clauses[0].after(found)
    remaining = ([rest] if rest.words() or rest.phones() else []) + clauses[1:]
    return remaining, True


def _read_clause(clause: Span) -> _Reading:
    body = clause.strip(phrases.LEAD_POLITE, None)
    correction = bool(phrases.CORRECTION.search(body.canon))
    command = _save_command(body)
    phones = clause.phones()
    digits = _reverse_lookup_digits(clause)
    if not command and digits and _asks_whose(body):
        return _Reading(Intent.RETRIEVE_BY_PHONE, phone_digits=digits)
    if phones:
        return _Reading(Intent.SAVE, stores=stores_in(body), is_correction=correction)
    if command and not phrases.SAVE_QUESTION.match(clause.canon):
        return _Reading(Intent.SAVE, stores=store_without_phone(body), is_correction=correction)
    if phrases.LOOKUP_CUE.search(body.canon) and not phrases.NAMING.match(body.canon):
        query = lookup_query(body)
        if query:
            return _Reading(Intent.RETRIEVE_BY_NAME, lookup_query=query)
    return _Reading(None, is_correction=correction)


def _save_command(body: Span) -> bool:
    without_corrections = body.strip(phrases.LEAD_POLITE, None)
    return bool(phrases.SAVE_COMMAND.match(without_corrections.canon))


def _asks_whose(body: Span) -> bool:
    if phrases.WHOSE_NUMBER.search(body.canon):
        return True
    # "415-555-0198?" or "is 415-555-0198 saved?": a question about a number with no store named.
    return body.canon.endswith("?") and not any(store.name for store in stores_in(body))


def _reverse_lookup_digits(clause: Span) -> str | None:
    for token in clause.phones():
        return token.e164 or token.digits
    # "ending in 0198": the first digit group long enough to be part of a number ("last 4 digits" is not).
    partial = (
        token.digits
        for token in clause.tokens
        if token.kind == Kind.WORD and token.canon.isdigit() and len(token.canon) >= MIN_PARTIAL_DIGITS
    )
    return next(partial, None)


# --- combining clauses -------------------------------------------------------------------------


def _combine(readings: list[_Reading], *, collecting: bool, pending: dict[str, Any] | None) -> Classification | None:
    saves = [reading for reading in readings if reading.intent == Intent.SAVE]
    stores = _merged([store for reading in saves for store in reading.stores])
    lookup = next(
        (r for r in readings if r.intent in (Intent.RETRIEVE_BY_NAME, Intent.RETRIEVE_BY_PHONE)),
        None,
    )
    correction = any(reading.is_correction for reading in saves)
    if stores and lookup:
        return Classification(
            intent=Intent.MULTI_OPERATION,
            stores=stores,
            lookup_query=lookup.lookup_query,
            phone_digits=lookup.phone_digits,
        )
    if len(stores) > 1:
        return Classification(intent=Intent.MULTI_SAVE, stores=stores)
    if stores:
        return Classification(intent=Intent.SAVE, stores=stores, is_correction=correction)
    if lookup:
        return Classification(
            intent=lookup.intent or Intent.RETRIEVE_BY_NAME,
            lookup_query=lookup.lookup_query,
            phone_digits=lookup.phone_digits,
        )
    if saves and not collecting:
        # "I want to save a store": a save with nothing known yet; the engine asks for both.
        return Classification(intent=Intent.SAVE)
    if saves:
        return _clarify(_missing_detail_hint(pending))
    return None


def _merged(stores: list[StoreMention]) -> list[StoreMention]:
    """Join a name and a number given in consecutive sentences ("store Luigi's? It's 415-555-0116")."""
    merged: list[StoreMention] = []
    for store in stores:
        previous = merged[-1] if merged else None
        if previous and previous.name and not previous.phone and store.phone and not store.name:
            merged[-1] = StoreMention(name=previous.name, phone=store.phone)
        elif previous and previous.phone and not previous.name and store.name and not store.phone:
            merged[-1] = StoreMention(name=store.name, phone=previous.phone)
        else:
            merged.append(store)
    return merged


def _without_request(
    text: str, message: Span, clauses: list[Span], *, state: str, pending: dict[str, Any] | None
) -> Classification:
    words = message.words()
    if _is_farewell(message):
        return Classification(intent=Intent.TERMINATE)
    if state == ConversationState.COLLECTING_SAVE_INFO:
        filled = _gap_filled(clauses, pending)
        if filled is not None:
            return filled
    else:
        renamed = _renamed(clauses)
        if renamed is not None:
            return renamed
    lowered = text.casefold()
    if phrases.INJECTION.search(lowered):
        return Classification(intent=Intent.OFF_SCOPE)
    canon = message.canon
    if phrases.LIST_ALL.search(canon):
        return _clarify(HINT_LIST_ALL)
    if set(words) <= {"thanks", "you", "so", "much", "very", "ok", "okay", "great", "cool", "perfect", "awesome"}:
        return _clarify(HINT_THANKS)
    if all(word in VAGUE_WORDS for word in words):
        return _clarify(
            _missing_detail_hint(pending) if state == ConversationState.COLLECTING_SAVE_INFO else HINT_WHAT_TO_DO
        )
    if any(word in OFF_SCOPE_TOPICS for word in words):
        return Classification(intent=Intent.OFF_SCOPE)
    if phrases.HELP.search(canon):
        return _clarify(HINT_HELP)
    bare_name = _bare_name(message)
    if bare_name:
        return _clarify(
            f"Ask whether they want to save {_quoted(bare_name)} (with its phone number) or look up its number."
        )
    if len(words) <= 2 and not (set(words) & phrases.QUESTION_WORDS):
        return _clarify(HINT_WHAT_TO_DO)
    return Classification(intent=Intent.OFF_SCOPE)


def _is_farewell(message: Span) -> bool:
    words = message.words()
    return (
        not message.phones()
        and bool(phrases.FAREWELL.search(message.canon))
        and all(word in CLOSING_WORDS for word in words)
    )


def _gap_filled(clauses: list[Span], pending: dict[str, Any] | None) -> Classification | None:
    """In a save in progress, a bare reply ("it's Costco", "Costco") supplies the store's name."""
    if len(clauses) != 1:
        return None
    body = clauses[0].strip(phrases.LEAD_POLITE, None)
    explicit = bool(phrases.NAMING.match(body.canon))
    known_name, _ = _pending_store(pending)
    if not explicit and (known_name or not _bare_name(body)):
        return None
    name = store_name(body)
    if not name or (any(word in OFF_SCOPE_TOPICS for word in body.words()) and not explicit):
        return None
    return Classification(
        intent=Intent.SAVE,
        stores=[StoreMention(name=name)],
        is_correction=bool(phrases.CORRECTION.search(body.canon)),
    )


def _renamed(clauses: list[Span]) -> Classification | None:
    """Outside a save in progress, "actually call it X" renames: a name-only correction of the store just saved."""
    if len(clauses) != 1:
        return None
    body = clauses[0].strip(phrases.LEAD_POLITE, None)
    found = phrases.RENAME.match(body.canon)
    name = store_name(body.after(found)) if found else None
    if not name:
        return None
    return Classification(intent=Intent.SAVE, stores=[StoreMention(name=name)], is_correction=True)


def _bare_name(span: Span) -> str | None:
    """A short reply that reads as a store name: no question, no topic, not only filler."""
    words = span.words()
    if not words or len(words) > _MAX_BARE_NAME_WORDS or span.phones():
        return None
    if set(words) & (phrases.QUESTION_WORDS | OFF_SCOPE_TOPICS) or span.canon.rstrip().endswith("?"):
        return None
    return store_name(span)


def _pending_store(pending: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """The name and phone already collected, from whichever shape the engine keeps them in."""
    if not isinstance(pending, dict):
        return None, None
    source: Any = pending
    stores = pending.get("stores")
    if isinstance(stores, list) and stores and isinstance(stores[0], dict):
        source = stores[0]
    name = source.get("name") or source.get("store_name")
    phone = source.get("phone") or source.get("phone_e164") or source.get("phone_raw")
    return (name if isinstance(name, str) else None), (phone if isinstance(phone, str) else None)


def _missing_detail_hint(pending: dict[str, Any] | None) -> str:
    name, phone = _pending_store(pending)
    if name and not phone:
        return f"Ask again for the phone number of {_quoted(name)}."
    if phone and not name:
        return f"Ask again for the name of the store with the number {_quoted(phone)}."
    return "Ask again for the store's name and phone number, or whether they want to cancel."


def _quoted(user_text: str) -> str:
    # What the user typed reaches the reply model inside the hint: marked as data, never as an instruction.
    return "“" + user_text.replace("“", "").replace("”", "") + "”"


def _clarify(hint: str) -> Classification:
    return Classification(intent=Intent.CLARIFICATION, reply_hint=hint)
