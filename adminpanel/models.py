from __future__ import annotations

from django.db import models
from django.utils import timezone


class MetricsDay(models.Model):
    """One finished day's usage figures, computed once from the messages.

    The metrics page reads these instead of rescanning a million messages, and
    the history survives the message retention purge. Only days that are over
    are stored; today, and a finished day not stored yet, are computed live.
    Written by the hourly rollup (`adminpanel.services.metrics_days_store`),
    never by a page and never edited by hand.
    """

    day = models.DateField()
    # Days are local dates: a row belongs to the time zone it was cut in.
    timezone_name = models.CharField(max_length=64)
    conversations = models.PositiveIntegerField(default=0)
    messages = models.PositiveIntegerField(default=0)
    user_messages = models.PositiveIntegerField(default=0)
    saves = models.PositiveIntegerField(default=0)
    lookups = models.PositiveIntegerField(default=0)
    fallbacks = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    # {"save": 12, ...}: replies by classified intent.
    intents = models.JSONField(default=dict, blank=True)
    # Assistant reply latency: the day's percentiles, and the exact histogram
    # ({"<ms>": count}) that any longer period's percentiles are merged from.
    latency_p50_ms = models.FloatField(null=True, blank=True)
    latency_p95_ms = models.FloatField(null=True, blank=True)
    latency_histogram = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "timezone_name"], name="metricsday_day_timezone")]
        verbose_name = "metrics day"

    def __str__(self) -> str:
        return f"Metrics for {self.day} ({self.timezone_name})"
