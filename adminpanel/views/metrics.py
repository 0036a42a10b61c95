"""The metrics page: how the product is used over a range of days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from adminpanel.access import StaffRequest, staff_required
from adminpanel.charts import Chart, Series, bar_chart, line_chart, milliseconds, usd, whole
from adminpanel.forms import DateRangeForm
from adminpanel.selectors.metrics import MetricsReport, metrics_report
from adminpanel.views.partials import render_page

PRESETS = (7, 30, 90)


@dataclass(frozen=True)
class Figure:
    """A headline number on the metrics page."""

    label: str
    value: str
    note: str = ""
    tone: str = ""


def _percent(part: int, whole_count: int) -> str:
    return f"{100 * part / whole_count:.1f}%" if whole_count else "0%"


def _latency(value: float | None) -> str:
    return "no replies" if value is None else milliseconds(value)


def _figures(report: MetricsReport) -> list[Figure]:
    t = report.totals
    replies = t.messages - t.user_messages
    return [
        Figure("Conversations", whole(t.conversations), f"{whole(t.messages)} messages"),
        Figure("Active users", whole(t.active_users), "used the assistant"),
        Figure("Stores saved", whole(t.saves), "successful save_store calls"),
        Figure("Lookups", whole(t.lookups), "answered by name or phone"),
        Figure("Tokens", whole(t.tokens), f"{whole(t.model_requests)} model requests"),
        Figure("Cost", usd(float(t.cost_usd)), f"{usd(float(t.cost_usd) / len(report.days))} a day"),
        Figure("Reply latency p50", _latency(t.latency_p50_ms), f"p95 {_latency(t.latency_p95_ms)}"),
        Figure(
            "Fallbacks · errors",
            f"{whole(t.fallbacks)} · {whole(t.errors)}",
            f"{_percent(t.fallbacks, replies)} · {_percent(t.errors, replies)} of replies",
            "warn" if t.errors else "",
        ),
    ]


def _charts(report: MetricsReport) -> list[Chart]:
    days = report.days
    labels = [d.day for d in days]
    return [
        bar_chart(
            key="conversations",
            title="Conversations started",
            labels=labels,
            series=[Series("Conversations", [d.conversations for d in days])],
        ),
        bar_chart(
            key="messages",
            title="Messages",
            labels=labels,
            series=[
                Series("From users", [d.user_messages for d in days]),
                Series("Replies", [d.messages - d.user_messages for d in days]),
            ],
        ),
        line_chart(
            key="operations",
            title="Saves and lookups",
            labels=labels,
            series=[Series("Saves", [d.saves for d in days]), Series("Lookups", [d.lookups for d in days])],
        ),
        bar_chart(
            key="active-users",
            title="Active users",
            labels=labels,
            series=[Series("Active users", [d.active_users for d in days])],
        ),
        bar_chart(
            key="tokens",
            title="Tokens",
            labels=labels,
            series=[Series("Input", [d.tokens_in for d in days]), Series("Output", [d.tokens_out for d in days])],
        ),
        bar_chart(
            key="cost",
            title="Cost (USD)",
            labels=labels,
            series=[Series("Cost", [float(d.cost_usd) for d in days])],
            formatter=usd,
        ),
        line_chart(
            key="latency",
            title="Reply latency",
            labels=labels,
            series=[
                Series("p50", [d.latency_p50_ms for d in days]),
                Series("p95", [d.latency_p95_ms for d in days]),
            ],
            formatter=milliseconds,
        ),
        line_chart(
            key="failures",
            title="Fallbacks and errors",
            labels=labels,
            series=[Series("Fallbacks", [d.fallbacks for d in days]), Series("Errors", [d.errors for d in days])],
        ),
    ]


@require_GET
@staff_required
def metrics(request: StaffRequest) -> HttpResponse:
    form = DateRangeForm(request.GET or None)
    start, end = form.range()
    report = metrics_report(start=start, end=end)
    today = timezone.localdate()
    presets = [(n, today - timedelta(days=n - 1), (end - start).days + 1 == n and end == today) for n in PRESETS]
    context = {
        "form": form,
        "report": report,
        "figures": _figures(report),
        "charts": _charts(report),
        "presets": presets,
        "today": today,
        "section": "metrics",
    }
    return render_page(request, "adminpanel/metrics.html", context, partial="report")
