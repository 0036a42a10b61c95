"""stream: one chat turn through daphne over HTTP on loopback, as the browser does it.

Daphne (one process) serves the app; the message is posted as htmx posts it
and the reply read from its Server-Sent Events stream. Measured from sending
the message to the first streamed token and to `done` (target: first token
p50 ≤ 50 ms with the offline model). Baseline, same server and run: GET
/healthz, the lightest request daphne answers.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import httpx
from django.db import connection

from bench.chat_client import StreamedTurn, http_client, send_and_stream, session_cookies
from bench.data import phone_e164
from bench.progress import say
from bench.results import Result, Summary
from bench.seeding import users_create
from bench.servers import web_server
from conversations.services import conversation_start
from directory.models import Store
from directory.phones import format_phone

FIRST_TOKEN_TARGET_MS = 50.0
# The chat allows 20 messages a minute per user (SystemConfig): a user sends at most this many.
TURNS_PER_USER = 10


@dataclass(frozen=True)
class Sizes:
    turns: int
    warmup: int


FULL = Sizes(turns=100, warmup=10)
QUICK = Sizes(turns=2, warmup=1)


def run(*, quick: bool) -> list[Result]:
    sizes = QUICK if quick else FULL
    total = sizes.warmup + sizes.turns
    users = users_create(-(-total // TURNS_PER_USER), label="stream")
    plan = []
    for n in range(total):
        user = users[n // TURNS_PER_USER]
        plan.append((session_cookies(user), conversation_start(user=user).pk, n))
    server, base_url = web_server()
    with server:
        say(f"daphne on {base_url}; {total} turns, one at a time")
        baseline, turns = asyncio.run(_measure(base_url, plan, sizes.turns))
        server.check_running()
    measured = turns[sizes.warmup :]
    failed = [turn for turn in measured if turn.error or "Stream Store " not in turn.text]
    if Store.objects.filter(store_name__startswith="Stream Store ").count() != total:
        raise AssertionError("Not every streamed save is in the database.")
    if failed:
        raise AssertionError(f"{len(failed)} of {len(measured)} streamed turns went wrong: {failed[0]}")
    first = Summary.of([turn.first_token_seconds or 0.0 for turn in measured])
    done = Summary.of([turn.done_seconds or 0.0 for turn in measured])
    parameters = {"turns": len(measured), "warmup": sizes.warmup, "model": "offline", "server": "daphne, 1 process"}
    return [
        Result(
            case="stream",
            name="send → first token",
            database=connection.vendor,
            size="save turns over HTTP",
            parameters=parameters,
            timing=first,
            target=f"p50 ≤ {FIRST_TOKEN_TARGET_MS:.0f} ms",
            met=first.p50 <= FIRST_TOKEN_TARGET_MS,
            baseline_name="GET /healthz",
            baseline=baseline,
            # Where the time goes: the POST (submit, its HTML), then the SSE request up to the first word.
            figures={"send_answered_p50_ms": Summary.of([turn.sent_seconds or 0.0 for turn in measured]).p50},
        ),
        Result(
            case="stream",
            name="send → done",
            database=connection.vendor,
            size="save turns over HTTP",
            parameters=parameters,
            timing=done,
            baseline_name="GET /healthz",
            baseline=baseline,
        ),
    ]


async def _measure(
    base_url: str, plan: list[tuple[dict[str, str], int, int]], measured: int
) -> tuple[Summary, list[StreamedTurn]]:
    async with httpx.AsyncClient(base_url=base_url) as probe:
        health = []
        for _ in range(measured):
            started = time.perf_counter()
            (await probe.get("/healthz")).raise_for_status()
            health.append(time.perf_counter() - started)
    turns = []
    for cookies, conversation_id, n in plan:
        async with http_client(base_url, cookies) as client:
            turns.append(await send_and_stream(client, conversation_id, save_message(n)))
    return Summary.of(health), turns


def save_message(n: int) -> str:
    return f"Save Stream Store {n}, {format_phone(phone_e164(200_000 + n), region='US')}"
