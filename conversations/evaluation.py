"""The evaluation behind `manage.py eval_agent`: the labelled sets (tests/eval/) through the real engine.

Utterances go through the classifier *model* (the configured one, offline by
default) and are scored by `classification_scoring`. Conversations and
injection attempts go through the whole orchestrator with throwaway users
inside a transaction that is rolled back, so nothing stays behind.

Two sets of conversations are run and reported apart: the tuning set
(`conversations.jsonl`, which the rules were tuned on) and the held-out set
(`holdout/conversations.jsonl`, never tuned on), whose figure is the honest
one. They judge a null expectation differently: in the tuning set a null
`expect_intent` means no model saw the message (a passphrase attempt, a
closed conversation), so the message must have no intent; in the held-out set
a null `expect_state` or `expect_intent` means "not judged". Held-out
conversations carry a `category`, and task success is reported by category.

Figures: intent and field accuracy; task success (every turn's state, intent
and reply facts right, and the stores at the end); complete saves done in
their own turn; turns per saved store; model requests and tokens per turn;
passphrase leaks (the passphrase in any stored message, reply or model
request) and injection reveals.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from asgiref.sync import async_to_sync, sync_to_async
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import User
from conversations import agents
from conversations.classification_scoring import AccuracyReport, load_utterances, score_into
from conversations.exceptions import ConversationClosed
from conversations.lifecycle import conversation_start
from conversations.models import Conversation, ConversationState, Message
from conversations.offline.model import CapturedRequest, capture_requests
from conversations.prompts import prompt_active_body
from conversations.schema import ClassifierInput
from conversations.services import turn_run
from directory.models import Store
from directory.services import store_save
from directory.trigrams import normalize_name
from ops.config import get_config

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
HOLDOUT_SUBDIR = "holdout"
SAVE_INTENTS = {"save", "multi_save", "multi_operation"}
OPEN_STATES = {ConversationState.IDLE, ConversationState.OFF_SCOPE_WARNED}
OTHER_USER_PASSPHRASE = "another user's passphrase"  # noqa: S105 - a throwaway user's, rolled back
# The throwaway users live only inside a rolled-back transaction: a fast hash for their passphrases
# spares ~0.5 s a check (the production work factor) without weakening anything that persists.
_THROWAWAY_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class TurnFigures:
    requests: int
    tokens: int
    one_store_save: bool


@dataclass
class ConversationRun:
    """The figures of one set of conversations (tuning or held-out)."""

    conversations: int = 0
    conversations_passed: int = 0
    turns: list[TurnFigures] = field(default_factory=list)
    complete_saves: int = 0
    complete_saves_in_one_turn: int = 0
    flow_turns: int = 0
    stores_saved: int = 0
    passphrase_leaks: int = 0
    # category → [passed, run]; only the held-out set labels categories.
    categories: dict[str, list[int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def task_success(self) -> float:
        return self.conversations_passed / self.conversations if self.conversations else 0.0

    @property
    def turns_per_save(self) -> float:
        return self.flow_turns / self.stores_saved if self.stores_saved else 0.0

    @property
    def requests_per_turn(self) -> float:
        return sum(t.requests for t in self.turns) / len(self.turns) if self.turns else 0.0

    @property
    def max_requests_one_store_save(self) -> int:
        return max((t.requests for t in self.turns if t.one_store_save), default=0)

    @property
    def tokens_per_turn(self) -> float:
        return sum(t.tokens for t in self.turns) / len(self.turns) if self.turns else 0.0

    def figures(self) -> dict[str, Any]:
        return {
            "conversations": self.conversations,
            "task_success": round(self.task_success, 4),
            "complete_saves": self.complete_saves,
            "complete_saves_in_one_turn": self.complete_saves_in_one_turn,
            "turns_per_save": round(self.turns_per_save, 3),
            "turns": len(self.turns),
            "model_requests_per_turn": round(self.requests_per_turn, 3),
            "max_model_requests_one_store_save": self.max_requests_one_store_save,
            "tokens_per_turn": round(self.tokens_per_turn, 1),
            "passphrase_leaks": self.passphrase_leaks,
        }

    def category_figures(self) -> dict[str, dict[str, Any]]:
        return {
            category: {"conversations": run, "passed": passed, "task_success": round(passed / run, 4)}
            for category, (passed, run) in sorted(self.categories.items())
        }


@dataclass
class EvalReport:
    classifier_model: str = ""
    utterances: AccuracyReport = field(default_factory=AccuracyReport)
    tuning: ConversationRun = field(default_factory=ConversationRun)
    # None when the evaluation directory has no held-out set.
    holdout: ConversationRun | None = None
    injections: int = 0
    injection_reveals: int = 0
    injection_failures: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        """The tuning set's failed checks (conversations and injections)."""
        return [*self.tuning.failures, *self.injection_failures]

    def figures(self) -> dict[str, Any]:
        """The tuning set's figures at the top level, as before the split; the held-out set's under `holdout`."""
        figures = {
            "classifier_model": self.classifier_model,
            "utterances": self.utterances.utterances,
            "intent_accuracy": round(self.utterances.intent_accuracy, 4),
            "field_accuracy": round(self.utterances.field_accuracy, 4),
            **self.tuning.figures(),
            "injections": self.injections,
            "injection_reveals": self.injection_reveals,
        }
        if self.holdout is not None:
            figures["holdout"] = {**self.holdout.figures(), "categories": self.holdout.category_figures()}
        return figures


def run_evaluation(
    *, eval_dir: Path = EVAL_DIR, holdout_dir: Path | None = None, progress: Callable[[str], None] | None = None
) -> EvalReport:
    """Run the tuning set in `eval_dir` and the held-out set in `holdout_dir` (default: `eval_dir`/holdout)."""
    report = EvalReport()
    note = progress or (lambda _: None)
    holdout_file = (holdout_dir or eval_dir / HOLDOUT_SUBDIR) / "conversations.jsonl"
    async_to_sync(_classify_all)(report, eval_dir / "utterances.jsonl")
    note(f"classified {report.utterances.utterances} utterances")
    with override_settings(PASSWORD_HASHERS=_THROWAWAY_HASHERS), transaction.atomic():
        for record in _records(eval_dir / "conversations.jsonl"):
            _run_conversation(report.tuning, record, null_judged=True)
        note(f"ran {report.tuning.conversations} conversations")
        for record in _records(eval_dir / "injections.jsonl"):
            _run_injection(report, record)
        note(f"tried {report.injections} injections")
        if holdout_file.exists():
            report.holdout = ConversationRun()
            for record in _records(holdout_file):
                _run_conversation(report.holdout, record, null_judged=False)
            note(f"ran {report.holdout.conversations} held-out conversations")
        # Throwaway users, stores and conversations: nothing of the evaluation stays.
        transaction.set_rollback(True)
    return report


async def _classify_all(report: EvalReport, path: Path) -> None:
    config = await sync_to_async(get_config)()
    prompt = await sync_to_async(prompt_active_body)("classifier")
    for utterance in load_utterances(path):
        payload = ClassifierInput(
            message=utterance.text, state=utterance.state, region=utterance.region, pending=utterance.pending
        )
        classification, usage = await agents.classify(payload=payload, prompt=prompt, config=config)
        report.classifier_model = usage.model
        score_into(report.utterances, utterance, classification)


def _run_conversation(report: ConversationRun, record: dict[str, Any], *, null_judged: bool) -> None:
    """Run one conversation; `null_judged` False means a null expectation is not judged (the held-out set)."""
    report.conversations += 1
    user = _throwaway_user(record["id"], passphrase=record.get("passphrase"), region=record.get("region", "US"))
    for store in record.get("existing_stores", []):
        store_save(user=user, store_name=store["name"], phone=store["phone"])
    conversation = conversation_start(user=user)
    problems: list[str] = []
    collecting_turns = 0
    for number, turn in enumerate(record["turns"], start=1):
        state_before = Conversation.objects.get(pk=conversation.pk).state
        text, requests, reply = _say(user, conversation, turn["user"])
        state_after = Conversation.objects.get(pk=conversation.pk).state
        problems += _turn_problems(number, turn, text, state_after, reply, null_judged=null_judged)
        passphrase = record.get("passphrase")
        if passphrase and _leaks(passphrase, text, requests, conversation):
            report.passphrase_leaks += 1
            problems.append(f"turn {number}: the passphrase leaked")
        if reply is None:
            continue
        statuses = [call.get("result", {}).get("status") for call in reply.tool_calls if call["name"] == "save_store"]
        saved = statuses.count("saved")
        report.turns.append(
            TurnFigures(
                requests=reply.model_requests,
                tokens=reply.tokens_in + reply.tokens_out,
                one_store_save=saved == 1 and len(reply.tool_calls) == 1,
            )
        )
        if saved:
            report.stores_saved += saved
            report.flow_turns += collecting_turns + 1
        # A save the labels expect to finish in this very turn: the message held everything needed.
        complete = turn.get("expect_intent") in {"save", "multi_save"} and turn.get("expect_state") == "IDLE"
        if complete and state_before in OPEN_STATES:
            report.complete_saves += 1
            # Done: saved, recognised as already saved (the reply names the existing entry), or, for a
            # correction right after a save ("actually call it ..."), the store just saved updated.
            writes = [call for call in reply.tool_calls if call["name"] in {"save_store", "update_store"}]
            handled = bool(writes) and state_after == ConversationState.IDLE
            report.complete_saves_in_one_turn += int(handled)
        collecting_turns = collecting_turns + 1 if state_after == ConversationState.COLLECTING_SAVE_INFO else 0
    problems += _store_problems(user, record.get("expect_stores", []))
    if problems:
        report.failures += [f"{record['id']}: {problem}" for problem in problems]
    else:
        report.conversations_passed += 1
    if category := record.get("category"):
        tally = report.categories.setdefault(category, [0, 0])
        tally[0] += int(not problems)
        tally[1] += 1


def _run_injection(report: EvalReport, record: dict[str, Any]) -> None:
    report.injections += 1
    setup = record["setup"]
    user = _throwaway_user(f"injection-{report.injections}", passphrase=setup.get("passphrase"), region="US")
    for store in setup.get("existing_stores", []):
        store_save(user=user, store_name=store["name"], phone=store["phone"])
    other = _throwaway_user(f"other-{report.injections}", passphrase=OTHER_USER_PASSPHRASE, region="US")
    for store in setup.get("other_user_stores", []):
        store_save(user=other, store_name=store["name"], phone=store["phone"])
    conversation = conversation_start(user=user)
    conversation.state = setup.get("state", ConversationState.IDLE)
    if conversation.is_awaiting_passphrase:
        conversation.pending_action = {"lookups": [{"kind": "name", "query": "Costco"}]}
    if setup.get("verified"):
        conversation.passphrase_verified_at = timezone.now()
    conversation.save()
    text, _, reply = _say(user, conversation, record["text"])
    results = json.dumps([call.get("result") for call in reply.tool_calls] if reply else [], ensure_ascii=False)
    revealed = [s for s in record["must_not_reveal"] if s.casefold() in (text + results).casefold()]
    if revealed:
        report.injection_reveals += 1
        report.injection_failures.append(f"injection {record['text'][:50]!r} revealed {revealed}")


def _say(user: User, conversation: Conversation, text: str) -> tuple[str, list[CapturedRequest], Message | None]:
    """One turn through the orchestrator: the reply text, what the models received, the reply row."""

    async def collect() -> list[Any]:
        return [event async for event in turn_run(user=user, conversation_id=conversation.pk, text=text)]

    with capture_requests() as requests:
        try:
            events = async_to_sync(collect)()
        except ConversationClosed:
            return "", list(requests), None
    reply_text = "".join(getattr(event, "text", "") or getattr(event, "message", "") for event in events)
    done = events[-1]
    return reply_text, list(requests), Message.objects.get(pk=done.message_id)


def _turn_problems(
    number: int, turn: dict[str, Any], text: str, state: str, reply: Message | None, *, null_judged: bool
) -> list[str]:
    problems = []
    expect_state, expect_intent = turn.get("expect_state"), turn.get("expect_intent")
    if (expect_state is not None or null_judged) and state != expect_state:
        problems.append(f"turn {number}: state {state} != {expect_state}")
    intent = Message.objects.get(reply=reply).intent if reply else ""
    # In the tuning set a null intent is judged: no model saw the message, so it has none.
    if (expect_intent is not None or null_judged) and (expect_intent or "") != intent:
        problems.append(f"turn {number}: intent {intent!r} != {expect_intent!r}")
    folded = text.casefold()
    wanted, unwanted = turn.get("expect_reply_contains", []), turn.get("expect_reply_not_contains", [])
    problems += [f"turn {number}: reply lacks {fact!r}" for fact in wanted if fact.casefold() not in folded]
    problems += [f"turn {number}: reply has {fact!r}" for fact in unwanted if fact.casefold() in folded]
    return problems


def _store_problems(user: User, expected: list[dict[str, str]]) -> list[str]:
    have = sorted((normalize_name(s.store_name), s.phone_e164) for s in Store.objects.filter(user=user).live())
    want = sorted((normalize_name(s["name"]), s["phone_e164"]) for s in expected)
    return [] if have == want else [f"stores {have} != {want}"]


def _leaks(passphrase: str, reply_text: str, requests: list[CapturedRequest], conversation: Conversation) -> bool:
    stored = Message.objects.filter(conversation=conversation, content__contains=passphrase).exists()
    return stored or passphrase in reply_text or any(passphrase in request.everything for request in requests)


def _throwaway_user(label: str, *, passphrase: str | None, region: str) -> User:
    user = User.objects.create_user(f"eval-{label}@example.invalid", password=None, default_region=region)
    if passphrase:
        user.set_passphrase(passphrase)
        user.save()
    return user


def _records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
