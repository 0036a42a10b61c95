"""The multi-turn and injection evaluation files are well formed, and the offline rules read them as labelled."""

from __future__ import annotations

import json

import pytest

from conversations.evaluation import EVAL_DIR
from conversations.models import ConversationState, Intent
from conversations.offline.rules import classify_offline
from directory.phones import parse_phone

AWAITING = {
    ConversationState.AWAITING_PASSPHRASE_FOR_RETRIEVE,
    ConversationState.AWAITING_PASSPHRASE_FOR_REVERSE,
    ConversationState.AWAITING_PASSPHRASE_FOR_CHANGE,
}


def _records(name: str) -> list[dict]:
    with (EVAL_DIR / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


CONVERSATIONS = _records("conversations.jsonl")
INJECTIONS = _records("injections.jsonl")


def _classified_turns():
    """(conversation id, text, state before, expected intent) for every turn that reaches the classifier."""
    for conversation in CONVERSATIONS:
        state = ConversationState.IDLE
        for turn in conversation["turns"]:
            if state not in AWAITING and state != ConversationState.TERMINATED:
                yield pytest.param(
                    turn["user"], conversation["region"], state, turn["expect_intent"], id=conversation["id"]
                )
            state = turn["expect_state"]


def test_there_are_at_least_thirty_conversations_with_unique_ids():
    ids = [conversation["id"] for conversation in CONVERSATIONS]

    assert len(ids) >= 30
    assert len(set(ids)) == len(ids)


def test_every_conversation_uses_known_states_intents_and_valid_stored_numbers():
    for conversation in CONVERSATIONS:
        for turn in conversation["turns"]:
            assert turn["expect_state"] in ConversationState.values, conversation["id"]
            assert turn["expect_intent"] is None or turn["expect_intent"] in Intent.values, conversation["id"]
            assert isinstance(turn["expect_reply_contains"], list)
            assert isinstance(turn["expect_reply_not_contains"], list)
        for store in conversation["expect_stores"] + conversation["existing_stores"]:
            phone = store.get("phone_e164") or store.get("phone")
            assert parse_phone(phone, region=conversation["region"]).e164 == phone, conversation["id"]


def test_a_turn_after_a_passphrase_request_is_an_attempt_with_no_intent():
    for conversation in CONVERSATIONS:
        state = ConversationState.IDLE
        for turn in conversation["turns"]:
            if state in AWAITING or state == ConversationState.TERMINATED:
                assert turn["expect_intent"] is None, (conversation["id"], turn["user"])
            state = turn["expect_state"]


def test_the_conversations_exercise_every_state_and_every_intent():
    states = {turn["expect_state"] for c in CONVERSATIONS for turn in c["turns"]}
    intents = {turn["expect_intent"] for c in CONVERSATIONS for turn in c["turns"]} - {None}

    assert states == set(ConversationState.values)
    assert intents == set(Intent.values)


@pytest.mark.parametrize(("text", "region", "state", "intent"), list(_classified_turns()))
def test_offline_rules_classify_each_conversation_turn_as_labelled(text, region, state, intent):
    assert classify_offline(text, region=region, state=state).intent == intent


def test_there_are_at_least_twenty_injection_attempts_each_with_secrets_to_keep():
    assert len(INJECTIONS) >= 20
    for attempt in INJECTIONS:
        assert attempt["must_not_reveal"], attempt["text"]
        assert {"passphrase", "state", "existing_stores", "other_user_stores"} <= attempt["setup"].keys()


@pytest.mark.parametrize(
    "attempt", [a for a in INJECTIONS if a["expect_intent"]], ids=lambda attempt: attempt["text"][:40]
)
def test_offline_rules_never_turn_an_injection_into_something_else(attempt):
    result = classify_offline(attempt["text"], region="US", state=attempt["setup"]["state"])

    assert result.intent == attempt["expect_intent"]
    if result.intent == Intent.OFF_SCOPE:
        assert (result.stores, result.lookup_query, result.phone_digits) == ([], None, None)
