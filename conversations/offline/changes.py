"""Changes of saved stores, read by rules: "rename Tony's to Tony's Pizza", "delete Target", "undo".

`read_change` reads the whole message (after a polite opening) and returns
an update, delete or undo classification, or None when the message is not
one. Like the rest of the offline reader it only reports what the user
said: the store as named (the target), the new name or number as typed.
Which saved store that is, whether the passphrase is needed and what
"undo" takes back are decided by the engine.

A change of the store in hand ("change it to ...", "rename it to ...", "the
number is ...") is not read here: it is a correction, which rules.py reads
and the engine applies to the store just saved or found.
"""

from __future__ import annotations

import re
from dataclasses import replace

from conversations.models import Intent
from conversations.offline import phrases, topics
from conversations.offline.names import looks_like_name, plain_name
from conversations.offline.tokens import Kind, Span
from conversations.schema import Classification, StoreMention
from directory.forgiving_search import within_one_edit
from directory.shop_kinds import kind_name_terms
from directory.trigrams import normalize_name

_MARKS = r"(?: [^\w\s&+@#$'])*"
_UPDATE_VERB = r"(?:change|update|edit|modify|fix|correct|set|replace|switch)"
_DELETE_VERB = r"(?:delete|remove|erase|drop|get rid of|take out|trash|scrap)"
_FIELD = r"(?:phone number|number|phone|contact number|line)"
_LISTS = r"(?:list|directory|contacts|phone ?book|address book|stores|saved stores|saved numbers)"
_PLEASE = rf"(?:{_MARKS} (?:please|thanks|thank you|for me))?{_MARKS}"
# "remove Blockbuster, it closed down": what follows a mark is the user's reason, not the store.
_ASIDE = r"(?: (?:please|thanks))?(?: [,.;!?-](?: .*)?)?"
# "..., can you update it", "please update": a request after the new number.
_REQUEST = (
    rf"(?:{_MARKS} (?:so )?(?:(?:can|could|would|will) (?:you|u) )?(?:please )?(?:update|change|fix)"
    r"(?: (?:it|that|them))?(?: to)?)"
)
_LEAD_WISH = r"(?:i (?:need|want|have|would like|'d like|wanna) to |i'd like to |please |let's )?"
_HAVE = r"(?: (?:i have|i've got|i saved|i've saved|saved|on file|in there))?"
_TARGET = r"(?P<target>.+?)"
_PHONE = r"(?P<phone>PHONE)"
_TO = (
    rf"(?:{_MARKS} )?(?:to|with|as|into|should be|is now|is|it's now|it's|now|->|:|,|-)"
    r"(?: (?:now|be|the new one|this))?"
)
_NEW_NUMBER = rf"(?:a |the )?(?:new|different|updated) {_FIELD}"

# "undo", "oops, undo that", "put it back", "restore it": take back the last change.
_UNDO = re.compile(
    rf"^(?:(?:oops|wait|no|nope|actually|sorry|ah|argh|ugh|hmm|oh|scratch that|cancel that|never mind)(?:{_MARKS}) )*"
    r"(?:undo|revert|reverse|put (?:it|that|them) back|bring (?:it|that|them) back|bring back \S.*"
    r"|restore (?:it|that|them|the store|\S.*)|take (?:it|that) back|change (?:it|that) back|go back"
    r"|undelete(?: \S.*)?|un-?delete(?: \S.*)?)"
    r"(?: (?:that|it|this|the last change|my last change|the last one|the change|that change|what you did"
    rf"|the delete|the deletion|the rename|that delete|that rename|that deletion|please))*{_MARKS}"
    r"(?: [,.;!?-](?: .*)?)?$"
)
# "no, I didn't mean to delete that, restore it": taking it back, said at the end.
_UNDO_AFTER_REGRET = re.compile(
    r"\b(?:didn't|did not|didnt) mean (?:to|that)\b.*\b(?:undo|restore|put (?:it|that) back|bring (?:it|that) back"
    r"|change (?:it|that) back)\b(?: (?:it|that|please))*(?: [^\w\s])*$"
)

# Each pattern reads a whole message; groups: target, and new (a name) or phone.
_RENAMES = (
    re.compile(rf"^rename {_TARGET} (?:to|as|into) (?P<new>.+?){_PLEASE}$"),
    re.compile(rf"^{_UPDATE_VERB} (?:the )?name (?:of|for) {_TARGET} (?:to|into) (?P<new>.+?){_PLEASE}$"),
    re.compile(rf"^{_UPDATE_VERB} {_TARGET} 's name (?:to|into) (?P<new>.+?){_PLEASE}$"),
    re.compile(rf"^{_TARGET} (?:should be|is now) (?:called|named) (?P<new>.+?){_PLEASE}$"),
    re.compile(rf"^{_UPDATE_VERB} (?:the )?name {_TARGET} (?:to|into) (?P<new>.+?){_PLEASE}$"),
)
_RENUMBERS = (
    re.compile(
        rf"^{_LEAD_WISH}{_UPDATE_VERB} (?:the )?{_FIELD}{_HAVE} (?:for|of|at) {_TARGET}{_TO} {_PHONE}"
        rf"(?: now)?{_PLEASE}$"
    ),
    re.compile(
        rf"^{_TARGET} 's {_FIELD} (?:is now|has changed to|changed to|is changing to|is different now{_MARKS})"
        rf" {_PHONE}{_REQUEST}?{_PLEASE}$"
    ),
    re.compile(rf"^{_UPDATE_VERB} {_TARGET} 's {_FIELD}{_TO} {_PHONE}{_PLEASE}$"),
    re.compile(rf"^{_UPDATE_VERB} {_TARGET}{_TO} {_PHONE}{_PLEASE}$"),
    re.compile(rf"^{_UPDATE_VERB} {_TARGET} {_FIELD}(?:{_TO}|(?: [^\w\s])+)? {_PHONE}{_PLEASE}$"),
    # "hmm I think I saved Home Depot wrong. change it to ..."
    re.compile(
        rf"^(?:hmm+ )?(?:i think )?i (?:saved|have|got|put|entered|typed|wrote) {_TARGET} (?:down )?"
        rf"(?:wrong|wrongly|incorrectly)(?:{_MARKS})* (?:(?:can you |please )?(?:change|update|fix) (?:it|that)"
        rf"{_TO}?) ?{_PHONE}{_PLEASE}$"
    ),
    re.compile(rf"^{_TARGET} (?:has|got|gave me|now has) {_NEW_NUMBER}(?: now)?{_TO} {_PHONE}{_PLEASE}$"),
    re.compile(rf"^{_TARGET} 's {_NEW_NUMBER}(?: is)?{_TO} {_PHONE}{_PLEASE}$"),
    re.compile(
        rf"^(?:the )?{_FIELD} (?:for|of|at) {_TARGET} (?:has )?changed(?:{_MARKS} (?:it's|it is|its|now|it's now))?"
        rf"(?: now)?{_TO}? ?{_PHONE}{_PLEASE}$"
    ),
    re.compile(
        rf"^{_TARGET} (?:changed (?:its|their) {_FIELD}|moved to {_NEW_NUMBER}|switched to {_NEW_NUMBER}"
        rf"|'s {_FIELD} (?:has )?changed|(?:has )?moved|(?:has )?changed numbers?)"
        rf"(?:{_MARKS} (?:it's|it is|now|it's now|(?:the |their |its )?new (?:one|{_FIELD})(?: is)?))?"
        rf"{_REQUEST}?{_TO}? ?{_PHONE}"
        rf"(?:{_MARKS} (?:please )?{_UPDATE_VERB} (?:it|that)| (?:please )?{_UPDATE_VERB} (?:it|that))?{_PLEASE}$"
    ),
)
_DELETES = (
    re.compile(
        rf"^{_LEAD_WISH}{_DELETE_VERB} (?:the (?:entry|store|contact|number|listing|phone number) (?:for|of) )?"
        rf"(?P<target>[^,.;!?]+?)(?: (?:from|in|on|off|out of) (?:my|the) {_LISTS})?{_ASIDE}$"
    ),
    re.compile(rf"^take {_TARGET} (?:off|out of) (?:my|the) {_LISTS}{_PLEASE}$"),
    re.compile(
        rf"^{_LEAD_WISH}{_DELETE_VERB} (?:the |my )?(?P<target>[^,.;!?]+?) (?:entry|listing|contact|number|store)"
        rf"{_ASIDE}$"
    ),
    re.compile(
        rf"^i (?:don't|do not|no longer|dont) (?:need|use|want|go to) {_TARGET}(?: any ?more)?"
        rf"(?:{_MARKS} (?:so |please |just )?{_DELETE_VERB} (?:it|that|them|it please))?{_PLEASE}$"
    ),
)
# "I need to update a number", "rename a store", "update Safeway": a change still missing its store or new value.
_VAGUE_UPDATE = re.compile(
    rf"^{_LEAD_WISH}(?:{_UPDATE_VERB}|rename|edit) (?P<target>.+?)"
    r"(?: 's)?(?: (?:phone )?(?:number|name|phone|details|info|entry|contact))?(?: for me)?"
    rf"{_PLEASE}$"
)
# What names no particular store: "a store", "one of my numbers", "a contact".
_NO_PARTICULAR_STORE = re.compile(
    r"^(?:a|an|one|some|the|one of my|one of the|my|a saved)$"
    r"|^(?:(?:a|an|one|some|the|one of my|one of the|my|a saved) )?(?:store|shop|place|number|phone number|contact"
    r"|entry|name|listing|business)s?(?: 's)?(?: (?:number|name))?$"
)
_QUOTES = "'\"\u2018\u2019\u201c\u201d"
_SHOULD_BE_NOT = re.compile(
    rf"^{_TARGET} 's {_FIELD} (?:should be|is) {_PHONE}(?:{_MARKS})? (?:not|instead of|rather than) PHONE{_PLEASE}$"
)
# "it", "that one": the store in hand, which the engine knows.
_IN_HAND = re.compile(
    r"^(?:it|its|their|that|this|them|that one|this one|the one|that store|this store|the store|those)$"
)


# "change its number to ...": a correction of the store in hand, read as rules.py reads "actually it's ...".
_IN_HAND_NUMBER = re.compile(
    r"^(?:(?:great|ok|okay|cool|thanks|perfect|nice|alright|so|now|oh)(?: [^\w\s])* )*"
    r"(?:(?:can|could|would) (?:you|u) (?:please )?|please )?"
    rf"(?:(?:{_UPDATE_VERB}|make) (?:its|it's|their|the|that|the store 's) {_FIELD}"
    rf"|(?:{_UPDATE_VERB}|make) (?:it|that))(?:{_TO})? {_PHONE}{_PLEASE}$"
)


# Verbs long enough to recognise with one letter wrong ("chnage", "delte", "remvoe", "udpate", "renmae").
_TYPO_PRONE_VERBS = ("change", "update", "delete", "remove", "rename", "erase")
_TYPO_MIN_LENGTH = 5  # a shorter word one edit from a verb is more likely another word


def read_change(body: Span, *, elsewhere: bool) -> Classification | None:
    """The change of a saved store `body` asks for (update, delete or undo), or None."""
    body = _verb_spelled_out(body)
    canon = body.canon
    if _IN_HAND_NUMBER.match(canon) and len(body.phones()) == 1:
        return Classification(
            intent=Intent.SAVE, stores=[StoreMention(phone=body.phones()[0].text)], is_correction=True
        )
    if (_UNDO.match(canon) or _UNDO_AFTER_REGRET.search(canon)) and not elsewhere:
        return Classification(intent=Intent.UNDO)
    if elsewhere:
        return None
    for pattern in _RENAMES:
        if (found := pattern.match(canon)) and (target := _target(body, found)):
            new_name = plain_name(body.inside(found, "new"))
            if new_name and not _IN_HAND.match(target.casefold()):
                return Classification(
                    intent=Intent.UPDATE, target=target.strip(_QUOTES), new_name=new_name.strip(_QUOTES)
                )
    phones = body.phones()
    if len(phones) == 2 and (found := _SHOULD_BE_NOT.match(canon)) and (target := _target(body, found)):
        # "Macy's number should be 212-555-0191 not 212-555-0190": the first number is the new one.
        return Classification(intent=Intent.UPDATE, target=target, new_phone=phones[0].text)
    if len(phones) == 1:
        for pattern in _RENUMBERS:
            if (found := pattern.match(canon)) and (target := _target(body, found)):
                if _IN_HAND.match(target.casefold()):
                    return None
                return Classification(intent=Intent.UPDATE, target=target, new_phone=phones[0].text)
        return None
    for pattern in _DELETES:
        if found := pattern.match(canon):
            span = body.inside(found, "target").strip(phrases.LEAD_QUERY, None)
            if _IN_HAND.match(span.canon) or _NO_PARTICULAR_STORE.match(body.inside(found, "target").canon):
                return Classification(intent=Intent.DELETE)
            if (target := _target(body, found)) is not None:
                return Classification(intent=Intent.DELETE, target=target)
    if not phones and (found := _VAGUE_UPDATE.match(canon)):
        # The engine asks for what is missing: which store, or what it becomes.
        said = body.inside(found, "target")
        if said and said.tokens[0].canon in {"it", "that", "this", "them", "its", "it's"}:
            return None  # "rename it Costco Business Center": a correction of the store in hand (rules.py)
        if _NO_PARTICULAR_STORE.match(said.canon):
            return Classification(intent=Intent.UPDATE)
        if (target := _target(body, found)) is not None and not _IN_HAND.match(target.casefold()):
            return Classification(intent=Intent.UPDATE, target=target)
    return None


def _target(body: Span, found: re.Match[str]) -> str | None:
    """The store the change names, when it reads as a store's name ("my account" or "the ads" do not)."""
    span = body.inside(found, "target")
    if not span:
        return None
    if span.tokens[0].canon in {"my", "our", "your"} and not topics.MENTIONS_A_FIELD.search(span.canon):
        # "change my plan" is no store; "remove my dentist" names one by its kind (the search finds it).
        rest = span.slice(1, len(span))
        return rest.original() if rest and kind_name_terms(normalize_name(rest.original())) else None
    named = span.strip(phrases.LEAD_QUERY, topics.TRAIL_EDIT_TARGET)
    if _IN_HAND.match(named.canon):
        return named.original()
    lowercase = not any(token.text[:1].isupper() for token in named.tokens)
    if span.tokens[0].canon == "the" and lowercase and not kind_name_terms(normalize_name(named.original())):
        # "remove the ads": a thing, not a store's name (a name after "the" is written as one: "the Target"),
        # unless it names a kind of shop ("the taco place").
        return None
    if not named.words() or not looks_like_name(named):
        return None
    return named.original() or None


def _verb_spelled_out(body: Span) -> Span:
    """`body` with a mistyped opening verb read as the verb it is one edit from; other words as typed."""
    if not body:
        return body
    first = body.tokens[0]
    if first.kind != Kind.WORD or first.canon in _TYPO_PRONE_VERBS or len(first.canon) < _TYPO_MIN_LENGTH:
        return body
    verb = next((verb for verb in _TYPO_PRONE_VERBS if within_one_edit(first.canon, verb)), None)
    if verb is None:
        return body
    return Span(body.text, (replace(first, canon=verb), *body.tokens[1:]))
