"""Read a Classification as plain values, so table tests compare tuples."""

from __future__ import annotations

from conversations.schema import Classification


def stores_of(classification: Classification) -> list[tuple[str | None, str | None]]:
    return [(store.name, store.phone) for store in classification.stores]
