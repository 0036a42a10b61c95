"""Store names and lookup queries cut out of a clause, in the user's own words.

A name is a span of the user's text. Filler is peeled off only outside it:
everything up to a save command is filler ("hey, can you save ..."), after
the command only the words that introduce a name are ("a new store called
..."), so a name that opens with "Quick", "Just" or "At" keeps its first
word. A role before the name ("my dentist, Dr. Lee's Office") is dropped at
its comma. A span of nothing but pronouns and filler ("it", "that one", "a
store") names nothing, and a span that reads as a sentence or a question is
no name at all (`looks_like_name`). Phone numbers are reported as written, so
Python can say why one is invalid.
"""

from __future__ import annotations

import itertools
import re

from conversations.offline import phrases, topics
from conversations.offline.tokens import Kind, Span, Token
from conversations.offline.vocabulary import (
    GENERIC_STORE_WORDS,
    OFF_SCOPE_TOPICS,
    PRONOUNS,
    SENTENCE_WORDS,
    VAGUE_WORDS,
)
from conversations.schema import StoreMention
from directory.shop_kinds import kind_name_terms

# A digit group this long may be part of a phone number ("ending in 0198"); a shorter one is a count ("last 4").
MIN_PARTIAL_DIGITS = 3
_MIN_PHONE_DIGITS = 7
# More words than this is a sentence, not a store's name.
MAX_NAME_WORDS = 7
_CONNECTORS = frozenset({"and", ",", "also", "plus", "&", ";", "then"})
# A role before a name: "my dentist, Dr. Lee's Office", "our vet - Happy Paws", "that Thai place, Kin Khao".
_ROLE_OPENERS = frozenset({"my", "our", "the", "that", "this", "your"})
_ROLE_SEPARATORS = frozenset({",", ":", "-", "\u2013", "\u2014"})
_MAX_ROLE_WORDS = 9  # "the number for my kid's school, Oakfield Primary"
_NAMING_WORDS = frozenset({"called", "named"})
_MAX_LOWERCASE_ROLE_WORDS = 2
# Taking back what was just said inside one message: "X... sorry, Y", "X, I mean Y", "X or rather Y".
_SELF_CORRECTION = re.compile(
    r"(?:^| )(?:[^\w\s] )*(?:sorry|i mean|i meant|or rather|no wait|make that|oops)(?: [^\w\s])*(?= \S)"
)
# People and places named by what they are to the user ("my plumber", "the kids' school").
ROLE_WORDS = frozenset(
    {"guy", "lady", "person", "plumber", "electrician", "mechanic", "dentist", "doctor", "vet", "barber", "tutor"}
    | {"hairdresser", "stylist", "babysitter", "cleaner", "landlord", "accountant", "lawyer", "contractor"}
    | {"handyman", "school", "gym", "kid", "kids", "kid's", "kids'", "mom's", "dad's", "favorite", "favourite"}
)
_PERSON_TITLES = frozenset({"dr", "doctor", "mr", "mrs", "ms", "prof", "professor"})
# "555-12 sorry 415-555-0114": a number taken back before the right one.
_TAKEN_BACK = re.compile(
    r"^(?:[^\w\s] )*(?:(?:no|nope|wait|sorry|oops|actually|correction|rather|i mean|i meant|make (?:it|that)|er+|um+)"
    r"(?: [^\w\s])? ?)+$"
)
_MAX_TAKE_BACK_WORDS = 5
# A name does not end on a word that needs another after it ("some help finding my").
_DANGLING = frozenset({"my", "the", "a", "an", "to", "of", "for", "your", "our", "and", "with", "into", "from"})
_SMALL_WORDS = frozenset({"of", "the", "and", "&", "'s", "a", "an", "on", "at", "in", "for", "de", "la", "le", "du"})


def stores_in(body: Span) -> list[StoreMention]:
    """Pair each phone number with its store name: names come before their numbers, or all after."""
    body = _vanity_brand_as_name(_without_taken_back_numbers(body))
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


def store_without_phone(body: Span) -> list[StoreMention] | None:
    """A save with no phone number found: the name alone, or the name and a short number ("Pet Depot 555-12").

    None when the words after the command read as a sentence, not a name ("put a hold on my account").
    """
    short = _trailing_short_number(body)
    if short is not None:
        # Too short to be a phone number, but written where one goes: reported as written, so Python says why.
        name = store_name(body.slice(0, short))
        if name:
            return [StoreMention(name=name, phone=body.slice(short, len(body)).original())]
    span = _name_span(body)
    name = _meaningful(span)
    if name is None or (len(span.words()) == 1 and span.words()[0] in ROLE_WORDS | {"mechanic", "shop"}):
        # "add my mechanic": a role, not a name; the reply asks for both.
        return []
    return [StoreMention(name=name)] if looks_like_name(span) else None


def store_name(segment: Span) -> str | None:
    return _meaningful(_name_span(segment))


def plain_name(segment: Span) -> str | None:
    """The store name in `segment` when it reads as a name, not as a sentence ("this app is neat")."""
    span = _name_span(segment)
    return _meaningful(span) if looks_like_name(span) else None


def _name_span(segment: Span) -> Span:
    preamble = phrases.SAVE_PREAMBLE.match(segment.canon)
    corrected = _after_self_correction(segment)
    if len(corrected) != len(segment):
        segment, preamble = corrected, phrases.SAVE_PREAMBLE.match(corrected.canon)
    if preamble is None:
        # "my dentist, Dr. Lee's Office": the role is found before "my" goes with the fillers.
        polite = segment.strip(phrases.LEAD_POLITE, None)
        appositive = _named_in_apposition(polite)
        name = (appositive if len(appositive) != len(polite) else segment).strip(phrases.LEAD_NAME, phrases.TRAIL_NAME)
        name = _named_in_apposition(name).strip(phrases.LEAD_NAME, phrases.TRAIL_NAME)
    else:
        name = segment.after(preamble).strip(None, phrases.TRAIL_NAME)
        name = _named_in_apposition(name).strip(phrases.LEAD_OBJECT, phrases.TRAIL_NAME)
    # "save it to my list: Costco": what follows a colon is the name.
    colon = max((index for index, token in enumerate(name.tokens) if token.canon == ":"), default=None)
    if colon is not None and (after := name.slice(colon + 1, len(name))).words() and looks_like_name(after):
        name = after
    # Once "the number for my" is gone: "plumber Mike Jones Plumbing".
    return _named_after_role_words(name) or name


def lookup_query(body: Span) -> str | None:
    """The store a lookup names, or None when the words ask about something else.

    "the number for X" or "call X" ask for a number: X only has to be shaped like a name. "find X" or
    "do I have X" may be a search of the world ("find a plumber near me"): X must read as a store's name.
    """
    canon = body.canon
    if topics.NOT_A_PHONE_NUMBER.search(canon) or topics.NEARBY.search(canon):
        return None
    anchor = phrases.LOOKUP_ANCHOR.search(canon)
    if anchor is not None:
        query = _named_in_apposition(body.after(anchor).strip(phrases.LEAD_QUERY, phrases.TRAIL_QUERY))
        # "the number for Zon Grocery" or "Chase Bank": a name written as one is a store whatever its words say.
        if topics.ELSEWHERE.search(canon) and not title_case(query):
            return None
        return _meaningful(query) if _shaped_like_name(query) else None
    if topics.ELSEWHERE.search(canon):
        return None
    query = _named_in_apposition(body.strip(phrases.LEAD_LOOKUP, phrases.TRAIL_QUERY))
    if phrases.NUMBER_CUE.search(canon) and _shaped_like_name(query):
        return _meaningful(query)
    if topics.GENERAL_SEARCH.search(canon) or not looks_like_name(query):
        return None
    return _meaningful(query)


def _shaped_like_name(span: Span) -> bool:
    """Short, and no sentence or question in it; a topic word is fine ("the number for Sunny Weather Tours")."""
    words = span.words()
    if not words or len(words) > MAX_NAME_WORDS or words[-1] in _DANGLING:
        return False
    return title_case(span) or not (set(words) & (SENTENCE_WORDS | phrases.QUESTION_WORDS))


def looks_like_name(span: Span) -> bool:
    """A few words that could be a store's name, not a sentence, a question or a topic of conversation.

    Words written in title case ("I Love Sushi", "Sunny Side Cafe") are a name whatever they say.
    """
    words = span.words()
    if not words or len(words) > MAX_NAME_WORDS or words[-1] in _DANGLING or span.canon.rstrip().endswith("?"):
        return False
    if title_case(span):
        return True
    return not (set(words) & (SENTENCE_WORDS | OFF_SCOPE_TOPICS | phrases.QUESTION_WORDS))


def title_case(span: Span) -> bool:
    """Every word but the small ones (of, the, and ...) starts with a capital or a digit."""
    written = [token.text for token in span.tokens if token.kind == Kind.WORD and token.canon not in _SMALL_WORDS]
    return bool(written) and all(word[:1].isupper() or word[:1].isdigit() for word in written)


def _named_in_apposition(span: Span) -> Span:
    """ "my dentist, Dr. Lee's Office" names Dr. Lee's Office: a role, a comma (or colon, or dash), then the name."""
    tokens = span.tokens
    if not tokens:
        return span
    if (named := _named_after_role_words(span)) is not None:
        return named
    if tokens[0].canon not in _ROLE_OPENERS and not _lowercase_role_then_name(span):
        return span
    for index, token in enumerate(tokens[: _MAX_ROLE_WORDS + 1]):
        spaced_dash = token.text in "-\u2013\u2014" and span.text[token.start - 1 : token.start].isspace()
        if token.canon in _ROLE_SEPARATORS and (token.canon != "-" or spaced_dash) and index > 1:
            rest = span.slice(index + 1, len(span))
            return rest if rest.words() else span
    return span


def _lowercase_role_then_name(span: Span) -> bool:
    """ "dry cleaner, Presto Cleaners": lowercase words, a comma, then a name written as one."""
    for index, token in enumerate(span.tokens[: _MAX_LOWERCASE_ROLE_WORDS + 2]):
        if token.canon in _ROLE_SEPARATORS and index:
            rest = span.slice(index + 1, len(span)).strip(None, phrases.TRAIL_NAME)
            return bool(rest.words()) and title_case(rest)
        if token.kind != Kind.WORD or not token.text[:1].islower():
            return False
    return False


def _after_self_correction(segment: Span) -> Span:
    """ "joe's pizza... sorry, Joe's Pizza", "Golden Gate Florist, I mean Golden Gate Flowers": what follows the
    last self-correction in a name is the name."""
    found = None
    for found in _SELF_CORRECTION.finditer(segment.canon):  # noqa: B007 - the last one counts
        continue
    if found is None:
        return segment
    rest = segment.slice(segment.index_at(found.end()), len(segment))
    return rest if rest.words() else segment


def _named_after_role_words(span: Span) -> Span | None:
    """ "dentist dr abernathy's office" (a title starts the name) or "hair salon is called shear magic": the
    name after a few lowercase role words, comma or not; None when the span does not read that way."""
    for index, token in enumerate(span.tokens[: _MAX_ROLE_WORDS + 1]):
        if index and token.canon in _PERSON_TITLES:
            return span.slice(index, len(span))
        if index and index <= _MAX_LOWERCASE_ROLE_WORDS and token.text[:1].isupper():
            # "plumber Mike Jones Plumbing": a role or two in lowercase, then a name written as one. Only roles:
            # "joe's Pizza Place" keeps its first word.
            rest = span.slice(index, len(span))
            roles = span.slice(0, index).words()
            is_role = all(word in ROLE_WORDS or kind_name_terms(word) for word in roles)
            return rest if is_role and len(rest.words()) > 1 and title_case(rest) else None
        if token.kind != Kind.WORD or not (token.text[:1].islower() or token.text[:1].isdigit()):
            return None
        if index and token.canon in _NAMING_WORDS:
            rest = span.slice(index + 1, len(span))
            return rest if rest.words() else None
    return None


def _without_taken_back_numbers(body: Span) -> Span:
    """Drop a number the user took back before giving the right one ("415-55 wait no 415-555-0152", "Lucky
    Nails 415-555-0120 no wait 415-555-0121")."""
    tokens = body.tokens
    phones = [index for index, token in enumerate(tokens) if token.is_phone]
    for first, second in itertools.pairwise(phones):
        if _TAKEN_BACK.match(body.slice(first + 1, second).canon):
            return Span(body.text, tokens[:first] + tokens[second:])
    for index, token in enumerate(tokens):
        if not token.is_phone or index == 0:
            continue
        for start in range(index - 1, max(index - _MAX_TAKE_BACK_WORDS, 0) - 1, -1):
            number = _number_run_ending_at(body, start)
            if number is not None and _TAKEN_BACK.match(body.slice(start, index).canon):
                return Span(body.text, tokens[:number] + tokens[index:])
    return body


def _number_run_ending_at(body: Span, stop: int) -> int | None:
    """Where a written number (an invalid phone, or digit groups such as "415-55") ends just before `stop`."""
    if stop > 0 and body.tokens[stop - 1].kind == Kind.BAD_PHONE:
        return stop - 1
    start = stop
    while start > 0 and (
        body.tokens[start - 1].canon.isdigit() or body.tokens[start - 1].canon in {"-", ".", "(", ")"}
    ):
        start -= 1
    while start < stop and not body.tokens[start].canon.isdigit():
        start += 1
    digits = sum(len(token.canon) for token in body.tokens[start:stop] if token.canon.isdigit())
    return start if start < stop and digits >= MIN_PARTIAL_DIGITS else None


def _trailing_short_number(body: Span) -> int | None:
    """Where a trailing number too short to be a phone ("555-12", "911") starts, if the span ends with one."""
    if not body or not body.tokens[-1].canon.isdigit():
        return None
    start = _number_run_ending_at(body, len(body))
    if start is None or start == 0:
        return None
    digits = sum(len(token.canon) for token in body.tokens[start:] if token.canon.isdigit())
    return start if digits < _MIN_PHONE_DIGITS else None


def _vanity_brand_as_name(body: Span) -> Span:
    """ "save 1-800-Flowers 800-555-0122": a vanity number where the name goes, before the real number, is the name."""
    phones = [index for index, token in enumerate(body.tokens) if token.is_phone]
    if len(phones) < 2:
        return body
    first = body.tokens[phones[0]]
    if not any(character.isalpha() for character in first.text) or store_name(body.slice(0, phones[0])):
        return body
    if any(character.isalpha() for character in body.tokens[phones[1]].text):
        return body
    as_word = Token(Kind.WORD, first.text, first.text.casefold(), first.start, first.end)
    return Span(body.text, (*body.tokens[: phones[0]], as_word, *body.tokens[phones[0] + 1 :]))


def _meaningful(span: Span) -> str | None:
    """The span's original text, unless it is only pronouns and filler ("it", "that one", "a store")."""
    words = span.words()
    if not words or all(word in PRONOUNS or word in VAGUE_WORDS or word in GENERIC_STORE_WORDS for word in words):
        return None
    if phrases.LIST_ALL.search(span.canon) or words[0] in {"all", "every", "everything"}:
        return None
    return span.original() or None
