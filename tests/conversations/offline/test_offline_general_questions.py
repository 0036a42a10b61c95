"""Questions for a general assistant (CLINC150 training utterances) are never read as a save or a lookup.

A lookup asks for the passphrase, and a save writes a store: neither may come from "find my interest rate"
or "put carrots on my shopping list". The data and its licence: tests/eval/README.md.
"""

from __future__ import annotations

import json

import pytest

from conversations.evaluation import EVAL_DIR
from conversations.models import ConversationState, Intent
from conversations.offline.rules import classify_offline

_ACTS_ON_THE_DIRECTORY = {
    Intent.SAVE,
    Intent.MULTI_SAVE,
    Intent.RETRIEVE_BY_NAME,
    Intent.RETRIEVE_BY_PHONE,
    Intent.MULTI_OPERATION,
}


def _general_questions() -> list[dict[str, str]]:
    with (EVAL_DIR / "general_questions.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def test_the_set_holds_three_hundred_questions_from_over_a_hundred_intents():
    questions = _general_questions()

    assert len(questions) == 300
    assert len({question["clinc_intent"] for question in questions}) > 100


@pytest.mark.parametrize("state", [ConversationState.IDLE, ConversationState.OFF_SCOPE_WARNED])
def test_no_general_question_is_read_as_a_save_or_a_lookup(state):
    misread = {}
    for question in _general_questions():
        result = classify_offline(question["text"], region="US", state=state)
        if result.intent in _ACTS_ON_THE_DIRECTORY:
            misread[question["text"]] = (result.intent, result.lookup_query, result.stores)

    assert misread == {}
