"""A message that asks for no save and no lookup: a farewell, a new name, a missing detail, or a question back.

Only a message that is confidently about something else is off-scope, a
strike towards ending the conversation. Anything on topic that the rules
cannot read ("do you want to save update", "hmm, not sure which"), kind words
about the bot and short replies get a clarifying question instead, which
costs nothing.
"""

from __future__ import annotations

from typing import Any

from conversations.models import ConversationState, Intent
from conversations.offline import phrases, topics
from conversations.offline.names import plain_name, store_name
from conversations.offline.tokens import Kind, Span
from conversations.offline.vocabulary import CLOSING_WORDS, OFF_SCOPE_TOPICS, VAGUE_WORDS
from conversations.phrasing.hints import (
    HINT_HELP,
    HINT_LIST_ALL,
    HINT_ONLY_NUMBERS,
    HINT_SETTINGS,
    HINT_THANKS,
    HINT_WHAT_TO_DO,
    quoted,
)
from conversations.schema import Classification, StoreMention

# A bare reply of up to this many words may be a store name ("costco", "Joe's Pizza").
_MAX_BARE_NAME_WORDS = 5
# "I love this app": kind words are a short message; a long one with them may ask for something else.
_MAX_PRAISE_WORDS = 6
_ACKNOWLEDGEMENTS = frozenset({"ok", "okay", "great", "cool", "perfect", "awesome", "so", "very", "much"})


def without_request(
    text: str, message: Span, clauses: list[Span], *, state: str, pending: dict[str, Any] | None
) -> Classification:
    words = message.words()
    collecting = state == ConversationState.COLLECTING_SAVE_INFO
    if _is_farewell(message, collecting=collecting):
        return Classification(intent=Intent.TERMINATE)
    named = _gap_filled(clauses, pending) if collecting else renamed(clauses)
    if named is not None:
        return named
    if phrases.INJECTION.search(text.casefold()):
        return Classification(intent=Intent.OFF_SCOPE)
    if phrases.GREETING.match(message.canon):
        return clarify(HINT_WHAT_TO_DO)
    if phrases.ACCOUNT_SETTINGS.search(message.canon):
        return clarify(HINT_SETTINGS)
    canon = message.canon
    if phrases.LIST_ALL.search(canon):
        return clarify(HINT_LIST_ALL)
    if set(words) <= _ACKNOWLEDGEMENTS | {"thanks", "you"}:
        return clarify(missing_detail_hint(pending) if collecting else HINT_THANKS)
    if all(word in VAGUE_WORDS for word in words) or topics.UNSURE.search(canon):
        return clarify(missing_detail_hint(pending) if collecting else HINT_WHAT_TO_DO)
    if topics.STORE_DETAILS.search(canon) and _names_a_store(message) and not topics.NEARBY.search(canon):
        # "what time does Target close?": about a store, but nothing the directory keeps.
        return clarify(HINT_ONLY_NUMBERS)
    if topics.PRAISE.search(canon) and len(words) <= _MAX_PRAISE_WORDS and not canon.endswith("?"):
        return clarify(HINT_WHAT_TO_DO)
    if any(word in OFF_SCOPE_TOPICS for word in words) or topics.ELSEWHERE.search(canon):
        return Classification(intent=Intent.OFF_SCOPE)
    if (
        topics.GENERAL_SEARCH.search(canon) and not topics.OWN_DIRECTORY.search(canon)
    ) or phrases.WORLD_QUESTION.search(canon):
        return Classification(intent=Intent.OFF_SCOPE)
    if topics.PRAISE.search(canon) and not canon.endswith("?"):
        return clarify(HINT_WHAT_TO_DO)
    if phrases.HELP.search(canon):
        return clarify(HINT_HELP)
    bare_name = _bare_name(message)
    if bare_name:
        return clarify(
            f"Ask whether they want to save {quoted(bare_name)} (with its phone number) or look up its number."
        )
    if topics.ON_TOPIC.search(canon) or (len(words) <= 2 and not (set(words) & phrases.QUESTION_WORDS)):
        return clarify(missing_detail_hint(pending) if collecting else HINT_WHAT_TO_DO)
    return Classification(intent=Intent.OFF_SCOPE)


def _names_a_store(message: Span) -> bool:
    """A word written with a capital past the first word ("does Target close"), or a possessive ("Costco's")."""
    tokens = [token for token in message.tokens if token.kind == Kind.WORD]
    return any(token.text[:1].isupper() for token in tokens[1:]) or " 's " in f" {message.canon} "


def _is_farewell(message: Span, *, collecting: bool) -> bool:
    """ "bye", "that's all, thanks", and a bare "thanks" unless a save is waiting for its details."""
    words = message.words()
    if message.phones() or not words or not all(word in CLOSING_WORDS for word in words):
        return False
    return bool(phrases.FAREWELL.search(message.canon)) or (not collecting and "thanks" in words)


def _gap_filled(clauses: list[Span], pending: dict[str, Any] | None) -> Classification | None:
    """In a save in progress, a bare reply ("it's Costco", "Costco") supplies the store's name."""
    if len(clauses) != 1:
        return None
    body = clauses[0].strip(phrases.LEAD_POLITE, None)
    explicit = bool(phrases.NAMING.match(body.canon))
    known_name, _ = pending_store(pending)
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


def renamed(clauses: list[Span]) -> Classification | None:
    """Outside a save in progress, "actually call it X" or "I meant X" renames the store just saved."""
    if len(clauses) != 1:
        return None
    body = clauses[0].strip(phrases.LEAD_POLITE, None)
    found = phrases.RENAME.match(body.canon) or phrases.RENAME_AFTER_CORRECTION.match(body.canon)
    name = plain_name(body.after(found)) if found else None
    if not name:
        return None
    return Classification(intent=Intent.SAVE, stores=[StoreMention(name=name)], is_correction=True)


def _bare_name(span: Span) -> str | None:
    """A short reply that reads as a store name: no question, no topic, no sentence, not only filler."""
    words = span.words()
    if not words or len(words) > _MAX_BARE_NAME_WORDS or span.phones():
        return None
    if set(words) & (phrases.QUESTION_WORDS | OFF_SCOPE_TOPICS) or span.canon.rstrip().endswith("?"):
        return None
    return plain_name(span)


def pending_store(pending: dict[str, Any] | None) -> tuple[str | None, str | None]:
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


def missing_detail_hint(pending: dict[str, Any] | None) -> str:
    name, phone = pending_store(pending)
    if name and not phone:
        return f"Ask again for the phone number of {quoted(name)}."
    if phone and not name:
        return f"Ask again for the name of the store with the number {quoted(phone)}."
    return "Ask again for the store's name and phone number, or whether they want to cancel."


def clarify(hint: str) -> Classification:
    return Classification(intent=Intent.CLARIFICATION, reply_hint=hint)
