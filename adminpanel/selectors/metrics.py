"""Usage metrics for a date range, grouped by day in the database.

A fixed handful of aggregate queries whatever the range or the row count:
messages by day, the period's distinct users and latency percentiles,
conversations started by day, and model spend by day (TokenUsage, the
accounting of record, which also counts summaries).

Latency percentiles are `percentile_cont` on PostgreSQL. SQLite has no
percentile aggregate, so one window query returns just the rows either side
of each percentile's position and Python interpolates them the same way.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import NotSupportedError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Aggregate, Count, Expression, F, FloatField, Func, IntegerField, Q, Sum, Window
from django.db.models.functions import RowNumber, TruncDate
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from conversations.models import Conversation, Intent, Message, TokenUsage

SAVE_TOOLS = ("save_store",)
LOOKUP_TOOLS = ("lookup_by_name", "lookup_by_phone")
PERCENTILES = (0.5, 0.95)
# The engine records the classified intent on the assistant reply to a message.
INTENT_ROLE = Message.Role.ASSISTANT


class SuccessfulToolCalls(Func):
    """How many of a message's recorded tool calls name one of `tools` and succeeded.

    `Message.tool_calls` is a JSON list of {"name", "args", "ok", "result"}.
    """

    output_field = IntegerField()

    def __init__(self, expression: str | Expression, *, tools: tuple[str, ...]) -> None:
        super().__init__(expression)
        self.tools = tools

    def as_sql(self, compiler: Any, connection: BaseDatabaseWrapper, **extra: Any) -> Any:
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


class PercentileCont(Aggregate):
    """PostgreSQL's continuous percentile (linear interpolation between ranks)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression: str, *, fraction: float, **extra: Any) -> None:
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


@dataclass(frozen=True)
class DailyMetrics:
    day: date
    conversations: int = 0
    messages: int = 0
    user_messages: int = 0
    saves: int = 0
    lookups: int = 0
    active_users: int = 0
    fallbacks: int = 0
    errors: int = 0
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


@dataclass(frozen=True)
class MetricsReport:
    start: date
    end: date
    days: list[DailyMetrics]
    # The whole period: sums of the days, except distinct users and latency
    # percentiles, which are computed over the period's rows.
    totals: DailyMetrics
    intents: list[IntentShare] = field(default_factory=list)

    @property
    def assistant_replies(self) -> int:
        return self.totals.messages - self.totals.user_messages


def _aware_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _as_date(value: date | str) -> date:
    # Raw SQL on SQLite hands dates back as ISO strings.
    return value if isinstance(value, date) else date.fromisoformat(value)


def _messages_in(start: date, end: date) -> Any:
    return Message.objects.filter(
        created_at__gte=_aware_midnight(start), created_at__lt=_aware_midnight(end + timedelta(days=1))
    ).order_by()


def _percentile_aggregates() -> dict[str, Aggregate]:
    if connection.vendor != "postgresql":
        return {}
    replies = Q(role=Message.Role.ASSISTANT, latency_ms__isnull=False)
    return {
        "latency_p50_ms": PercentileCont("latency_ms", fraction=0.5, filter=replies),
        "latency_p95_ms": PercentileCont("latency_ms", fraction=0.95, filter=replies),
    }


def _interpolate(values_by_rank: dict[int, float], size: int, fraction: float) -> float:
    """percentile_cont from 1-based ranks: the value at position (size-1)*fraction."""
    position = (size - 1) * fraction
    lower = math.floor(position)
    low_value = values_by_rank[lower + 1]
    high_value = values_by_rank.get(lower + 2, low_value)
    return low_value + (high_value - low_value) * (position - lower)


def _latency_percentiles_by_window(start: date, end: date) -> tuple[dict[date, dict[str, float]], dict[str, float]]:
    """SQLite: per-day and whole-period percentiles from one ranked query."""
    by_day = TruncDate("created_at")
    ranked = (
        _messages_in(start, end)
        .filter(role=Message.Role.ASSISTANT, latency_ms__isnull=False)
        .annotate(
            day=by_day,
            day_rank=Window(RowNumber(), partition_by=[by_day], order_by=[F("latency_ms").asc()]),
            day_size=Window(Count("id"), partition_by=[by_day]),
            all_rank=Window(RowNumber(), order_by=[F("latency_ms").asc()]),
            all_size=Window(Count("id")),
        )
        .values_list("day", "latency_ms", "day_rank", "day_size", "all_rank", "all_size")
    )
    inner_sql, params = ranked.query.sql_with_params()
    near = " OR ".join(
        f"({scope}_rank - 1 BETWEEN CAST(({scope}_size - 1) * {fraction!r} AS INTEGER) "
        f"AND CAST(({scope}_size - 1) * {fraction!r} AS INTEGER) + 1)"
        for scope in ("day", "all")
        for fraction in PERCENTILES
    )
    day_values: dict[date, dict[int, float]] = defaultdict(dict)
    day_sizes: dict[date, int] = {}
    all_values: dict[int, float] = {}
    all_size = 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({inner_sql}) ranked WHERE {near}", params)  # noqa: S608 - no user text
        for raw_day, latency, day_rank, day_size, all_rank, size in cursor.fetchall():
            day = _as_date(raw_day)
            day_values[day][day_rank] = float(latency)
            day_sizes[day] = day_size
            all_values[all_rank] = float(latency)
            all_size = size

    def percentiles(values: dict[int, float], size: int) -> dict[str, float]:
        return {
            "latency_p50_ms": _interpolate(values, size, 0.5),
            "latency_p95_ms": _interpolate(values, size, 0.95),
        }

    daily = {day: percentiles(values, day_sizes[day]) for day, values in day_values.items()}
    return daily, (percentiles(all_values, all_size) if all_size else {})


def metrics_report(*, start: date, end: date) -> MetricsReport:
    """Every dashboard figure for the days start..end inclusive (local time)."""
    if end < start:
        raise ValueError("The end date is before the start date.")
    from_user = Q(role=Message.Role.USER)
    intent_counts = {
        f"intent_{intent}": Count("id", filter=Q(role=INTENT_ROLE, intent=intent)) for intent in Intent.values
    }
    message_rows = (
        _messages_in(start, end)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(
            messages=Count("id"),
            user_messages=Count("id", filter=from_user),
            active_users=Count("conversation__user", distinct=True, filter=from_user),
            saves=Sum(SuccessfulToolCalls("tool_calls", tools=SAVE_TOOLS)),
            lookups=Sum(SuccessfulToolCalls("tool_calls", tools=LOOKUP_TOOLS)),
            fallbacks=Count("id", filter=Q(fallback_used=True)),
            errors=Count("id", filter=Q(is_error=True)),
            **intent_counts,
            **_percentile_aggregates(),
        )
    )
    period = _messages_in(start, end).aggregate(
        active_users=Count("conversation__user", distinct=True, filter=from_user), **_percentile_aggregates()
    )
    if connection.vendor != "postgresql":
        daily_latency, period_latency = _latency_percentiles_by_window(start, end)
        period.update(period_latency)
    else:
        daily_latency = {}
    conversation_rows = (
        Conversation.objects.filter(
            started_at__gte=_aware_midnight(start), started_at__lt=_aware_midnight(end + timedelta(days=1))
        )
        .order_by()
        .annotate(day=TruncDate("started_at"))
        .values("day")
        .annotate(conversations=Count("id"))
    )
    usage_rows = (
        TokenUsage.objects.filter(date__gte=start, date__lte=end)
        .order_by()
        .values("date")
        .annotate(
            model_requests=Sum("requests"),
            tokens_in=Sum("tokens_in"),
            tokens_out=Sum("tokens_out"),
            cost=Sum("cost_usd"),
        )
    )

    values: dict[date, dict[str, Any]] = defaultdict(dict)
    intent_totals: dict[str, int] = dict.fromkeys(Intent.values, 0)
    for row in message_rows:
        day = _as_date(row.pop("day"))
        for intent in Intent.values:
            intent_totals[intent] += row.pop(f"intent_{intent}")
        values[day].update({key: value for key, value in row.items() if value is not None})
    for day, latency in daily_latency.items():
        values[day].update(latency)
    for row in conversation_rows:
        values[_as_date(row["day"])]["conversations"] = row["conversations"]
    for row in usage_rows:
        values[row["date"]].update(
            model_requests=row["model_requests"],
            tokens_in=row["tokens_in"],
            tokens_out=row["tokens_out"],
            cost_usd=row["cost"],
        )

    days = [
        DailyMetrics(day=start + timedelta(days=n), **values.get(start + timedelta(days=n), {}))
        for n in _span(start, end)
    ]
    totals = replace(
        _sum_days(days, start),
        active_users=period["active_users"],
        latency_p50_ms=period.get("latency_p50_ms"),
        latency_p95_ms=period.get("latency_p95_ms"),
    )
    return MetricsReport(start=start, end=end, days=days, totals=totals, intents=_intent_shares(intent_totals))


def _span(start: date, end: date) -> range:
    return range((end - start).days + 1)


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


def _sum_days(days: list[DailyMetrics], start: date) -> DailyMetrics:
    sums: dict[str, Any] = {name: sum(getattr(day, name) for day in days) for name in ADDITIVE}
    sums["cost_usd"] = Decimal(sums["cost_usd"])
    return DailyMetrics(day=start, **sums)


def _intent_shares(counts: dict[str, int]) -> list[IntentShare]:
    total = sum(counts.values())
    shares = [
        IntentShare(intent=intent, count=count, percent=(100.0 * count / total) if total else 0.0)
        for intent, count in counts.items()
    ]
    return sorted(shares, key=lambda share: (-share.count, share.intent))
