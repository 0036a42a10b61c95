"""Every kind of note is written to the brief's JSON in its agreed shape and read back equal."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest

from conversations.phrasing import notes
from conversations.phrasing.brief import BRIEF_MARKER, TurnBrief
from conversations.phrasing.notes import note_from_json, note_to_json

ACME = notes.StoreFacts(name="ACME Hardware", phone="(415) 555-0198", phone_e164="+14155550198")
ACME_JSON = {"name": "ACME Hardware", "phone": "(415) 555-0198", "phone_e164": "+14155550198"}
HALF_STORE = notes.StoreNote(name="Costco", phone="555-01", problem="That number is too short.")
HALF_STORE_JSON = {"name": "Costco", "phone": "555-01", "problem": "That number is too short."}

# Each note beside the JSON the brief carries for it: what hosted models read and the offline model parses.
EXAMPLES: list[tuple[notes.Note, dict[str, Any]]] = [
    (notes.Unlocked(), {"kind": "unlocked"}),
    (notes.PassphraseInMessage(), {"kind": "passphrase_in_message"}),
    (
        notes.AskMissing(stores=(HALF_STORE, notes.StoreNote(name=None, phone=None, problem=None))),
        {"kind": "ask_missing", "stores": [HALF_STORE_JSON, {"name": None, "phone": None, "problem": None}]},
    ),
    (
        notes.KeptValue(field="phone", value="555-0199", reason="Too short.", kept="the number saved for Costco"),
        {
            "kind": "kept_value",
            "field": "phone",
            "value": "555-0199",
            "reason": "Too short.",
            "kept": "the number saved for Costco",
        },
    ),
    (
        notes.StoreUpdated(status="updated", store=ACME),
        {"kind": "store_updated", "status": "updated", "store": ACME_JSON},
    ),
    (
        notes.StoreUpdated(status="already_saved", existing=ACME),
        {"kind": "store_updated", "status": "already_saved", "existing": ACME_JSON},
    ),
    (
        notes.StoreUpdated(status="refused", reason="That store was deleted."),
        {"kind": "store_updated", "status": "refused", "reason": "That store was deleted."},
    ),
    (notes.LookupProblem(detail="“01” is too little."), {"kind": "lookup_problem", "detail": "“01” is too little."}),
    (
        notes.AskPassphrase(
            lookups=(notes.LookupNote(kind="name", query="costco"), notes.LookupNote(kind="phone", query="0198"))
        ),
        {
            "kind": "ask_passphrase",
            "lookups": [{"kind": "name", "query": "costco"}, {"kind": "phone", "query": "0198"}],
        },
    ),
    (notes.PassphraseWrong(attempts_left=2), {"kind": "passphrase_wrong", "attempts_left": 2}),
    (notes.PassphraseExhausted(lockout_minutes=15), {"kind": "passphrase_exhausted", "lockout_minutes": 15}),
    (notes.LookupsLocked(minutes_left=4), {"kind": "lookups_locked", "minutes_left": 4}),
    (
        notes.NoPassphrase(settings_url="/accounts/settings/"),
        {"kind": "no_passphrase", "settings_url": "/accounts/settings/"},
    ),
    (notes.OffScope(until_end=1), {"kind": "off_scope", "until_end": 1}),
    (notes.OffScopeEnded(), {"kind": "off_scope_ended"}),
    (notes.Goodbye(operations=3), {"kind": "goodbye", "operations": 3}),
    (notes.Goodbye(), {"kind": "goodbye"}),
    (
        notes.Clarify(hint=None, about="Costco", pending=()),
        {"kind": "clarify", "hint": None, "about": "Costco", "pending": []},
    ),
    (
        notes.Clarify(hint="Ask which store.", about=None, pending=(HALF_STORE,)),
        {"kind": "clarify", "hint": "Ask which store.", "about": None, "pending": [HALF_STORE_JSON]},
    ),
    (notes.Clarify(), {"kind": "clarify"}),
    (notes.Cancelled(stores=(HALF_STORE,)), {"kind": "cancelled", "stores": [HALF_STORE_JSON]}),
    (notes.Cancelled(stores=()), {"kind": "cancelled", "stores": []}),
    (notes.LookupCancelled(), {"kind": "lookup_cancelled"}),
    (
        notes.StoreDeleted(store=ACME),
        {"kind": "store_deleted", "store": ACME_JSON},
    ),
    (
        notes.ChangeTarget(action="delete", target="acme", candidates=(ACME,)),
        {
            "kind": "change_target",
            "action": "delete",
            "target": "acme",
            "candidates": [ACME_JSON],
        },
    ),
    (notes.ChangeTarget(action="update"), {"kind": "change_target", "action": "update", "candidates": []}),
    (
        notes.Undone(what="deleted", store=ACME),
        {
            "kind": "undone",
            "what": "deleted",
            "store": ACME_JSON,
        },
    ),
    (notes.NothingToUndo(), {"kind": "nothing_to_undo"}),
    (notes.ChangeCancelled(), {"kind": "change_cancelled"}),
    (notes.NameUnsure(name="Just Tires"), {"kind": "name_unsure", "name": "Just Tires"}),
    (notes.Closed(), {"kind": "closed"}),
    (
        notes.NotInMessage(field="phone", name="Joe's Pizza"),
        {"kind": "not_in_message", "field": "phone", "name": "Joe's Pizza"},
    ),
    (notes.NotInMessage(field="name and phone"), {"kind": "not_in_message", "field": "name and phone"}),
]


def test_the_examples_cover_every_kind_of_note():
    assert {type(note) for note, _ in EXAMPLES} == set(get_args(notes.Note))
    assert len(get_args(notes.Note)) == 25


@pytest.mark.parametrize(("note", "expected"), EXAMPLES, ids=lambda value: getattr(value, "kind", None))
def test_a_note_is_written_in_its_shape_and_read_back_equal(note, expected):
    written = json.loads(json.dumps(note_to_json(note)))
    assert written == expected
    assert note_from_json(written) == note


def test_a_brief_reads_back_from_the_instructions_it_wrote():
    notes = tuple(note for note, _ in EXAMPLES)
    brief = TurnBrief(state="COLLECTING_SAVE_INFO", notes=notes)
    instructions = f"You are Storebot.\n\n{brief.to_instructions()}"
    assert TurnBrief.from_instructions(instructions) == brief
    facts = json.loads(instructions.rsplit(BRIEF_MARKER, 1)[1])
    assert facts == {"state": "COLLECTING_SAVE_INFO", "notes": [expected for _, expected in EXAMPLES]}


@pytest.mark.parametrize(
    "written",
    [
        {"kind": "not_a_kind"},
        {"attempts_left": 2},
        {"kind": "passphrase_wrong"},
        {"kind": "ask_missing", "stores": ["Costco"]},
        {"kind": ["unlocked"]},
        "unlocked",
    ],
)
def test_anything_else_in_the_notes_is_not_a_note(written):
    assert note_from_json(written) is None
