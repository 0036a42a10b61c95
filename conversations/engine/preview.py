"""A dry run of one sample message, for the prompt editor's "try it" with the offline model.

Nothing is read from or written to the database: the sample is classified,
and the reply a fresh conversation would give is phrased from simulated
results, prefixed so no one mistakes it for a real save.
"""

from __future__ import annotations

from typing import Any

from conversations.engine.brief import TurnBrief
from conversations.engine.replies import phrase_reply
from directory.phones import PhoneError, format_phone, parse_phone

PREVIEW_REGION = "US"


def describe_sample(message: str) -> str:
    from conversations.engine.offline_rules import classify_offline

    classification = classify_offline(message, region=PREVIEW_REGION, state="IDLE")
    results: list[tuple[str, dict[str, Any]]] = []
    missing: list[dict[str, Any]] = []
    for mention in classification.stores if classification.intent not in {"retrieve_by_name", "off_scope"} else []:
        try:
            parsed = parse_phone(mention.phone or "", region=PREVIEW_REGION) if mention.phone else None
        except PhoneError as error:
            missing.append({"name": mention.name, "phone": mention.phone, "problem": str(error)})
            continue
        if parsed is None or not mention.name:
            missing.append({"name": mention.name, "phone": mention.phone, "problem": None})
            continue
        store = {"name": mention.name, "phone": format_phone(parsed.e164, region=PREVIEW_REGION)}
        results.append(("save_store", {"status": "saved", "store": store}))
    notes: list[dict[str, Any]] = []
    if missing:
        notes.append({"kind": "ask_missing", "stores": missing})
    lookups = [{"kind": "name", "query": classification.lookup_query}] if classification.lookup_query else []
    if classification.phone_digits:
        lookups.append({"kind": "phone", "query": classification.phone_digits})
    if lookups:
        notes.append({"kind": "ask_passphrase", "lookups": lookups})
    simple_notes = {"off_scope": {"until_end": 2}, "terminate": {}, "clarification": {}}
    if classification.intent in simple_notes and not (results or notes):
        kind = {"off_scope": "off_scope", "terminate": "goodbye", "clarification": "clarify"}[classification.intent]
        notes.append({"kind": kind, **simple_notes[classification.intent]})
    reply = phrase_reply(results, TurnBrief(state="IDLE", notes=tuple(notes)))
    return f"(Preview: read as “{classification.intent}”; nothing was saved.) {reply}"
