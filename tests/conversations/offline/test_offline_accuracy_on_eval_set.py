"""The offline rules meet the issue's targets on the labelled evaluation set."""

from __future__ import annotations

from collections import Counter

import pytest

from conversations.classification_scoring import LabelledUtterance, evaluate, load_utterances
from conversations.evaluation import EVAL_DIR
from conversations.models import Intent
from conversations.offline.rules import classify_offline
from conversations.schema import Classification

TARGET = 0.95


def _classify(utterance: LabelledUtterance) -> Classification:
    return classify_offline(utterance.text, region=utterance.region, state=utterance.state, pending=utterance.pending)


@pytest.fixture(scope="module")
def utterances() -> list[LabelledUtterance]:
    return load_utterances(EVAL_DIR / "utterances.jsonl")


def test_eval_set_covers_every_intent_with_at_least_twelve_utterances(utterances):
    per_intent = Counter(utterance.intent for utterance in utterances)

    assert len(utterances) >= 150
    assert {intent: per_intent[intent] for intent in Intent.values if per_intent[intent] < 12} == {}


def test_eval_set_covers_typos_international_numbers_and_injections(utterances):
    tags = Counter(tag for utterance in utterances for tag in utterance.tags)

    assert tags["typo"] >= 10
    assert tags["intl"] >= 10
    assert tags["injection"] >= 10
    assert tags["invalid_phone"] >= 5


def test_intent_accuracy_is_at_least_95_percent(utterances):
    report = evaluate(utterances, _classify)
    intent_misses = [miss for miss in report.misses if ": intent " in miss]

    assert report.intent_accuracy >= TARGET, f"{report.summary()}\n" + "\n".join(intent_misses)


def test_field_accuracy_is_at_least_95_percent(utterances):
    report = evaluate(utterances, _classify)
    field_misses = [miss for miss in report.misses if ": intent " not in miss]

    assert report.field_accuracy >= TARGET, f"{report.summary()}\n" + "\n".join(field_misses)
