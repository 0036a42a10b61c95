"""Fixtures for the directory tests."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _skip_postgres_only_tests_elsewhere(request: pytest.FixtureRequest) -> None:
    # Tests marked `postgres` check PostgreSQL itself (pg_trgm, EXPLAIN); CI
    # runs the suite on PostgreSQL too, where they run.
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
