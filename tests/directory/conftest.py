"""Fixtures for the directory tests, these folders' included.

views/ holds the tests of directory/views.py (the pages), importer/ those of
CSV import (csv_import.py, importer.py, tasks.py), management/ those of the
import_stores command; the rest sit here, one module per behaviour.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from directory import postgres_search
from ops.config import forget_config
from ops.models import SystemConfig


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


@pytest.fixture
def csv_limits(db):
    """Set the CSV limits in the system config: csv_limits(max_rows=3)."""

    def apply(**limits: int) -> None:
        SystemConfig.objects.update_or_create(pk=1, defaults=limits)
        forget_config()

    return apply
