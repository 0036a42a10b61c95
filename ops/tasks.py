"""Background jobs of the kernel. Thin: call a service."""

from __future__ import annotations

from ops.alerts import DEFAULT_WINDOW_SECONDS, alert_send


def alert_deliver(kind: str, text: str, dedupe_key: str = "", window_seconds: int = DEFAULT_WINDOW_SECONDS) -> bool:
    """Send one operator alert (queued by ops.alerts.alert_raise)."""
    return alert_send(kind=kind, text=text, dedupe_key=dedupe_key, window_seconds=window_seconds)
