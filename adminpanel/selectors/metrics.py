"""Usage metrics for a range of days: what the metrics page shows.

A range splits into finished days and live days (today). Finished days come
from their stored `MetricsDay` rows (adminpanel.selectors.metric_days; the
hourly rollup stores them), or are counted from the messages while not stored
yet; they never change, so their part of a report is also kept in the cache.
Live days are counted from the messages on every report. Spend and active
users come from `TokenUsage`, the accounting of record (one row per user per
day, summaries included). A report therefore costs a fixed handful of
queries whatever the range or the number of messages. Nothing here writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone

from adminpanel.selectors.metric_days import (
    DAY_COUNTERS,
    STORED_FIGURES,
    DayCounts,
    count_days,
    days_between,
    finished_day_counts,
    last_finished_day,
    merged_histogram,
)
from adminpanel.selectors.percentiles import latency_percentiles
from conversations.models import Intent, TokenUsage

# Finished days cannot change; the cache only spares the database the re-reading.
FINISHED_CACHE_SECONDS = 6 * 60 * 60
# The DailyMetrics fields a range's total sums over its days.
ADDITIVE = (*DAY_COUNTERS, "model_requests", "tokens_in", "tokens_out", "cost_usd")


@dataclass(frozen=True)
class DailyMetrics:
    day: date
    conversations: int = 0
    messages: int = 0
    user_messages: int = 0
    saves: int = 0
    lookups: int = 0
    fallbacks: int = 0
    errors: int = 0
    # People who used the assistant: at least one model request recorded that day.
    active_users: int = 0
    model_requests: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: Decimal = Decimal(0)
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None

    @property
    def tokens(self) -> int:
        return self.tokens_in + self.tokens_out


@dataclass(frozen=True)
class IntentShare:
    intent: str
    count: int
    percent: float

    @property
    def label(self) -> str:
        return self.intent.replace("_", " ").capitalize()


@dataclass(frozen=True)
class MetricsReport:
    start: date
    end: date
    days: list[DailyMetrics]
    # The whole period: sums of the days, except distinct users and latency
    # percentiles, which are computed over the whole period.
    totals: DailyMetrics
    intents: list[IntentShare]


@dataclass(frozen=True)
class _Part:
    """Everything a report needs from a run of consecutive days."""

    counts: dict[date, DayCounts]
    latency_histogram: Counter[int]
    usage: dict[date, dict[str, Any]]
    user_ids: frozenset[int]


def _usage(start: date, end: date) -> tuple[dict[date, dict[str, Any]], frozenset[int]]:
    """Spend per day, and who spent anything, from the daily accounting rows."""
    rows = TokenUsage.objects.filter(date__gte=start, date__lte=end, requests__gt=0).order_by()
    per_day: dict[date, dict[str, Any]] = {
        row["date"]: dict(row)
        for row in rows.values("date").annotate(
            active_users=Count("id"),
            model_requests=Sum("requests"),
            tokens_in=Sum("tokens_in"),
            tokens_out=Sum("tokens_out"),
            cost_usd=Sum("cost_usd"),
        )
    }
    return per_day, frozenset(rows.values_list("user_id", flat=True).distinct())


def _finished_part(start: date, end: date) -> _Part:
    zone = timezone.get_current_timezone_name()
    key = f"storebot:metrics:finished:{zone}:{start:%Y-%m-%d}:{end:%Y-%m-%d}"
    part: _Part | None = cache.get(key)
    if part is None:
        counts = finished_day_counts(start=start, end=end, zone=zone)
        # The stored days' histograms, added up by the database, and those of the days not stored yet.
        histogram = merged_histogram(start=start, end=end, zone=zone) + _histogram_of(counts)
        usage, user_ids = _usage(start, end)
        part = _Part(counts=counts, latency_histogram=histogram, usage=usage, user_ids=user_ids)
        cache.set(key, part, FINISHED_CACHE_SECONDS)
    return part


def _live_part(start: date, end: date) -> _Part:
    counts = count_days(start, end)
    usage, user_ids = _usage(start, end)
    return _Part(counts=counts, latency_histogram=_histogram_of(counts), usage=usage, user_ids=user_ids)


def _histogram_of(counts: dict[date, DayCounts]) -> Counter[int]:
    """The latency histograms the days carry (those counted live), added up."""
    histogram: Counter[int] = Counter()
    for day_counts in counts.values():
        histogram.update(day_counts.latency_histogram)
    return histogram


def metrics_report(*, start: date, end: date) -> MetricsReport:
    """Every dashboard figure for the days start..end inclusive (local dates)."""
    if end < start:
        raise ValueError("The end date is before the start date.")
    split = min(end, last_finished_day())
    parts = []
    if split >= start:
        parts.append(_finished_part(start, split))
    if (live_start := max(start, split + timedelta(days=1))) <= end:
        parts.append(_live_part(live_start, end))

    counts = {day: c for part in parts for day, c in part.counts.items()}
    usage = {day: u for part in parts for day, u in part.usage.items()}
    days = [_daily(day, counts[day], usage.get(day, {})) for day in days_between(start, end)]
    histogram: Counter[int] = Counter()
    intents: Counter[str] = Counter(dict.fromkeys(Intent.values, 0))
    for part in parts:
        histogram.update(part.latency_histogram)
    for day_counts in counts.values():
        intents.update(day_counts.intents)
    p50, p95 = latency_percentiles(histogram, fractions=(0.5, 0.95))
    sums: dict[str, Any] = {name: sum((getattr(d, name) for d in days), start=_zero(name)) for name in ADDITIVE}
    totals = DailyMetrics(
        day=start,
        active_users=len(frozenset().union(*(part.user_ids for part in parts))),
        latency_p50_ms=p50,
        latency_p95_ms=p95,
        **sums,
    )
    return MetricsReport(start=start, end=end, days=days, totals=totals, intents=_intent_shares(intents))


def _zero(name: str) -> int | Decimal:
    return Decimal(0) if name == "cost_usd" else 0


def _daily(day: date, counts: DayCounts, usage: dict[str, Any]) -> DailyMetrics:
    return DailyMetrics(
        day=day,
        **{name: getattr(counts, name) for name in STORED_FIGURES if name != "intents"},
        active_users=usage.get("active_users", 0),
        model_requests=usage.get("model_requests", 0),
        tokens_in=usage.get("tokens_in", 0),
        tokens_out=usage.get("tokens_out", 0),
        cost_usd=usage.get("cost_usd", Decimal(0)),
    )


def _intent_shares(counts: Counter[str]) -> list[IntentShare]:
    total = sum(counts.values())
    shares = [
        IntentShare(intent=intent, count=count, percent=(100.0 * count / total) if total else 0.0)
        for intent, count in counts.items()
    ]
    return sorted(shares, key=lambda share: (-share.count, share.intent))
