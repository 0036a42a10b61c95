"""Usage metrics for a date range, grouped by day in the database.

Scanning a month of messages on every page view costs seconds at a million
rows, so a finished day is counted once (three grouped queries over its
messages and conversations) and kept as a `MetricsDay` row; today, and any
day not counted yet, is computed live the same way. Spend and active users
come from `TokenUsage`, the accounting of record (one row per user per day,
summaries included). The page therefore costs a fixed handful of queries
whatever the range or the number of rows.

Latency percentiles use PostgreSQL's `percentile_cont` definition (linear
interpolation between the two nearest ranks), computed from exact per-day
histograms of whole milliseconds, so days merge into any period exactly and
SQLite gives the same answer.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.db import NotSupportedError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Expression, Func, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from adminpanel.models import MetricsDay
from adminpanel.selectors.dates import aware_midnight, day_after
from conversations.models import Conversation, Intent, Message, TokenUsage

SAVE_TOOLS = ("save_store",)
LOOKUP_TOOLS = ("lookup_by_name", "lookup_by_phone")
# The engine records the classified intent on the user's message (conversations.engine.turn).
INTENT_ROLE = Message.Role.USER
# A turn in flight at midnight may land a few moments later; a day is final after this.
FINAL_AFTER = timedelta(minutes=10)


class SuccessfulToolCalls(Func):
    """How many of a message's recorded tool calls name one of `tools` and succeeded.

    `Message.tool_calls` is a JSON list of {"name", "args", "ok", "result"}.
    """

    output_field = IntegerField()

    def __init__(self, expression: str | Expression, *, tools: tuple[str, ...]) -> None:
        super().__init__(expression)
        self.tools = tools

    def as_sql(
        self,
        compiler: SQLCompiler,
        connection: BaseDatabaseWrapper,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, tuple[str | int, ...]]:
        raise NotSupportedError("Tool-call metrics need PostgreSQL or SQLite.")

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        names = " || ".join(f'@.name == "{name}"' for name in self.tools)
        path = f"$[*] ? (@.ok == true && ({names}))"
        return f"jsonb_array_length(jsonb_path_query_array({column}, %s::jsonpath))", [*params, path]

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        placeholders = ", ".join("%s" for _ in self.tools)
        # Only a compiled column and placeholders are interpolated; names are parameters.
        sql = (
            f"(SELECT COUNT(*) FROM json_each({column}) WHERE json_extract(value, '$.ok') = 1 "  # noqa: S608
            f"AND json_extract(value, '$.name') IN ({placeholders}))"
        )
        return sql, [*params, *self.tools]


@dataclass(frozen=True)
class DayCounts:
    """What the messages and conversations of one day add up to (a MetricsDay's content)."""

    conversations: int = 0
    messages: int = 0
    user_messages: int = 0
    saves: int = 0
    lookups: int = 0
    fallbacks: int = 0
    errors: int = 0
    intents: Mapping[str, int] = field(default_factory=dict)
    latency_p50_ms: float | None = None
    latency_p95_ms: float | None = None
    # Only for days counted live; stored days merge theirs in the database.
    latency_histogram: Mapping[int, int] = field(default_factory=dict)


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

    @property
    def error_rate(self) -> float:
        replies = self.totals.messages - self.totals.user_messages
        return 100.0 * self.totals.errors / replies if replies else 0.0


def percentile_cont(histogram: Mapping[int, int], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont over the values a {value: count} histogram describes."""
    return latency_percentiles(histogram, fractions=(fraction,))[0]


def latency_percentiles(histogram: Mapping[int, int], *, fractions: tuple[float, ...]) -> list[float | None]:
    """Several percentile_cont values from one walk up the sorted histogram.

    percentile_cont(f) over n values is the value at 0-based position (n-1)*f,
    interpolated linearly between the two ranks either side of it.
    """
    if not histogram:
        return [None] * len(fractions)
    values = sorted(histogram)
    # cumulative[i]: how many values are <= values[i]; the value at 0-based rank r
    # is the first whose cumulative count exceeds r.
    cumulative = list(accumulate(histogram[value] for value in values))
    total = cumulative[-1]

    def value_at(rank: int) -> int:
        return values[bisect_right(cumulative, rank)]

    results: list[float | None] = []
    for fraction in fractions:
        position = (total - 1) * fraction
        lower_rank = math.floor(position)
        lower, upper = value_at(lower_rank), value_at(min(lower_rank + 1, total - 1))
        results.append(lower + (upper - lower) * (position - lower_rank))
    return results


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _messages_between(start: date, end: date) -> QuerySet[Message]:
    return Message.objects.filter(created_at__gte=aware_midnight(start), created_at__lt=day_after(end)).order_by()


def _count_days(start: date, end: date) -> dict[date, DayCounts]:
    """Count every day from start to end from the raw rows: three grouped queries."""
    by_day = TruncDate("created_at")
    message_rows = (
        _messages_between(start, end)
        .annotate(day=by_day)
        .values("day")
        .annotate(
            messages=Count("id"),
            user_messages=Count("id", filter=Q(role=Message.Role.USER)),
            saves=Sum(SuccessfulToolCalls("tool_calls", tools=SAVE_TOOLS), default=0),
            lookups=Sum(SuccessfulToolCalls("tool_calls", tools=LOOKUP_TOOLS), default=0),
            fallbacks=Count("id", filter=Q(fallback_used=True)),
            errors=Count("id", filter=Q(is_error=True)),
            **{f"intent_{intent}": Count("id", filter=Q(role=INTENT_ROLE, intent=intent)) for intent in Intent.values},
        )
    )
    latency_rows = (
        _messages_between(start, end)
        .filter(role=Message.Role.ASSISTANT, latency_ms__isnull=False)
        .annotate(day=by_day)
        .values_list("day", "latency_ms")
        .annotate(replies=Count("id"))
    )
    conversation_rows = (
        Conversation.objects.filter(started_at__gte=aware_midnight(start), started_at__lt=day_after(end))
        .order_by()
        .annotate(day=TruncDate("started_at"))
        .values_list("day")
        .annotate(started=Count("id"))
    )
    figures: dict[date, dict[str, Any]] = defaultdict(lambda: {"intents": {}, "latency_histogram": {}})
    for grouped in message_rows:
        row: dict[str, Any] = dict(grouped)
        day = row.pop("day")
        figures[day]["intents"] = {intent: count for intent in Intent.values if (count := row.pop(f"intent_{intent}"))}
        figures[day].update(row)
    for day, latency, replies in latency_rows:
        figures[day]["latency_histogram"][latency] = replies
    for day, started in conversation_rows:
        figures[day]["conversations"] = started
    for day_figures in figures.values():
        p50, p95 = latency_percentiles(day_figures["latency_histogram"], fractions=(0.5, 0.95))
        day_figures.update(latency_p50_ms=p50, latency_p95_ms=p95)
    return {day: DayCounts(**figures[day]) if day in figures else DayCounts() for day in _days(start, end)}


def _counts_from_row(row: MetricsDay) -> DayCounts:
    return DayCounts(
        conversations=row.conversations,
        messages=row.messages,
        user_messages=row.user_messages,
        saves=row.saves,
        lookups=row.lookups,
        fallbacks=row.fallbacks,
        errors=row.errors,
        intents=row.intents,
        latency_p50_ms=row.latency_p50_ms,
        latency_p95_ms=row.latency_p95_ms,
    )


def _keep_finished(counted: dict[date, DayCounts], *, zone: str) -> set[date]:
    """Store the days that can no longer change, so they are never counted again."""
    now = timezone.now()
    finished = [
        MetricsDay(
            day=day,
            timezone_name=zone,
            conversations=counts.conversations,
            messages=counts.messages,
            user_messages=counts.user_messages,
            saves=counts.saves,
            lookups=counts.lookups,
            fallbacks=counts.fallbacks,
            errors=counts.errors,
            intents=dict(counts.intents),
            latency_p50_ms=counts.latency_p50_ms,
            latency_p95_ms=counts.latency_p95_ms,
            latency_histogram={str(value): count for value, count in counts.latency_histogram.items()},
            computed_at=now,
        )
        for day, counts in counted.items()
        if now >= day_after(day) + FINAL_AFTER
    ]
    # A concurrent request may have stored the same day: theirs is as good as ours.
    MetricsDay.objects.bulk_create(finished, ignore_conflicts=True)
    return {row.day for row in finished}


def _stored_days(start: date, end: date, *, zone: str) -> QuerySet[MetricsDay]:
    return MetricsDay.objects.filter(day__gte=start, day__lte=end, timezone_name=zone)


def day_counts(*, start: date, end: date) -> dict[date, DayCounts]:
    """Each day's counts: stored for finished days, counted live for the rest (once)."""
    zone = timezone.get_current_timezone_name()
    known = {row.day: _counts_from_row(row) for row in _stored_days(start, end, zone=zone).defer("latency_histogram")}
    missing = [day for day in _days(start, end) if day not in known]
    if missing:
        counted = _count_days(missing[0], missing[-1])
        fresh = {day: counted[day] for day in missing}
        stored = _keep_finished(fresh, zone=zone)
        # A stored day's histogram is merged by the database with the others.
        known.update(
            {day: replace(counts, latency_histogram={}) if day in stored else counts for day, counts in fresh.items()}
        )
    return known


_MERGED_HISTOGRAM_SQL = {
    "postgresql": (
        "SELECT h.key::integer, SUM(h.value::integer) FROM {table} d "
        "CROSS JOIN LATERAL jsonb_each_text(d.latency_histogram) h "
        "WHERE d.day BETWEEN %s AND %s AND d.timezone_name = %s GROUP BY 1"
    ),
    "sqlite": (
        "SELECT CAST(h.key AS INTEGER), SUM(h.value) FROM {table} d, json_each(d.latency_histogram) h "
        "WHERE d.day BETWEEN %s AND %s AND d.timezone_name = %s GROUP BY 1"
    ),
}


def _period_histogram(counts: Mapping[date, DayCounts], *, start: date, end: date) -> Counter[int]:
    """The latency histogram of the whole period: stored days merged by the database, live days added here."""
    histogram: Counter[int] = Counter()
    for day_figures in counts.values():
        histogram.update(day_figures.latency_histogram)
    if connection.vendor not in _MERGED_HISTOGRAM_SQL:
        raise NotSupportedError("Latency metrics need PostgreSQL or SQLite.")
    sql = _MERGED_HISTOGRAM_SQL[connection.vendor].format(table=connection.ops.quote_name(MetricsDay._meta.db_table))
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, timezone.get_current_timezone_name()])
        for latency, replies in cursor.fetchall():
            histogram[latency] += replies
    return histogram


def metrics_report(*, start: date, end: date) -> MetricsReport:
    """Every dashboard figure for the days start..end inclusive (local dates)."""
    if end < start:
        raise ValueError("The end date is before the start date.")
    counts = day_counts(start=start, end=end)
    in_range = TokenUsage.objects.filter(date__gte=start, date__lte=end, requests__gt=0).order_by()
    usage = {
        row["date"]: row
        for row in in_range.values("date").annotate(
            active_users=Count("id"),
            model_requests=Sum("requests"),
            tokens_in=Sum("tokens_in"),
            tokens_out=Sum("tokens_out"),
            cost_usd=Sum("cost_usd"),
        )
    }
    period_users = in_range.aggregate(users=Count("user", distinct=True))["users"]

    days = [_daily(day, counts[day], usage.get(day, {})) for day in _days(start, end)]
    intents: Counter[str] = Counter(dict.fromkeys(Intent.values, 0))
    for day_figures in counts.values():
        intents.update(day_figures.intents)
    p50, p95 = latency_percentiles(_period_histogram(counts, start=start, end=end), fractions=(0.5, 0.95))
    sums: dict[str, Any] = {name: sum((getattr(d, name) for d in days), start=_zero(name)) for name in ADDITIVE}
    totals = DailyMetrics(
        day=start,
        active_users=period_users,
        latency_p50_ms=p50,
        latency_p95_ms=p95,
        **sums,
    )
    return MetricsReport(start=start, end=end, days=days, totals=totals, intents=_intent_shares(intents))


ADDITIVE = (
    "conversations",
    "messages",
    "user_messages",
    "saves",
    "lookups",
    "fallbacks",
    "errors",
    "model_requests",
    "tokens_in",
    "tokens_out",
    "cost_usd",
)


def _zero(name: str) -> int | Decimal:
    return Decimal(0) if name == "cost_usd" else 0


def _daily(day: date, counts: DayCounts, usage: Mapping[str, Any]) -> DailyMetrics:
    return DailyMetrics(
        day=day,
        conversations=counts.conversations,
        messages=counts.messages,
        user_messages=counts.user_messages,
        saves=counts.saves,
        lookups=counts.lookups,
        fallbacks=counts.fallbacks,
        errors=counts.errors,
        active_users=usage.get("active_users", 0),
        model_requests=usage.get("model_requests", 0),
        tokens_in=usage.get("tokens_in", 0),
        tokens_out=usage.get("tokens_out", 0),
        cost_usd=usage.get("cost_usd", Decimal(0)),
        latency_p50_ms=counts.latency_p50_ms,
        latency_p95_ms=counts.latency_p95_ms,
    )


def _intent_shares(counts: Mapping[str, int]) -> list[IntentShare]:
    total = sum(counts.values())
    shares = [
        IntentShare(intent=intent, count=count, percent=(100.0 * count / total) if total else 0.0)
        for intent, count in counts.items()
    ]
    return sorted(shares, key=lambda share: (-share.count, share.intent))
