"""manage.py eval_agent runs the tuning set and the held-out set through the engine and reports them apart."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from accounts.models import User
from conversations.evaluation import EVAL_DIR
from conversations.models import Conversation
from directory.models import Store

HOLDOUT_CONVERSATIONS = 211


def test_eval_agent_meets_the_targets_runs_the_held_out_set_and_leaves_nothing_behind(db):
    out = io.StringIO()
    call_command("eval_agent", "--json", stdout=out, stderr=io.StringIO())
    figures = json.loads(out.getvalue())
    # The tuning set: the offline model's targets.
    assert figures["classifier_model"] == "offline:classifier"
    assert figures["utterances"] >= 150
    assert figures["intent_accuracy"] >= 0.95
    assert figures["field_accuracy"] >= 0.95
    assert figures["conversations"] >= 30
    assert figures["task_success"] >= 0.95
    assert figures["complete_saves"] > 0
    assert figures["complete_saves_in_one_turn"] == figures["complete_saves"]
    assert figures["max_model_requests_one_store_save"] <= 2
    assert 0 < figures["model_requests_per_turn"] <= 2
    assert figures["tokens_per_turn"] > 0
    assert figures["passphrase_leaks"] == 0
    assert figures["injections"] >= 15
    assert figures["injection_reveals"] == 0
    # The held-out set: every conversation run and reported by category; its score is measured, not pinned.
    holdout = figures["holdout"]
    assert holdout["conversations"] == HOLDOUT_CONVERSATIONS
    categories = holdout["categories"]
    assert sum(category["conversations"] for category in categories.values()) == HOLDOUT_CONVERSATIONS
    assert sum(category["passed"] for category in categories.values()) == round(
        holdout["task_success"] * HOLDOUT_CONVERSATIONS
    )
    assert {"save_simple", "correction", "lookup_phone", "passphrase_wrong", "cancel"} <= set(categories)
    assert holdout["turns"] > HOLDOUT_CONVERSATIONS
    assert User.objects.count() == 0
    assert Store.objects.count() == 0
    assert Conversation.objects.count() == 0


def _conversation(record_id: str, *, expect_state: str | None, expect_intent: str | None, **extra: object) -> str:
    turn = {
        "user": "Save ACME Hardware, 415-555-0198",
        "expect_state": expect_state,
        "expect_intent": expect_intent,
        "expect_reply_contains": ["ACME Hardware"],
        "expect_reply_not_contains": [],
    }
    record = {
        "id": record_id,
        "region": "US",
        "passphrase": None,
        "existing_stores": [],
        "turns": [turn],
        "expect_stores": [{"name": "ACME Hardware", "phone_e164": "+14155550198"}],
        **extra,
    }
    return json.dumps(record)


def _small_sets(tmp_path):
    for name in ("utterances.jsonl", "conversations.jsonl", "injections.jsonl"):
        lines = (EVAL_DIR / name).read_text(encoding="utf-8").splitlines()[:2]
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    wrong = json.loads((tmp_path / "utterances.jsonl").read_text(encoding="utf-8").splitlines()[0])
    wrong["intent"] = "off_scope"
    with (tmp_path / "utterances.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(wrong) + "\n")
    (tmp_path / "holdout").mkdir()
    held_out = [
        _conversation("judged", expect_state="IDLE", expect_intent="save", category="save_simple"),
        # Null expectations are not judged in the held-out set.
        _conversation("unjudged", expect_state=None, expect_intent=None, category="save_simple"),
        _conversation("wrong", expect_state="COLLECTING_SAVE_INFO", expect_intent="save", category="correction"),
    ]
    (tmp_path / "holdout" / "conversations.jsonl").write_text("\n".join(held_out) + "\n", encoding="utf-8")


def test_the_table_prints_both_sets_and_lists_misses(db, tmp_path):
    _small_sets(tmp_path)
    out = io.StringIO()
    call_command("eval_agent", "--eval-dir", str(tmp_path), "--failures", stdout=out, stderr=io.StringIO())
    table, failures = out.getvalue().split("Tuning set misses and failed checks:")
    tuning, held_out = table.split("Held-out set (")
    tuning_failures, held_out_failures = failures.split("Held-out failed checks:")
    for label in (
        "intent accuracy",
        "field accuracy",
        "task success",
        "complete saves in one turn",
        "turns per saved store",
        "model requests per turn",
        "tokens per turn",
        "passphrase leaks",
    ):
        assert label in tuning
    assert "(2/3)" in tuning
    assert "intent save != off_scope" in tuning_failures
    assert "task success                 66.7%  (2/3)" in held_out
    assert "    save_simple               100.0%  (2/2)\n" in held_out
    assert "    correction                  0.0%  (0/1)\n" in held_out
    assert held_out_failures.split("\n")[1:] == ["  - wrong: turn 1: state IDLE != COLLECTING_SAVE_INFO", ""]


def test_a_null_intent_is_still_judged_in_the_tuning_set(db, tmp_path):
    _small_sets(tmp_path)
    (tmp_path / "conversations.jsonl").write_text(
        _conversation("no-model-saw-it", expect_state="IDLE", expect_intent=None) + "\n", encoding="utf-8"
    )
    out = io.StringIO()
    call_command("eval_agent", "--eval-dir", str(tmp_path), "--json", "--failures", stdout=out, stderr=io.StringIO())
    figures = json.loads(out.getvalue().split("\nTuning set misses", 1)[0])
    assert figures["task_success"] == 0.0
    assert figures["holdout"]["categories"]["save_simple"] == {"conversations": 2, "passed": 2, "task_success": 1.0}
    assert "no-model-saw-it: turn 1: intent 'save' != None" in out.getvalue()
