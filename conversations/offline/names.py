"""Store names and lookup queries cut out of a clause, in the user's own words.

A name is what is left of a span once the filler around it is peeled off
(phrases.LEAD_* and TRAIL_*); a span of nothing but pronouns and filler
("it", "that one", "a store") names nothing. Phone numbers are reported as
written, so Python can say why one is invalid.
"""

from __future__ import annotations

from conversations.offline import phrases
from conversations.offline.tokens import Span, Token
from conversations.offline.vocabulary import GENERIC_STORE_WORDS, PRONOUNS, VAGUE_WORDS
from conversations.schema import StoreMention

# A digit group this long may be part of a phone number ("ending in 0198"); a shorter one is a count ("last 4").
MIN_PARTIAL_DIGITS = 3
_MIN_PHONE_DIGITS = 7
_CONNECTORS = frozenset({"and", ",", "also", "plus", "&", ";", "then"})


def stores_in(body: Span) -> list[StoreMention]:
    """Pair each phone number with its store name: names come before their numbers, or all after."""
    positions = [index for index, token in enumerate(body.tokens) if token.is_phone]
    phones: list[Token] = [body.tokens[index] for index in positions]
    segments: list[Span] = []
    previous = 0
    for index in positions:
        segments.append(body.slice(previous, index))
        previous = index + 1
    segments.append(body.slice(previous, len(body)))
    names = [store_name(segment) for segment in segments]
    if names[0] or not any(names[1:]):
        stores = [StoreMention(name=names[i], phone=phone.text) for i, phone in enumerate(phones)]
        trailing = segments[-1]
        if names[-1] and len(segments) > 1 and trailing.tokens[0].canon in _CONNECTORS:
            stores.append(StoreMention(name=names[-1]))
        return stores
    return [StoreMention(name=names[i + 1], phone=phone.text) for i, phone in enumerate(phones)]


def store_without_phone(body: Span) -> list[StoreMention]:
    """A save with no phone number found: the name alone, or the name and a short number ("Mom's Kitchen 911")."""
    last = body.tokens[-1] if body else None
    if last is not None and last.canon.isdigit() and MIN_PARTIAL_DIGITS <= len(last.canon) < _MIN_PHONE_DIGITS:
        # Too short to be a phone number, but written where one goes: reported as written, so Python says why.
        name = store_name(body.slice(0, len(body) - 1))
        if name:
            return [StoreMention(name=name, phone=last.text)]
    name = store_name(body)
    return [StoreMention(name=name)] if name else []


def store_name(segment: Span) -> str | None:
    name = segment.strip(phrases.LEAD_NAME, phrases.TRAIL_NAME)
    return _meaningful(name)


def lookup_query(body: Span) -> str | None:
    anchor = phrases.LOOKUP_ANCHOR.search(body.canon)
    if anchor is not None:
        query = body.after(anchor).strip(phrases.LEAD_QUERY, phrases.TRAIL_QUERY)
    else:
        query = body.strip(phrases.LEAD_LOOKUP, phrases.TRAIL_QUERY)
    return _meaningful(_named_in_apposition(query))


def _named_in_apposition(query: Span) -> Span:
    """ "that Thai place, Kin Khao" names Kin Khao: a description, a comma, then the name."""
    commas = [index for index, token in enumerate(query.tokens) if token.canon == ","]
    if not commas or not query.tokens or query.tokens[0].canon not in {"that", "this", "the", "my", "our"}:
        return query
    return query.slice(commas[-1] + 1, len(query))


def _meaningful(span: Span) -> str | None:
    """The span's original text, unless it is only pronouns and filler ("it", "that one", "a store")."""
    words = span.words()
    if not words or all(word in PRONOUNS or word in VAGUE_WORDS or word in GENERIC_STORE_WORDS for word in words):
        return None
    if phrases.LIST_ALL.search(span.canon) or words[0] in {"all", "every", "everything"}:
        return None
    return span.original() or None
