"""Each day's usage counted from the messages, and read back once the day is stored.

A finished day is counted once (three grouped queries over its messages and
conversations) and stored as a `MetricsDay` row with an exact histogram of
reply latencies by the hourly rollup (adminpanel.services.metrics_days_store);
later reads take the row. Days not stored yet (today, which can still change,
or a finished day the rollup has not reached) are counted live the same way.
Nothing here writes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import NotSupportedError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Expression, Func, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from adminpanel.models import MetricsDay
from adminpanel.selectors.dates import aware_midnight, day_after
from adminpanel.selectors.percentiles import latency_percentiles
from conversations.models import Conversation, Intent, Message

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


# The DayCounts fields that are plain counts: a range's figure is the sum of its days'.
DAY_COUNTERS = ("conversations", "messages", "user_messages", "saves", "lookups", "fallbacks", "errors")
# The DayCounts fields a MetricsDay row stores as columns of the same names.
STORED_FIGURES = (*DAY_COUNTERS, "intents", "latency_p50_ms", "latency_p95_ms")


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
    # Only for days counted live; stored days' histograms are merged by the database.
    latency_histogram: Mapping[int, int] = field(default_factory=dict)


def days_between(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _messages_between(start: date, end: date) -> QuerySet[Message]:
    return Message.objects.filter(created_at__gte=aware_midnight(start), created_at__lt=day_after(end)).order_by()


def count_days(start: date, end: date) -> dict[date, DayCounts]:
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
    return {day: DayCounts(**figures[day]) if day in figures else DayCounts() for day in days_between(start, end)}


def is_finished(day: date, *, now: datetime) -> bool:
    return now >= day_after(day) + FINAL_AFTER


def last_finished_day(now: datetime | None = None) -> date:
    """The latest local day whose figures can no longer change."""
    now = now or timezone.now()
    yesterday = timezone.localdate(now) - timedelta(days=1)
    return yesterday if is_finished(yesterday, now=now) else yesterday - timedelta(days=1)


def _counts_from_row(row: MetricsDay) -> DayCounts:
    return DayCounts(**{name: getattr(row, name) for name in STORED_FIGURES})


def finished_day_counts(*, start: date, end: date, zone: str) -> dict[date, DayCounts]:
    """The counts of finished days: stored rows, and the days not stored yet counted live.

    A stored day's latency histogram stays in the database (`merged_histogram`
    adds them up); a day counted live carries its own.
    """
    stored = MetricsDay.objects.filter(day__gte=start, day__lte=end, timezone_name=zone).defer("latency_histogram")
    known = {row.day: _counts_from_row(row) for row in stored}
    missing = [day for day in days_between(start, end) if day not in known]
    if missing:
        counted = count_days(missing[0], missing[-1])
        known.update({day: counted[day] for day in missing})
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


def merged_histogram(*, start: date, end: date, zone: str) -> Counter[int]:
    """The latency histogram of the stored days start..end, added up by the database."""
    if connection.vendor not in _MERGED_HISTOGRAM_SQL:
        raise NotSupportedError("Latency metrics need PostgreSQL or SQLite.")
    sql = _MERGED_HISTOGRAM_SQL[connection.vendor].format(table=connection.ops.quote_name(MetricsDay._meta.db_table))
    histogram: Counter[int] = Counter()
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end, zone])
        for latency, replies in cursor.fetchall():
            histogram[latency] += replies
    return histogram
