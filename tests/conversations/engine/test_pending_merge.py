"""How a message merges into what a conversation is collecting: what a person means, nothing valid lost."""

from __future__ import annotations

from conversations.engine.fsm import LookupKind
from conversations.engine.pending import PendingAction, PendingLookup, PendingStore, SavedRef, lookups_of, merge_saves
from conversations.models import Intent
from conversations.schema import Classification, StoreMention


def _save(*mentions: StoreMention, correction: bool = False) -> Classification:
    return Classification(intent=Intent.SAVE, stores=list(mentions), is_correction=correction)


def _merge(pending: PendingAction, classification: Classification):
    return merge_saves(pending, classification, region="US", is_save_intent=True)


def test_a_complete_mention_is_ready_to_save():
    merge = _merge(PendingAction(), _save(StoreMention(name="ACME Hardware", phone="415-555-0198")))
    assert [(s.name, s.e164) for s in merge.complete] == [("ACME Hardware", "+14155550198")]
    assert merge.incomplete == []


def test_an_invalid_phone_stays_pending_with_the_reason():
    merge = _merge(PendingAction(), _save(StoreMention(name="Bob's Deli", phone="555-0198")))
    assert merge.complete == []
    [store] = merge.incomplete
    assert store.name == "Bob's Deli"
    assert store.e164 is None
    assert "area code" in (store.problem or "")


def test_a_bare_phone_fills_the_store_missing_one():
    pending = PendingAction(saves=(PendingStore(name="Costco"),))
    merge = _merge(pending, _save(StoreMention(phone="650-555-0101")))
    assert [(s.name, s.e164) for s in merge.complete] == [("Costco", "+16505550101")]


def test_a_bare_name_fills_the_store_missing_one():
    pending = PendingAction(saves=(PendingStore(phone="650-555-0101", e164="+16505550101"),))
    merge = _merge(pending, _save(StoreMention(name="Costco")))
    assert [(s.name, s.e164) for s in merge.complete] == [("Costco", "+16505550101")]


def test_an_invalid_new_phone_never_replaces_a_valid_one():
    pending = PendingAction(saves=(PendingStore(phone="650-555-0101", e164="+16505550101"),))
    merge = _merge(pending, _save(StoreMention(phone="555-0199"), correction=True))
    [store] = merge.incomplete
    assert store.e164 == "+16505550101"
    [rejected] = merge.rejected
    assert rejected.value == "555-0199"
    assert rejected.kept == "650-555-0101"


def test_a_name_correction_renames_the_store_being_collected():
    pending = PendingAction(saves=(PendingStore(name="Costco"),))
    merge = _merge(pending, _save(StoreMention(name="Costco Business Center"), correction=True))
    assert [s.name for s in merge.incomplete] == ["Costco Business Center"]


def test_a_one_field_correction_after_a_save_targets_the_saved_store():
    pending = PendingAction(last_saved=(SavedRef(store_id=7, name="Costco"),))
    merge = _merge(pending, _save(StoreMention(name="Costco Business Center"), correction=True))
    assert merge.correction == (SavedRef(store_id=7, name="Costco"), "Costco Business Center", None)
    assert merge.complete == merge.incomplete == []


def test_a_new_complete_store_while_collecting_is_saved_and_the_other_kept():
    pending = PendingAction(saves=(PendingStore(name="Costco"),))
    merge = _merge(pending, _save(StoreMention(name="Target", phone="651-555-0188")))
    assert [s.name for s in merge.complete] == ["Target"]
    assert [s.name for s in merge.incomplete] == ["Costco"]


def test_save_with_nothing_starts_collecting_both_fields():
    merge = _merge(PendingAction(), _save())
    assert merge.incomplete == [PendingStore()]


def test_pending_action_round_trips_through_json():
    pending = PendingAction(
        saves=(PendingStore(name="Costco", phone="555", problem="too short"),),
        lookups=(PendingLookup(kind=LookupKind.BY_PHONE, query="0198"),),
        last_saved=(SavedRef(store_id=3, name="ACME"),),
    )
    assert PendingAction.from_json(pending.to_json()) == pending
    assert PendingAction.from_json({}) == PendingAction()
    assert pending.for_classifier() == {"stores": [{"name": "Costco", "phone": None}]}


def test_lookups_need_four_digits():
    lookups, problems = lookups_of(Classification(intent=Intent.RETRIEVE_BY_PHONE, phone_digits="19"))
    assert lookups == []
    assert "at least 4 digits" in problems[0]


def test_a_lookup_query_left_in_stores_is_still_a_lookup():
    classification = Classification(intent=Intent.RETRIEVE_BY_NAME, stores=[StoreMention(name="Costco")])
    assert lookups_of(classification) == ([PendingLookup(kind=LookupKind.BY_NAME, query="Costco")], [])
