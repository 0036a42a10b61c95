"""The django-q2 schedules of operations, created or updated idempotently.

Run by `manage.py setup_schedules` (deploy, `make run`) and after every purge,
so a changed `purge_interval_minutes` takes effect without a redeploy.
"""

from __future__ import annotations

from django.conf import settings
from django_q.models import Schedule

from ops.config import get_config

PURGE_SCHEDULE = "storebot: purges"
BURSTS_SCHEDULE = "storebot: alert bursts"
METRICS_SCHEDULE = "storebot: metrics rollup"
# Finished days are counted once into MetricsDay; doing it hourly keeps the
# first dashboard view of a day fast instead of paying for the count then.
METRICS_ROLLUP_MINUTES = 60


def schedules_sync() -> list[Schedule]:
    """Create or update each schedule by name; running it twice changes nothing."""
    config = get_config()
    wanted = [
        (PURGE_SCHEDULE, "adminpanel.tasks.purge_run", config.purge_interval_minutes),
        (BURSTS_SCHEDULE, "adminpanel.tasks.bursts_check", settings.ALERT_BURST_WINDOW_MINUTES),
        (METRICS_SCHEDULE, "adminpanel.tasks.metrics_rollup", METRICS_ROLLUP_MINUTES),
    ]
    schedules = []
    for name, func, minutes in wanted:
        schedule, _ = Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": Schedule.MINUTES, "minutes": minutes, "repeats": -1},
        )
        schedules.append(schedule)
    return schedules
