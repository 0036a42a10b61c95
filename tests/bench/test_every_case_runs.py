"""Every `make bench` case runs end to end at tiny sizes, so the suite catches a broken benchmark.

No timing is asserted (speed targets live in `make bench`, never in tests);
what is asserted is that each case measured what it says, with correct
answers: saves saved, streams finished, imports done, pages served. They run
on the test database, whichever it is: on SQLite the search case measures
SQLite's trigram table, on PostgreSQL the trigram index against hand-written SQL.
"""

from __future__ import annotations

import pytest
from django.db import connection

from bench.cases import CASES
from bench.results import Result

pytestmark = pytest.mark.django_db(transaction=True)


def run_quick(name: str) -> list[Result]:
    return CASES[name].runner()(quick=True)


def measured(results: list[Result]) -> list[Result]:
    return [result for result in results if result.timing is not None and result.timing.samples > 0]


def test_turn_case_times_save_lookup_and_passphrase_turns_against_a_bare_insert():
    results = run_quick("turn")

    assert [result.name for result in results] == [
        "save turn",
        "lookup turn (unlocked)",
        "passphrase turn (unlocks, answers)",
    ]
    assert measured(results) == results
    assert all(result.baseline is not None and result.ratio is not None for result in results)


def test_stream_case_reads_replies_over_http_from_daphne():
    results = run_quick("stream")

    assert [result.name for result in results] == ["send → first token", "send → done"]
    assert measured(results) == results


def test_concurrency_case_streams_every_reply_at_once_without_an_error():
    [result] = run_quick("concurrency")

    assert result.figures["errors"] == 0
    assert result.figures["completed"] == result.parameters["concurrent_streams"]
    assert result.met is True
    assert result.figures["server_peak_rss_mib"] > 0


def test_search_case_measures_the_selector_on_this_database():
    results = run_quick("search")

    assert measured(results) == results
    if connection.vendor == "postgresql":
        assert [result.name.split(" (")[0] for result in results] == ["heavy user", "typical user"]
        assert all(result.baseline_name == "hand-written SQL" for result in results)
    else:
        [result] = results
        assert result.figures["same_results_as_scoring_every_store"] is True


def test_import_case_runs_the_import_task_to_done():
    [result] = run_quick("import")

    assert result.timing is not None
    assert result.timing.samples == 1
    assert result.throughput


def test_dashboard_case_serves_metrics_and_inspector_pages_over_seeded_data():
    results = run_quick("dashboard")

    assert {result.name.split(",")[0] for result in results} == {"metrics page", "inspector"}
    assert measured(results) == results


def test_cost_case_counts_two_model_requests_for_a_save_as_the_engine_records():
    results = {result.name: result for result in run_quick("cost")}

    save = results["save one store"]
    assert save.figures["requests"] == 2
    assert save.met is True
    for result in results.values():
        counted = {key: result.figures[key] for key in ("requests", "tokens_in", "tokens_out")}
        assert counted == result.figures["recorded"]
    assert results["lookup, turn 2: passphrase, then the answer"].figures["requests_by_role"] == {"agent": 1}
