"""concurrency: many conversations streaming at once against one daphne process, the worker running.

200 users each send a message at the same moment (as htmx would: post, then
read the reply's SSE stream) to a single daphne process; then 500 against a
fresh one, to show how it degrades. Each reply must stream to `done` with the
right content (the store saved, and found in the database afterwards), with
zero errors. Reported: turns per second (completed turns over the wall time
from the first send to the last `done`), latency from send to `done`, peak
resident memory of the daphne process, and the most database connections
open at once. Bounded: every turn has a deadline and the loopback is the only
address used.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass

from django.db import connection

from accounts.models import User
from bench.chat_client import StreamedTurn, http_client, send_and_stream, session_cookies
from bench.data import phone_e164
from bench.progress import say
from bench.results import Result, Summary
from bench.seeding import users_create
from bench.servers import web_server, worker
from conversations.services import conversation_start
from directory.models import Store
from directory.phones import format_phone

DEADLINE_SECONDS = 240.0


@dataclass(frozen=True)
class Sizes:
    levels: tuple[int, ...]


FULL = Sizes(levels=(200, 500))
QUICK = Sizes(levels=(3,))


def run(*, quick: bool) -> list[Result]:
    sizes = QUICK if quick else FULL
    results = []
    with worker() as cluster:
        for level in sizes.levels:
            users = users_create(level, label=f"conc{level}-")
            plan = [(user, session_cookies(user), conversation_start(user=user).pk) for user in users]
            server, base_url = web_server()
            with server, _ConnectionWatch() as watch:
                say(f"{level} conversations at once against daphne pid {server.pid}")
                wall, turns = asyncio.run(_all_at_once(base_url, plan))
                server.check_running()
                cluster.check_running()
                peak_rss = server.peak_rss_mib()
            results.append(_result(level, plan, turns, wall, peak_rss, watch.peak))
    return results


async def _all_at_once(base_url: str, plan: list[tuple[User, dict[str, str], int]]) -> tuple[float, list[StreamedTurn]]:
    start = asyncio.Event()

    async def one(index: int, cookies: dict[str, str], conversation_id: int) -> StreamedTurn:
        async with http_client(base_url, cookies) as client:
            await start.wait()
            return await send_and_stream(client, conversation_id, message(index))

    tasks = [asyncio.create_task(one(index, cookies, cid)) for index, (_, cookies, cid) in enumerate(plan)]
    await asyncio.sleep(0.1)  # every client is waiting at the start line
    started = time.perf_counter()
    start.set()
    done, pending = await asyncio.wait(tasks, timeout=DEADLINE_SECONDS)
    wall = time.perf_counter() - started
    for task in pending:
        task.cancel()
    turns = [task.result() if task in done else StreamedTurn(error="no reply within the deadline") for task in tasks]
    return wall, turns


def message(index: int) -> str:
    return f"Save Busy Store {index}, {format_phone(phone_e164(300_000 + index), region='US')}"


def _result(
    level: int,
    plan: list[tuple[User, dict[str, str], int]],
    turns: list[StreamedTurn],
    wall: float,
    peak_rss: float,
    peak_connections: int,
) -> Result:
    errors: dict[str, int] = {}
    for index, ((user, _, _), turn) in enumerate(zip(plan, turns, strict=True)):
        problem = turn.error
        if not problem and f"Busy Store {index}" not in turn.text:
            problem = "reply without the store's name"
        if not problem and not Store.objects.filter(user=user, store_name=f"Busy Store {index}").exists():
            problem = "store not in the database"
        if problem:
            errors[problem] = errors.get(problem, 0) + 1
    completed = [turn for turn in turns if turn.done_seconds is not None and not turn.error]
    timing = Summary.of([turn.done_seconds or 0.0 for turn in completed]) if completed else None
    error_count = sum(errors.values())
    return Result(
        case="concurrency",
        name=f"{level} streams at once",
        database=connection.vendor,
        size=f"{level} users, 1 turn each",
        parameters={"concurrent_streams": level, "server": "daphne, 1 process", "worker": "qcluster running"},
        timing=timing,
        throughput=round(len(completed) / wall, 1),
        throughput_unit="turns/s",
        target="every stream completes right, 0 errors",
        met=error_count == 0,
        figures={
            "errors": error_count,
            "error_kinds": errors,
            "completed": len(completed),
            "wall_seconds": round(wall, 2),
            "first_token_p50_ms": Summary.of([t.first_token_seconds or 0.0 for t in completed]).p50
            if completed
            else None,
            "server_peak_rss_mib": peak_rss,
            "peak_database_connections": peak_connections,
        },
    )


class _ConnectionWatch:
    """Samples how many connections the database has open, in a thread, while the block runs."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> _ConnectionWatch:
        if connection.vendor == "postgresql":
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _sample(self) -> None:
        from django.db import connections

        try:
            with connections["default"].cursor() as cursor:
                while not self._stop.wait(0.05):
                    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
                    row = cursor.fetchone()
                    self.peak = max(self.peak, int(row[0]) if row else 0)
        finally:
            connections["default"].close()
