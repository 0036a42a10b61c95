"""Local calendar days as datetime bounds (days follow settings.TIME_ZONE)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def aware_midnight(day: date) -> datetime:
    """The moment a local day begins."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_after(day: date) -> datetime:
    """The moment a local day ends (the next one begins): an exclusive upper bound."""
    return aware_midnight(day + timedelta(days=1))
