"""turn: one chat turn through the orchestrator with the offline model, in process.

Save turns (each the first message of a new conversation), lookup turns
(in a conversation already unlocked with the passphrase) and passphrase turns
(the right passphrase answering a lookup that asked for it: its hash check,
the unlock and the answer), timed from the call of `turn_run` to its
`TurnDone`, i.e. the server's whole work for the turn including every write.
Baseline, same process and database: a bare `Store` insert plus a select by
primary key (targets: save and lookup p50 ≤ 15 ms; passphrase p50 ≤ 150 ms,
the hash check being slow on purpose).
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass

from asgiref.sync import async_to_sync
from django.db import connection

from accounts.models import User
from bench.data import phone_e164, store_names
from bench.progress import say
from bench.results import Result, Summary
from bench.seeding import stores_load, users_create
from conversations.events import TextDelta, ToolRan, TurnDone, TurnError
from conversations.models import Message
from conversations.services import conversation_start, turn_run
from directory.models import Store
from directory.phones import format_phone

PASSPHRASE = "open sesame"  # noqa: S105  (a benchmark user's, not a secret)
P50_TARGET_MS = 15.0
PASSPHRASE_P50_TARGET_MS = 150.0
SAVED_BEFORE = 100
# Numbers the turns save start here, past the ones saved before.
FIRST_NEW_NUMBER = 100_000


@dataclass(frozen=True)
class Sizes:
    turns: int
    warmup: int
    lookups_per_conversation: int
    # Each in a new conversation, after the lookup that asks for it; fewer, as each costs a hash check.
    passphrase_turns: int


FULL = Sizes(turns=200, warmup=20, lookups_per_conversation=5, passphrase_turns=60)
QUICK = Sizes(turns=3, warmup=1, lookups_per_conversation=3, passphrase_turns=2)


@dataclass(frozen=True)
class TimedTurn:
    seconds: float
    first_text_seconds: float
    tools: tuple[ToolRan, ...]
    text: str
    reply_id: int


def run(*, quick: bool) -> list[Result]:
    sizes = QUICK if quick else FULL
    [user] = users_create(1, label="turn", passphrase=PASSPHRASE)
    names = list(store_names(SAVED_BEFORE, seed=31))
    stores_load((user.pk, name, phone_e164(n)) for n, name in enumerate(names))
    database = connection.vendor
    size = f"{SAVED_BEFORE} stores, 1 user"

    say(f"baseline: {sizes.turns} bare Store insert + select")
    baseline = Summary.of([_bare_insert_and_select(user, n) for n in range(sizes.turns)])

    say(f"{sizes.warmup + sizes.turns} save turns")
    saves = [_save_turn(user, n) for n in range(sizes.warmup + sizes.turns)][sizes.warmup :]
    broken = [turn for turn in saves if not _saved(turn)]
    stored = Store.objects.filter(user=user, store_name__startswith="Bench Store ").count()
    if broken or stored != len(saves) + sizes.warmup:
        raise AssertionError(f"{len(broken)} save turns went wrong ({stored} stores saved): {broken[:1]}")

    say(f"{sizes.warmup + sizes.turns} lookup turns")
    lookups = _lookup_turns(user, names, sizes.warmup + sizes.turns, sizes.lookups_per_conversation)[sizes.warmup :]

    say(f"{sizes.warmup + sizes.passphrase_turns} passphrase turns")
    passphrases = _passphrase_turns(user, names, sizes.warmup + sizes.passphrase_turns)[sizes.warmup :]
    results = []
    for label, turns, target_ms in (
        ("save turn", saves, P50_TARGET_MS),
        ("lookup turn (unlocked)", lookups, P50_TARGET_MS),
        ("passphrase turn (unlocks, answers)", passphrases, PASSPHRASE_P50_TARGET_MS),
    ):
        timing = Summary.of([turn.seconds for turn in turns])
        results.append(
            Result(
                case="turn",
                name=label,
                database=database,
                size=size,
                parameters={"turns": len(turns), "warmup": sizes.warmup, "model": "offline"},
                timing=timing,
                target=f"p50 ≤ {target_ms:.0f} ms",
                met=timing.p50 <= target_ms,
                baseline_name="Store insert + select",
                baseline=baseline,
                figures={
                    "first_text_p50_ms": round(statistics.median(turn.first_text_seconds for turn in turns) * 1000, 2),
                    "recorded_latency_p50_ms": _recorded_latency_p50(turns),
                },
            )
        )
    return results


def _bare_insert_and_select(user: User, n: int) -> float:
    phone = phone_e164(FIRST_NEW_NUMBER * 3 + n)
    store = Store(user=user, phone_e164=phone, phone_original=phone)
    store.set_name("Baseline Store")
    started = time.perf_counter()
    store.save(force_insert=True)
    Store.objects.get(pk=store.pk)
    elapsed = time.perf_counter() - started
    Store.objects.filter(pk=store.pk).delete()
    return elapsed


def _save_turn(user: User, n: int) -> TimedTurn:
    conversation = conversation_start(user=user)
    number = format_phone(phone_e164(FIRST_NEW_NUMBER + n), region="US")
    return _timed_turn(user, conversation.pk, f"Save Bench Store {n}, {number}")


def _saved(turn: TimedTurn) -> bool:
    """The save tool ran and the reply names the store (its wording varies)."""
    return any(tool.name == "save_store" and tool.ok for tool in turn.tools) and "Bench Store " in turn.text


def _lookup_turns(user: User, names: list[str], count: int, per_conversation: int) -> list[TimedTurn]:
    turns: list[TimedTurn] = []
    conversation_id = 0
    for n in range(count):
        name = names[n % len(names)]
        if n % per_conversation == 0:
            conversation_id = conversation_start(user=user).pk
            _timed_turn(user, conversation_id, f"What's the number for {names[-1]}?")
            _timed_turn(user, conversation_id, PASSPHRASE)
        turn = _timed_turn(user, conversation_id, f"What's the number for {name}?")
        last_digits = phone_e164(n % len(names))[-4:]
        if not any(tool.name == "lookup_by_name" and tool.ok for tool in turn.tools) or last_digits not in turn.text:
            raise AssertionError(f"A lookup of {name!r} did not answer its number: {turn}")
        turns.append(turn)
    return turns


def _passphrase_turns(user: User, names: list[str], count: int) -> list[TimedTurn]:
    """In a new conversation each: a lookup asks for the passphrase (not timed), then the timed right answer."""
    turns: list[TimedTurn] = []
    for n in range(count):
        name = names[n % len(names)]
        conversation_id = conversation_start(user=user).pk
        _timed_turn(user, conversation_id, f"What's the number for {name}?")
        turn = _timed_turn(user, conversation_id, PASSPHRASE)
        last_digits = phone_e164(n % len(names))[-4:]
        if not any(tool.name == "lookup_by_name" and tool.ok for tool in turn.tools) or last_digits not in turn.text:
            raise AssertionError(f"The passphrase did not answer the lookup of {name!r}: {turn}")
        turns.append(turn)
    return turns


def _timed_turn(user: User, conversation_id: int, text: str) -> TimedTurn:
    return async_to_sync(_run_turn)(user, conversation_id, text)


async def _run_turn(user: User, conversation_id: int, text: str) -> TimedTurn:
    started = time.perf_counter()
    first_text = 0.0
    tools: list[ToolRan] = []
    parts: list[str] = []
    async for event in turn_run(user=user, conversation_id=conversation_id, text=text):
        if isinstance(event, TextDelta):
            first_text = first_text or time.perf_counter() - started
            parts.append(event.text)
        elif isinstance(event, ToolRan):
            tools.append(event)
        elif isinstance(event, TurnError):
            raise AssertionError(f"The turn {text!r} failed: {event.message}")
        elif isinstance(event, TurnDone):
            elapsed = time.perf_counter() - started
            return TimedTurn(elapsed, first_text, tuple(tools), "".join(parts), event.message_id)
    raise AssertionError(f"The turn {text!r} ended without TurnDone.")


def _recorded_latency_p50(turns: list[TimedTurn]) -> float:
    """The engine's own latency_ms of these replies, as the dashboard shows it."""
    replies = Message.objects.filter(pk__in=[turn.reply_id for turn in turns])
    latencies = [latency or 0 for latency in replies.values_list("latency_ms", flat=True)]
    return float(statistics.median(latencies)) if latencies else 0.0
