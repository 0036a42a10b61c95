"""The results as Markdown tables: one for timings, one for model usage per turn (the cost case)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bench.results import Result

TIMING_COLUMNS = (
    "Case", "Measurement", "DB", "Data", "n", "p50 ms", "p95 ms", "max ms",
    "Throughput", "Baseline (p50 ms)", "Ratio", "Target", "Met",
)  # fmt: skip
COST_COLUMNS = ("Turn", "Model requests", "Input tokens", "Output tokens", "USD at hosted prices")


def render(results: Sequence[Result], machine: dict[str, Any]) -> str:
    timed = [result for result in results if result.case != "cost"]
    costs = [result for result in results if result.case == "cost"]
    parts = [f"Machine: {describe_machine(machine)}", ""]
    if timed:
        parts += [_markdown(TIMING_COLUMNS, [_timing_row(result) for result in timed]), ""]
    if costs:
        parts += [_markdown(COST_COLUMNS, [_cost_row(result) for result in costs]), ""]
    return "\n".join(parts)


def describe_machine(machine: dict[str, Any]) -> str:
    return (
        f"{machine['cpus']} CPUs ({machine['cpu_model']}), {machine['memory_gib']} GiB RAM, "
        f"load average {machine['load_average']} at start; Python {machine['python']}, "
        f"PostgreSQL {machine['postgresql']}, SQLite {machine['sqlite']}"
    )


def _timing_row(result: Result) -> list[str]:
    timing = result.timing
    return [
        result.case,
        result.name,
        result.database,
        result.size,
        str(timing.samples) if timing else "",
        _number(timing.p50 if timing else None),
        _number(timing.p95 if timing else None),
        _number(timing.max if timing else None),
        f"{_number(result.throughput)} {result.throughput_unit}" if result.throughput is not None else "",
        f"{result.baseline_name} ({_number(result.baseline.p50)})" if result.baseline else "",
        f"{result.ratio:.2f}" if result.ratio is not None else "",
        result.target,
        {True: "yes", False: "**no**", None: ""}[result.met],
    ]


def _cost_row(result: Result) -> list[str]:
    figures = result.figures
    by_role = ", ".join(f"{role} {count}" for role, count in figures["requests_by_role"].items())
    return [
        result.name,
        f"{figures['requests']} ({by_role})" if by_role else "0",
        f"{figures['tokens_in']:,}",
        f"{figures['tokens_out']:,}",
        f"${figures['usd_hosted']}",
    ]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _markdown(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    cells = [[cell.replace("|", "\\|") for cell in row] for row in rows]
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)
