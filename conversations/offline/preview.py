"""A dry run of one sample message, for the prompt editor's "try it" with the offline model.

Nothing is read from or written to the database: the sample is classified,
and the reply a fresh conversation would give is phrased from simulated
results, prefixed so no one mistakes it for a real save.
"""

from __future__ import annotations

from typing import Any

from conversations.phrasing.brief import TurnBrief
from conversations.phrasing.notes import (
    AskMissing,
    AskPassphrase,
    Clarify,
    Goodbye,
    LookupNote,
    Note,
    OffScope,
    StoreNote,
)
from conversations.phrasing.replies import phrase_reply
from directory.phones import PhoneError, format_phone, parse_phone

PREVIEW_REGION = "US"


def describe_sample(message: str) -> str:
    from conversations.offline.rules import classify_offline

    classification = classify_offline(message, region=PREVIEW_REGION, state="IDLE")
    results: list[tuple[str, dict[str, Any]]] = []
    missing: list[StoreNote] = []
    for mention in classification.stores if classification.intent not in {"retrieve_by_name", "off_scope"} else []:
        try:
            parsed = parse_phone(mention.phone or "", region=PREVIEW_REGION) if mention.phone else None
        except PhoneError as error:
            missing.append(StoreNote(name=mention.name, phone=mention.phone, problem=str(error)))
            continue
        if parsed is None or not mention.name:
            missing.append(StoreNote(name=mention.name, phone=mention.phone, problem=None))
            continue
        store = {"name": mention.name, "phone": format_phone(parsed.e164, region=PREVIEW_REGION)}
        results.append(("save_store", {"status": "saved", "store": store}))
    notes: list[Note] = []
    if missing:
        notes.append(AskMissing(stores=tuple(missing)))
    lookups = [LookupNote(kind="name", query=classification.lookup_query)] if classification.lookup_query else []
    if classification.phone_digits:
        lookups.append(LookupNote(kind="phone", query=classification.phone_digits))
    if lookups:
        notes.append(AskPassphrase(lookups=tuple(lookups)))
    if not (results or notes):
        match classification.intent:
            case "off_scope":
                notes.append(OffScope(until_end=2))
            case "terminate":
                notes.append(Goodbye())
            case "clarification":
                notes.append(Clarify())
    reply = phrase_reply(results, TurnBrief(state="IDLE", notes=tuple(notes)))
    return f"(Preview: read as “{classification.intent}”; nothing was saved.) {reply}"
