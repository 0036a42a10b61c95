"""Server-rendered SVG charts: no JavaScript, crisp at any size, readable by
screen readers (a title, a summary and, in the page, the data as a table).

Colours come from CSS classes (`series-1` ...) so the charts follow the
stylesheet. Every text that reaches the SVG is escaped by format_html.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 14, 30
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
MAX_X_LABELS = 7

Formatter = Callable[[float], str]


def whole(value: float) -> str:
    return f"{value:,.0f}"


def usd(value: float) -> str:
    return f"${value:,.2f}" if value >= 0.1 or value == 0 else f"${value:,.4f}"


def milliseconds(value: float) -> str:
    return f"{value / 1000:,.2f} s" if value >= 1000 else f"{value:,.0f} ms"


def compact(value: float) -> str:
    """Short axis labels: 1.2k, 3.4M."""
    for threshold, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= threshold:
            return f"{value / threshold:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:g}"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Chart:
    """A rendered chart plus what the page needs around it (legend, data table)."""

    key: str
    title: str
    summary: str
    svg: SafeString
    series: Sequence[Series]
    labels: Sequence[date]
    formatter: Formatter

    @property
    def has_data(self) -> bool:
        return any(value for s in self.series for value in s.values)

    @property
    def legend(self) -> list[tuple[int, str]]:
        return [(index, s.name) for index, s in enumerate(self.series, start=1)]

    @property
    def table_rows(self) -> list[tuple[str, list[str]]]:
        def shown(value: float | None) -> str:
            return "\u2013" if value is None else self.formatter(value)

        return [
            (f"{day:%a %b} {day.day}", [shown(s.values[i]) for s in self.series]) for i, day in enumerate(self.labels)
        ]


def axis_ticks(maximum: float, *, whole_numbers: bool) -> list[float]:
    """Round tick values from 0 to at least `maximum`, about four steps.

    Steps are 1, 2, 2.5 or 5 times a power of ten; counts never get a
    fractional step (no "2.5 conversations").
    """
    if maximum <= 0:
        return [0.0, 1.0]
    rough = maximum / 4
    magnitude = 10 ** math.floor(math.log10(rough))
    candidates = (1, 2, 5, 10) if whole_numbers else (1, 2, 2.5, 5, 10)
    step = next(c * magnitude for c in candidates if c * magnitude >= rough)
    if whole_numbers:
        step = max(step, 1)
    top = math.ceil(maximum / step - 1e-9) * step
    return [step * i for i in range(round(top / step) + 1)]


def _axis_formatter(formatter: Formatter, ticks: Sequence[float]) -> Formatter:
    """Axis labels: short counts (1.2k), and money with as many decimals as the step needs."""
    if formatter is whole:
        return compact
    if formatter is usd:
        step = ticks[1] - ticks[0]
        decimals = next((d for d in (2, 3, 4, 5, 6) if abs(round(step, d) - step) < 1e-9), 6)
        return lambda value: f"${value:,.{decimals}f}"
    return formatter


def _x_labels(labels: Sequence[date], slot: float) -> SafeString:
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    return format_html_join(
        "",
        '<text class="axis-label" x="{}" y="{}" text-anchor="middle">{}</text>',
        (
            (f"{LEFT + slot * (i + 0.5):.1f}", HEIGHT - 10, f"{day:%b} {day.day}")
            for i, day in enumerate(labels)
            if i % every == 0
        ),
    )


def _y_axis(ticks: Sequence[float], formatter: Formatter) -> SafeString:
    top = ticks[-1]
    label_of = _axis_formatter(formatter, ticks)
    rows = []
    for value in ticks:
        y = TOP + PLOT_H - PLOT_H * value / top
        rows.append((f"{y:.1f}", LEFT, WIDTH - RIGHT, LEFT - 6, f"{y + 4:.1f}", label_of(value)))
    return format_html_join(
        "",
        '<line class="grid" x1="{1}" x2="{2}" y1="{0}" y2="{0}"/>'
        '<text class="axis-label" x="{3}" y="{4}" text-anchor="end">{5}</text>',
        rows,
    )


def _frame(key: str, title: str, summary: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-t {}-d" '
        'xmlns="http://www.w3.org/2000/svg"><title id="{}-t">{}</title><desc id="{}-d">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        key,
        key,
        key,
        title,
        key,
        summary,
        body,
    )


def _summary(series: Sequence[Series], labels: Sequence[date], formatter: Formatter) -> str:
    parts = []
    for s in series:
        present = [(v, d) for v, d in zip(s.values, labels, strict=True) if v is not None]
        if not present:
            parts.append(f"{s.name}: no data")
            continue
        peak, peak_day = max(present, key=lambda pair: pair[0])
        parts.append(f"{s.name}: peak {formatter(peak)} on {peak_day:%b} {peak_day.day}")
    return f"{len(labels)} days. " + "; ".join(parts) + "."


def bar_chart(
    *, key: str, title: str, labels: Sequence[date], series: Sequence[Series], formatter: Formatter = whole
) -> Chart:
    """Bars per day; several series are stacked (e.g. tokens in and out)."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(labels))]
    ticks = axis_ticks(max(totals, default=0), whole_numbers=formatter is whole)
    top = ticks[-1]
    slot = PLOT_W / max(len(labels), 1)
    bar_width = max(slot * 0.72, 1.0)
    bars = []
    for i, day in enumerate(labels):
        base = 0.0
        for index, s in enumerate(series, start=1):
            value = s.values[i] or 0
            if value <= 0:
                continue
            height = PLOT_H * value / top
            y = TOP + PLOT_H - PLOT_H * (base + value) / top
            bars.append(
                (
                    index,
                    f"{LEFT + slot * i + (slot - bar_width) / 2:.1f}",
                    f"{y:.1f}",
                    f"{bar_width:.1f}",
                    f"{max(height, 0.5):.1f}",
                    f"{day:%b} {day.day}: {formatter(value)} {s.name.lower()}",
                )
            )
            base += value
    body = format_html(
        "{}{}{}",
        _y_axis(ticks, formatter),
        format_html_join(
            "",
            '<rect class="bar series-{}" x="{}" y="{}" width="{}" height="{}" rx="1.5"><title>{}</title></rect>',
            bars,
        ),
        _x_labels(labels, slot),
    )
    summary = _summary(series, labels, formatter)
    return Chart(key, title, summary, _frame(key, title, summary, body), series, labels, formatter)


def line_chart(
    *, key: str, title: str, labels: Sequence[date], series: Sequence[Series], formatter: Formatter = whole
) -> Chart:
    """Lines per day; a day without a value (None) breaks the line."""
    ticks = axis_ticks(
        max((v for s in series for v in s.values if v is not None), default=0), whole_numbers=formatter is whole
    )
    top = ticks[-1]
    slot = PLOT_W / max(len(labels), 1)
    paths, dots = [], []
    for index, s in enumerate(series, start=1):
        commands: list[str] = []
        pen_down = False
        for i, value in enumerate(s.values):
            if value is None:
                pen_down = False
                continue
            x, y = LEFT + slot * (i + 0.5), TOP + PLOT_H - PLOT_H * value / top
            commands.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            pen_down = True
            label = f"{labels[i]:%b} {labels[i].day}: {formatter(value)} {s.name.lower()}"
            dots.append((index, f"{x:.1f}", f"{y:.1f}", label))
        if commands:
            paths.append((index, " ".join(commands)))
    body = format_html(
        "{}{}{}{}",
        _y_axis(ticks, formatter),
        format_html_join("", '<path class="line series-{}" d="{}"/>', paths),
        format_html_join("", '<circle class="dot series-{}" cx="{}" cy="{}" r="2.6"><title>{}</title></circle>', dots),
        _x_labels(labels, slot),
    )
    summary = _summary(series, labels, formatter)
    return Chart(key, title, summary, _frame(key, title, summary, body), series, labels, formatter)
