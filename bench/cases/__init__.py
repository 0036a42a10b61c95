"""The benchmark cases. Each module has `run(*, quick: bool) -> list[Result]`, measuring on Django's
default database, whichever it is: `make bench` gives it a scratch one, the smoke tests the test database."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from bench.results import Result


@dataclass(frozen=True)
class Case:
    name: str
    module: str
    # The databases `make bench` runs it on, each in a process of its own.
    databases: tuple[str, ...]
    # Longest a full run may take before it is stopped (every load loop is bounded).
    timeout_seconds: int

    def runner(self) -> Callable[..., list[Result]]:
        return importlib.import_module(self.module).run


CASES: dict[str, Case] = {
    case.name: case
    for case in (
        Case("turn", "bench.cases.turn", ("postgresql", "sqlite"), 300),
        Case("stream", "bench.cases.stream", ("postgresql",), 300),
        Case("concurrency", "bench.cases.concurrency", ("postgresql",), 900),
        Case("search", "bench.cases.search", ("postgresql", "sqlite"), 900),
        Case("import", "bench.cases.importing", ("postgresql", "sqlite"), 300),
        Case("dashboard", "bench.cases.dashboard", ("postgresql",), 1200),
        Case("cost", "bench.cases.cost", ("sqlite",), 120),
    )
}
