"""Background jobs of operations. Thin: call a service."""

from __future__ import annotations

from adminpanel import bursts, purges, schedules
from adminpanel.alerts import DEFAULT_WINDOW_SECONDS, alert_send


def alert_deliver(kind: str, text: str, dedupe_key: str = "", window_seconds: int = DEFAULT_WINDOW_SECONDS) -> bool:
    """Send one operator alert (queued by adminpanel.alerts.alert_raise)."""
    return alert_send(kind=kind, text=text, dedupe_key=dedupe_key, window_seconds=window_seconds)


def purge_run() -> dict[str, int]:
    """The scheduled retention purge; re-syncs the schedules so config changes apply."""
    counts = purges.purge_run_all()
    schedules.schedules_sync()
    return counts


def bursts_check() -> list[str]:
    """The scheduled burst check: alerts on many fallbacks or errors."""
    return bursts.bursts_check()
