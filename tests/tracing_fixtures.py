"""Pytest fixtures for tracing; registered for every test directory by tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from uuid import uuid4

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from pytest_django import Settings

from ops.tracing import tracing_init, tracing_shutdown


@pytest.fixture
def exported_spans(settings: Settings) -> Iterator[InMemorySpanExporter]:
    """Langfuse tracing switched on, its spans kept in memory (nothing leaves the machine)."""
    # A fresh public key per test: Langfuse keeps one client per key.
    settings.LANGFUSE_PUBLIC_KEY = f"pk-lf-test-{uuid4().hex}"
    settings.LANGFUSE_SECRET_KEY = "sk-lf-test"
    settings.LANGFUSE_HOST = "http://127.0.0.1:9"
    exporter = InMemorySpanExporter()
    assert tracing_init(tracer_provider=TracerProvider(), span_exporter=exporter)
    yield exporter
    tracing_shutdown()
