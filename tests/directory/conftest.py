"""Fixtures for the directory tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from directory import postgres_search


@pytest.fixture(autouse=True)
def _skip_postgres_only_tests_elsewhere(request: pytest.FixtureRequest) -> None:
    # Tests marked `postgres` check PostgreSQL itself (pg_trgm, EXPLAIN); CI
    # runs the suite on PostgreSQL too, where they run.
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(autouse=True)
def _forget_list_sizes() -> Iterator[None]:
    # PostgreSQL search caches list sizes from the statistics per process; each test sees its own.
    postgres_search.list_sizes_forget()
    yield
    postgres_search.list_sizes_forget()
