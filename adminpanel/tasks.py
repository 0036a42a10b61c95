"""Background jobs of operations. Thin: call a service."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from adminpanel import bursts, purges, schedules
from adminpanel.selectors.metric_days import last_finished_day
from adminpanel.services import metrics_days_store

# How far back the rollup looks for finished days not stored yet.
METRICS_ROLLUP_DAYS = 90


def purge_run() -> dict[str, int]:
    """The scheduled retention purge; re-syncs the schedules so config changes apply."""
    counts = purges.purge_run_all()
    schedules.schedules_sync()
    return counts


def bursts_check() -> list[str]:
    """The scheduled burst check: alerts on many fallbacks or errors."""
    return bursts.bursts_check()


def metrics_rollup() -> int:
    """Store the finished days of the last 90 that are not stored yet; returns how many it stored."""
    end = last_finished_day()
    start = end - timedelta(days=METRICS_ROLLUP_DAYS - 1)
    return len(metrics_days_store(start=start, end=end, zone=timezone.get_current_timezone_name()))
