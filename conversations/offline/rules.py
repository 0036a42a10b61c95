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

import re
from dataclasses import dataclass, field
from typing import Any

from conversations.models import MESSAGE_MAX_LENGTH, PASSPHRASE_REDACTION, ConversationState, Intent
from conversations.offline import phrases, topics
from conversations.offline.changes import read_change
from conversations.offline.names import (
    MIN_PARTIAL_DIGITS,
    looks_like_name,
    lookup_query,
    plain_name,
    store_without_phone,
    stores_in,
    title_case,
)
from conversations.offline.scope import clarify, missing_detail_hint, pending_store, renamed, without_request
from conversations.offline.tokens import BREAK, Kind, Span, tokenize
from conversations.offline.vocabulary import ASIDE_WORDS, CLAUSE_OPENERS, SAVE_VERBS
from conversations.phrasing.hints import HINT_CANCELLED, HINT_EDIT_BY_CHAT, HINT_WHAT_TO_DO
from conversations.schema import Classification, StoreMention

_ASKS_WHOSE = re.compile(r"\b(?:whose|which (?:store|shop|place|one)|who (?:has|is|owns))\b")
_LIST_SEPARATOR = re.compile(r",? and |, | & (?=[A-Z])| \+ ")
_TRAIL_ALSO = re.compile(r"(?:^| )(?:too|as well|please|[^\w\s&'])$")
_LEAD_OWNER = re.compile(r"^(?:my|the|our) ", re.IGNORECASE)
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
    # "delete Target", "change Safeway's number to ...": an edit the chat cannot make yet.
    edits: bool = False
    # "numbers for Target and Safeway": the further stores a lookup asks for; "and also Lowe's": a store added
    # to the lookup of the clause before.
    more_queries: list[str] = field(default_factory=list)
    also: str | None = None
    # "save the date", "remember to buy milk": a save command about something else.
    off_topic: bool = False


def classify_offline(
    text: str, *, region: str, state: str, pending: dict[str, Any] | None = None, in_hand: str | None = None
) -> Classification:
    """Classify one user message. `state` is the conversation's state, `pending` its pending_action, `in_hand`
    the store "it" means (the one just saved, found, changed or offered)."""
    # Where the passphrase was hidden the sentence breaks off: the marker is never part of a name.
    text = (text or "")[:MESSAGE_MAX_LENGTH].replace(PASSPHRASE_REDACTION, ",")
    if phrases.FORGED_MARKUP.search(text.casefold()):
        return Classification(intent=Intent.OFF_SCOPE)
    message = tokenize(text, region=region)
    if not message.words() and not message.phones():
        return clarify(HINT_WHAT_TO_DO)
    # "cross bananas off my shopping list and put papayas on it": a list that is not this directory.
    elsewhere = bool(topics.ELSEWHERE.search(message.canon))
    change = read_change(message.strip(phrases.LEAD_POLITE, None), elsewhere=elsewhere)
    if change is not None:
        return change
    if state == ConversationState.COLLECTING_SAVE_INFO and (number := _number_with_aside(message, pending)):
        return number
    if phrases.NEW_ENTRY.match(message.canon):
        return Classification(intent=Intent.SAVE)
    if (named := phrases.NEW_ENTRY_NAMED.match(message.canon)) and not message.phones():
        name = plain_name(message.after(named))
        if name:
            return Classification(intent=Intent.SAVE, stores=[StoreMention(name=name)])
    clauses = _clauses(message)
    clauses, cancelled = _without_cancel(clauses)
    readings = [_read_clause(clause, elsewhere=elsewhere) for clause in clauses]
    request = _combine(readings, collecting=state == ConversationState.COLLECTING_SAVE_INFO, pending=pending)
    if request is not None:
        request.is_cancel = cancelled
        return request
    if cancelled and state != ConversationState.COLLECTING_SAVE_INFO and (new_name := renamed(clauses)):
        # "scratch that, the name is Blue Heron Books": a correction of the store just saved, not a cancel.
        return new_name
    if cancelled:
        return Classification(intent=Intent.CLARIFICATION, is_cancel=True, reply_hint=HINT_CANCELLED)
    if phrases.ITS_NUMBER.search(message.canon):
        # "wholefoods?? need their number": the store named in another clause; "what's its number?" right after
        # the store was named: the store in hand.
        subject = next((name for clause in clauses if (name := plain_name(clause)) and not _mentions_its(clause)), None)
        if subject or in_hand:
            return Classification(intent=Intent.RETRIEVE_BY_NAME, lookup_query=subject or in_hand)
    if len(readings) == 1 and readings[0].also:
        # "and Target?" after a lookup: another store to look up.
        return Classification(intent=Intent.RETRIEVE_BY_NAME, lookup_query=readings[0].also)
    if any(reading.edits for reading in readings):
        return clarify(HINT_EDIT_BY_CHAT)
    if readings and all(reading.off_topic for reading in readings):
        return Classification(intent=Intent.OFF_SCOPE)
    return without_request(text, message, clauses, state=state, pending=pending)


def _number_with_aside(message: Span, pending: dict[str, Any] | None) -> Classification | None:
    """ "415-555-0134 ugh sorry" while a named store waits for its number: the number, and the words beside it
    an aside (never a new name), when they hold an aside word and are not written as a name."""
    name, phone = pending_store(pending)
    phones = message.phones()
    if not name or phone or len(phones) != 1 or _ASKS_WHOSE.search(message.canon):
        return None
    beside = Span(message.text, tuple(token for token in message.tokens if token.kind == Kind.WORD))
    words = set(beside.words())
    if not words or words & SAVE_VERBS or not words & ASIDE_WORDS or title_case(beside):
        return None
    correction = bool(phrases.CORRECTION.search(message.canon))
    return Classification(intent=Intent.SAVE, stores=[StoreMention(phone=phones[0].text)], is_correction=correction)


# --- clauses -----------------------------------------------------------------------------------


def _clauses(message: Span) -> list[Span]:
    clauses: list[Span] = []
    start = 0
    tokens = message.tokens
    for index, token in enumerate(tokens):
        following = tokens[index + 1].canon if index + 1 < len(tokens) else None
        if following == "i" and index + 2 < len(tokens) and tokens[index + 2].canon in {"mean", "meant"}:
            # "713-555-019, I mean 713-555-0193" takes a number back; it asks nothing new.
            following = None
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


def _read_clause(clause: Span, *, elsewhere: bool) -> _Reading:
    body = clause.strip(phrases.LEAD_POLITE, None)
    if _asks_to_edit(body, elsewhere=elsewhere):
        return _Reading(None, edits=True)
    correction = bool(phrases.CORRECTION.search(body.canon))
    command = _save_command(body)
    phones = clause.phones()
    digits = _reverse_lookup_digits(clause)
    if command and phrases.SAVE_NOT_A_STORE.match(body.canon) and not _capitalised_after_command(body):
        return _Reading(None, off_topic=True)
    if not command and digits and _asks_whose(body):
        return _Reading(Intent.RETRIEVE_BY_PHONE, phone_digits=digits)
    if phones:
        return _Reading(Intent.SAVE, stores=stores_in(body), is_correction=correction)
    if command and not phrases.SAVE_QUESTION.match(clause.canon):
        stores = None if elsewhere else store_without_phone(body)
        if stores is not None:
            return _Reading(Intent.SAVE, stores=stores, is_correction=correction)
    if phrases.LOOKUP_CUE.search(body.canon) and not phrases.NAMING.match(body.canon):
        query = lookup_query(body)
        if query:
            first, *more = _several(query, body)
            return _Reading(Intent.RETRIEVE_BY_NAME, lookup_query=first, more_queries=more)
    if also := phrases.ALSO_NAME.match(clause.canon):
        rest = clause.after(also).strip(None, _TRAIL_ALSO)
        if rest.words() and looks_like_name(rest):
            return _Reading(None, also=rest.original())
    return _Reading(None, is_correction=correction)


def _several(query: str, body: Span) -> list[str]:
    """ "Target and Safeway" as two stores when the message asks for several numbers ("numbers", "both"), each
    part a name; else the query whole ("Barnes and Noble")."""
    parts = [_LEAD_OWNER.sub("", part.strip(" ,")) for part in _LIST_SEPARATOR.split(query)]
    parts = [part for part in parts if part]
    if len(parts) < 2:
        return [query]
    if phrases.SEVERAL_CUE.search(body.original().casefold()) or all(len(part.split()) > 1 for part in parts):
        # Without "numbers" or "both", only names of two words or more are split: "Ace Hardware and Big 5".
        return parts
    return [query]


def _asks_to_edit(body: Span, *, elsewhere: bool) -> bool:
    """ "remove Target", "change Safeway's number to ...": a saved store named, to be changed or deleted."""
    found = topics.EDIT_REQUEST.match(body.canon)
    if found is None or elsewhere:
        return False
    target = body.inside(found, "target")
    if topics.EDITS_THE_STORE_IN_HAND.match(target.canon):
        return False
    if topics.MENTIONS_A_FIELD.search(target.canon):
        return True
    if target.tokens[0].canon in {"my", "our", "your"}:
        # "change my plan": a store is named by its name, not by whose it is.
        return False
    named = target.strip(phrases.LEAD_QUERY, topics.TRAIL_EDIT_TARGET)
    return bool(named.words()) and looks_like_name(named)


def _save_command(body: Span) -> bool:
    without_corrections = body.strip(phrases.LEAD_POLITE, None)
    return bool(phrases.SAVE_COMMAND.match(without_corrections.canon))


def _mentions_its(clause: Span) -> bool:
    return bool(phrases.ITS_NUMBER.search(clause.canon))


def _capitalised_after_command(body: Span) -> bool:
    """ "save To Go Sushi ...": the word after the command is written as a name."""
    words = [token for token in body.tokens if token.kind == Kind.WORD]
    return len(words) > 1 and words[1].text[:1].isupper()


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
    stores = _respectively(_merged([store for reading in saves for store in reading.stores]))
    lookups = [r for r in readings if r.intent in (Intent.RETRIEVE_BY_NAME, Intent.RETRIEVE_BY_PHONE)]
    lookup = lookups[0] if lookups else None
    # Every store asked for beyond the first: "numbers for Target and Safeway", "Target's number? and Lowe's".
    more: list[str] = []
    for reading in lookups:
        asked = ([reading.lookup_query] if reading is not lookup else []) + reading.more_queries
        more += [query for query in asked if query]
    if lookup:
        more += [reading.also for reading in readings if reading.also]
    correction = any(reading.is_correction for reading in saves)
    if stores and lookup:
        return Classification(
            intent=Intent.MULTI_OPERATION,
            stores=stores,
            lookup_query=lookup.lookup_query,
            other_lookup_queries=more,
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
            other_lookup_queries=more,
            phone_digits=lookup.phone_digits,
        )
    if saves and not collecting:
        # "I want to save a store": a save with nothing known yet; the engine asks for both.
        return Classification(intent=Intent.SAVE)
    if saves:
        return clarify(missing_detail_hint(pending))
    return None


def _respectively(stores: list[StoreMention]) -> list[StoreMention]:
    """ "Alpha Gym and Beta Yoga, 303-555-0121 and 303-555-0122": the names listed first, the numbers after,
    paired in order when there are as many names as numbers."""
    first, rest = (stores[0], stores[1:]) if stores else (None, [])
    if first is None or not first.name or not rest or any(store.name or not store.phone for store in rest):
        return stores
    names = [name.strip() for name in _LIST_SEPARATOR.split(first.name) if name.strip()]
    if len(names) != len(stores):
        return stores
    return [StoreMention(name=name, phone=store.phone) for name, store in zip(names, stores, strict=True)]


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
