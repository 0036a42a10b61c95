"""`python -m bench --case NAME|all`: run benchmark cases on scratch databases, print a table, write JSON.

python -m bench                     # every case (what `make bench` runs)
python -m bench --case search       # one case; other cases' results in the JSON are kept
python -m bench --quick             # tiny sizes: checks that the cases run, measures nothing useful
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psycopg

from bench.cases import CASES, Case
from bench.environment import REPO, child_environment
from bench.results import Result
from bench.scratch import DEFAULT_ADMIN_URL, Scratch
from bench.table import render

RESULTS_FILE = REPO / "bench" / "results.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--case", default="all", choices=["all", *CASES])
    parser.add_argument("--quick", action="store_true", help="Tiny sizes (a smoke run).")
    parser.add_argument("--out", type=Path, default=RESULTS_FILE, help=f"JSON results (default {RESULTS_FILE}).")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get("BENCH_POSTGRES_ADMIN_URL", DEFAULT_ADMIN_URL),
        help="A PostgreSQL database to create and drop the scratch databases from (loopback).",
    )
    args = parser.parse_args(argv)
    cases = list(CASES.values()) if args.case == "all" else [CASES[args.case]]
    machine = machine_facts(args.admin_url)
    print(f"Benchmarks on {machine['cpus']} CPUs, {machine['memory_gib']} GiB; load {machine['load_average']}")

    results: list[Result] = []
    failures: list[str] = []
    started = time.monotonic()
    with Scratch(admin_url=args.admin_url) as scratch:
        for case in cases:
            for database in case.databases:
                print(f"\n== {case.name} on {database} ==", flush=True)
                url = scratch.fresh(database, case.name)
                try:
                    results += run_case(case, url, quick=args.quick, workdir=scratch.directory)
                except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
                    failures.append(f"{case.name} on {database}: {error}")
                    print(f"!! {case.name} on {database} failed: {error}", file=sys.stderr)
                finally:
                    scratch.discard(url)
    machine["total_seconds"] = round(time.monotonic() - started, 1)

    print()
    print(render(results, machine))
    write_results(args.out, results, machine, replaced={case.name for case in cases})
    print(f"Wrote {args.out} ({machine['total_seconds']} s).")
    for failure in failures:
        print(f"FAILED: {failure}", file=sys.stderr)
    return 1 if failures else 0


def run_case(case: Case, database_url: str, *, quick: bool, workdir: Path) -> list[Result]:
    out = workdir / f"{case.name}-{int(time.time() * 1000)}.json"
    command = [sys.executable, "-m", "bench.child", "--case", case.name, "--out", str(out)]
    if quick:
        command.append("--quick")
    subprocess.run(command, cwd=REPO, env=child_environment(database_url), check=True, timeout=case.timeout_seconds)
    return [Result.from_json(item) for item in json.loads(out.read_text())]


def write_results(path: Path, results: list[Result], machine: dict[str, Any], *, replaced: set[str]) -> None:
    """Write the run's results, keeping earlier results of cases this run did not measure."""
    kept: list[dict[str, Any]] = []
    if path.exists():
        try:
            kept = [item for item in json.loads(path.read_text())["results"] if item["case"] not in replaced]
        except (ValueError, KeyError, TypeError):
            kept = []
    data = {"machine": machine, "results": kept + [result.to_json() for result in results]}
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def machine_facts(admin_url: str) -> dict[str, Any]:
    memory_kib = 0
    cpu_model = platform.processor() or "unknown"
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    with psycopg.connect(admin_url.replace("postgres://", "postgresql://", 1)) as connection:
        row = connection.execute("SHOW server_version").fetchone()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "load_average": ", ".join(f"{value:.1f}" for value in os.getloadavg()),
        "python": platform.python_version(),
        "postgresql": row[0].split()[0] if row else "unknown",
        "sqlite": sqlite3.sqlite_version,
        "ran_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


if __name__ == "__main__":
    sys.exit(main())
